using Microsoft.AspNetCore.Http;

namespace LbOperator.Sandbox.Api;

/// <summary><c>/healthz</c>, <c>/livez</c>, <c>/readyz</c>: plain <c>ok</c>, as kube-apiserver answers them.</summary>
public sealed class HealthEndpoint : ISandboxEndpoint
{
    public async Task<bool> TryHandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.Path.Value is not ("/healthz" or "/livez" or "/readyz"))
        {
            return false;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("ok", cancellationToken);
        return true;
    }
}
