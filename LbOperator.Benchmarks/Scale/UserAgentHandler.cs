namespace LbOperator.Benchmarks.Scale;

/// <summary>Sends every request with one User-Agent, so the sandbox's request counts tell the benchmark's requests from the operator's.</summary>
public sealed class UserAgentHandler(string userAgent) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.UserAgent.Clear();
        request.Headers.UserAgent.ParseAdd(userAgent);
        return base.SendAsync(request, cancellationToken);
    }
}
