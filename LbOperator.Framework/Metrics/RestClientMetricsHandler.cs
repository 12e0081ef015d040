using System.Globalization;

namespace LbOperator.Framework.Metrics;

/// <summary>
/// Counts every request the operator's Kubernetes client sends (watches included, when their headers arrive) as
/// <c>rest_client_requests_total{code,method,host}</c>, as client-go does; a request that got no answer counts as
/// code <c>&lt;error&gt;</c>, one cancelled by the operator itself not at all.
/// </summary>
internal sealed class RestClientMetricsHandler(OperatorMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.RequestUri is { IsAbsoluteUri: true } uri ? uri.Authority : string.Empty;
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            metrics.RestRequestFinished(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), request.Method.Method, host);
            return response;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.RestRequestFinished("<error>", request.Method.Method, host);
            throw;
        }
    }
}
