using k8s.Models;
using LbOperator.Framework.Client;
using LbOperator.Framework.Hosting;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Host;
using LbOperator.Tests.Framework.Runtime;
using Microsoft.Extensions.Logging;

namespace LbOperator.Tests.SandboxHost;

[Category("Sandbox")]
public sealed class InProcessOperatorTests
{
    [Test]
    public async Task The_Sandbox_Runs_LbOperator_In_Process_Until_It_Stops()
    {
        var operatorOptions = new OperatorHostOptions { HealthPort = null, MinimumLogLevel = LogLevel.Warning };
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { AdditionalServices = [new InProcessOperator(operatorOptions)] });
        await using (sandbox)
        {
            using var kubernetes = sandbox.CreateClient();
            var client = new KubernetesClient(kubernetes, sandbox.ClientConfiguration);
            await Eventually.HoldsAsync(
                async () => (await client.GetAsync<V1Lease>("lb-operator-leader", "default"))?.Spec?.HolderIdentity is { Length: > 0 },
                "the in-process operator leads");
        }
    }
}
