using System.Net;
using System.Net.Sockets;
using k8s;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Hosting;

namespace LbOperator.Tests.Framework.Hosting;

[Category("Unit")]
public sealed class OperatorHostTests
{
    [Test]
    public async Task Without_A_Health_Port_The_Host_Listens_On_No_Port_At_All()
    {
        // Hold the web host's default port, so a host that fell back to it would fail to start.
        using var blocker = new TcpListener(IPAddress.Loopback, 5000);
        blocker.Start();

        // No controller and no leader election: the host needs no API server to start.
        var options = new OperatorHostOptions
        {
            HealthPort = null,
            ConfigureSettings = s => s.WithLeaderElection(LeaderElectionType.None),
        };
        var configuration = new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" };
        await using var app = OperatorHost.Build(configuration, options, _ => { });

        await app.StartAsync();
        OperatorHost.HealthAddress(app).Should().BeNull("no health endpoint was asked for");
        await app.StopAsync();
    }
}
