using System.Net.Sockets;
using LbOperator.Sandbox.Nodes;
using static LbOperator.Tests.Sandbox.Nodes.NodeTestEnvironment;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("DataPath")]
[NonParallelizable]
public sealed class DualStackNodeTests
{
    [Test]
    public async Task Pods_Get_Both_Families_And_An_IPv6_ClusterIp_Answers()
    {
        RequireDataPath();
        var options = UniqueOptions(NodeNetworkOptions.DualStack);
        await using var node = CreateNode(options);
        try
        {
            await node.StartAsync(CancellationToken.None);
            var backend = await node.StartPodAsync(BackendPod("hello-v6"), CancellationToken.None);
            var caller = new NetworkNamespace((await node.StartPodAsync(SleeperPod("caller"), CancellationToken.None)).NetworkNamespace);
            backend.PodIps.Select(a => a.AddressFamily).Should().Equal(AddressFamily.InterNetwork, AddressFamily.InterNetworkV6);
            await node.SyncServicesAsync(
                [Service("hello", "10.96.0.40", 80, 80, "fd00:10:96::40")],
                [Endpoints("hello", 80, [.. backend.PodIps])],
                CancellationToken.None);

            (await CurlAsync(caller, "http://[fd00:10:96::40]/")).Should().Contain("I am on  hello-v6");
            (await CurlAsync(caller, "http://10.96.0.40/")).Should().Contain("I am on  hello-v6");
            var client = await node.Topology.Client.IpAsync(CancellationToken.None, "-6", "-o", "addr", "show", "eth0");
            client.StandardOutput.Should().Contain("fd00:172:18::fe/64");
        }
        finally
        {
            await node.StopAsync(CancellationToken.None);
            Directory.Delete(options.StateDirectory, recursive: true);
        }
    }
}
