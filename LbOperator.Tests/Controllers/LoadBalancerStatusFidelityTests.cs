using k8s.Models;
using LbOperator.Finalizers;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// The operator's status writes against a sandbox that treats status.loadBalancer as kube-apiserver 1.32 does:
/// ipMode is defaulted to VIP, ingress on other Service types is refused, and a type change clears the status.
/// </summary>
[Category("Sandbox")]
[NonParallelizable]
public sealed class LoadBalancerStatusFidelityTests : OperatorTestBase
{
    private async Task<V1Service> ServeAsync()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService("web"));
        await WaitForIngressAsync("web", "192.168.10.11");
        return await Eventually(() => GetServiceAsync("web"), s => LoadBalancerCondition(s)?.Status == "True", "the Service to be ready");
    }

    [Test]
    public async Task The_Ingress_The_Operator_Writes_Comes_Back_With_IpMode_VIP_And_Stays_Settled()
    {
        var service = await ServeAsync();

        service.Status.LoadBalancer.Ingress.Should().ContainSingle().Which.IpMode.Should().Be("VIP");

        // The operator compares addresses only, so the defaulted ipMode starts no write loop.
        await Task.Delay(TimeSpan.FromSeconds(1));
        (await GetServiceAsync("web")).Metadata.ResourceVersion.Should().Be(service.Metadata.ResourceVersion);
    }

    [Test]
    public async Task A_Type_Change_Clears_The_Status_And_The_Operator_Releases_Without_A_Refused_Write()
    {
        await ServeAsync();
        // A Service created right after its Subnet may meet an operator that has not seen the Subnet yet (a Warning
        // SubnetNotFound, then a retry): what counts is that the type change and the release add no Warning.
        var warningsBefore = await WarningsAboutWebAsync();

        var changed = await EditServiceAsync("web", s =>
        {
            s.Spec.Type = "ClusterIP";
            s.Spec.LoadBalancerIP = null;
            foreach (var port in s.Spec.Ports)
            {
                port.NodePort = null;
            }
        });

        changed.Status.LoadBalancer.Ingress.Should().BeNullOrEmpty("the API server clears it with the type change");
        var released = await Eventually(() => GetServiceAsync("web"),
            s => LoadBalancerCondition(s) is null && s.Metadata.Finalizers?.Contains(ServiceFinalizer.Identifier) != true, "the Service to be released");
        released.Status.LoadBalancer.Ingress.Should().BeNullOrEmpty();
        (await WarningsAboutWebAsync()).Should().Equal(warningsBefore);
    }

    private async Task<List<(string Reason, int? Count)>> WarningsAboutWebAsync() =>
        [.. (await EventsAboutAsync("web")).Where(e => e.Type == "Warning").Select(e => (e.Reason, e.Count)).Order()];
}
