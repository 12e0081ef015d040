using k8s;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>The node reports the identifiers a kubelet reads from its host; clients that require them can read the node list.</summary>
[Category("Sandbox")]
public sealed class NodeInfoTests : SandboxTestBase
{
    [Test]
    public async Task NodeInfo_Carries_MachineId_SystemUuid_And_BootId()
    {
        var node = (await Client.CoreV1.ListNodeAsync()).Items.Should().ContainSingle().Subject;

        var info = node.Status.NodeInfo;
        info.MachineID.Should().MatchRegex("^[0-9a-f]{32}$");
        Guid.TryParseExact(info.SystemUUID, "D", out _).Should().BeTrue(info.SystemUUID);
        Guid.TryParseExact(info.BootID, "D", out _).Should().BeTrue(info.BootID);
        info.BootID.Should().NotBe(info.SystemUUID);
    }

    [Test]
    public async Task The_Machine_Identifiers_Are_Stable_And_The_Boot_Id_Is_Per_Start()
    {
        var first = (await Client.CoreV1.ReadNodeAsync("sandbox-node")).Status.NodeInfo;
        await using var other = await LbOperator.Sandbox.SandboxServer.StartAsync(new LbOperator.Sandbox.SandboxOptions());
        using var client = other.CreateClient();

        var second = (await client.CoreV1.ReadNodeAsync("sandbox-node")).Status.NodeInfo;

        second.MachineID.Should().Be(first.MachineID);
        second.SystemUUID.Should().Be(first.SystemUUID);
        second.BootID.Should().NotBe(first.BootID);
    }
}
