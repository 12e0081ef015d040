using LbOperator.Framework.Hosting;
using LbOperator.Sandbox;
using Microsoft.Extensions.Hosting;

namespace LbOperator.Composition;

/// <summary>
/// LbOperator running inside the sandbox's process against the sandbox's API server, started the same way as
/// <c>LbOperator run</c> (through <see cref="LbOperatorHost"/>). Add it to <see cref="SandboxOptions.AdditionalServices"/>.
/// </summary>
public sealed class InProcessOperator(OperatorHostOptions options) : ISandboxService
{
    public async Task RunAsync(RunningSandbox sandbox, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        await using var app = LbOperatorHost.Build(sandbox.ClientConfiguration, options);
        await app.RunAsync(cancellationToken);
    }
}
