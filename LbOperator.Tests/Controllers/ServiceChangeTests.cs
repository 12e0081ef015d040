using k8s.Models;
using LbOperator.Entities;
using LbOperator.Finalizers;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Controllers;

/// <summary>The Service controller follows every change of a live Service without a restart.</summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class ServiceChangeTests : OperatorTestBase
{
    private async Task<V1Service> ServeAsync(string name = "web", string? loadBalancerIp = null, params int[] ports)
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(LbService(name, loadBalancerIp: loadBalancerIp, ports: ports));
        return await WaitForIngressAsync(name, loadBalancerIp ?? "192.168.10.11");
    }

    private async Task<string> GatewayHashAsync(string service) =>
        (await GetGatewayAsync(service))!.Spec.Template.Metadata.Annotations[Annotations.GatewayHash];

    [Test]
    public async Task Ports_Added_Changed_And_Removed_Reach_The_Gateway()
    {
        await ServeAsync(ports: [80]);
        var before = await GatewayHashAsync("web");

        await EditServiceAsync("web", s => s.Spec.Ports.Add(new V1ServicePort { Name = "dns", Port = 53, Protocol = "UDP" }));
        var added = await Eventually(() => GatewayHashAsync("web"), h => h != before, "the gateway to take the added port");
        var env = (await GetGatewayAsync("web"))!.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "LBSVC_APPLY").Value;
        env.Should().Contain("-m udp --dport 53 ").And.Contain("-m tcp --dport 80 ");

        await EditServiceAsync("web", s => s.Spec.Ports[0].Port = 8080);
        var changed = await Eventually(() => GatewayHashAsync("web"), h => h != added, "the gateway to take the changed port");

        await EditServiceAsync("web", s => s.Spec.Ports.RemoveAt(1));
        await Eventually(() => GatewayHashAsync("web"), h => h != changed, "the gateway to drop the removed port");
        var apply = (await GetGatewayAsync("web"))!.Spec.Template.Spec.Containers[0].Env.Single(e => e.Name == "LBSVC_APPLY").Value;
        apply.Should().Contain("-m tcp --dport 8080 ").And.NotContain("--dport 53 ").And.NotContain("--dport 80 ");
        Ingress(await GetServiceAsync("web")).Should().Equal("192.168.10.11");
    }

    [Test]
    public async Task Changed_LoadBalancerIP_Moves_The_Service_And_Frees_The_Old_Address()
    {
        await ServeAsync();
        await EditServiceAsync("web", s => s.Spec.LoadBalancerIP = "192.168.10.77");
        await WaitForIngressAsync("web", "192.168.10.77");
        await Eventually(RecordedAsync, r => r.SequenceEqual(["192.168.10.77=web"]), "only the new address to be recorded");
        await Eventually(() => GetGatewayAsync("web"),
            d => d!.Spec.Template.Metadata.Annotations[Annotations.IpAddress(Provider)] == "192.168.10.77", "the gateway to hold the new address");

        // The old address is free again: the next dynamic Service gets it.
        await CreateServiceAsync(LbService("next"));
        await WaitForIngressAsync("next", "192.168.10.11");
    }

    [Test]
    public async Task Per_Family_Annotation_Wins_And_Its_Change_Is_Followed()
    {
        await ServeAsync();
        await EditServiceAsync("web", s => s.Metadata.Annotations[Annotations.IpAddress(Provider)] = "192.168.10.66");
        await WaitForIngressAsync("web", "192.168.10.66");
        await EditServiceAsync("web", s => s.Metadata.Annotations[Annotations.IpAddress(Provider)] = "192.168.10.67");
        await WaitForIngressAsync("web", "192.168.10.67");
        await EditServiceAsync("web", s => s.Metadata.Annotations.Remove(Annotations.IpAddress(Provider)));
        // Back to dynamic: the Service keeps what it holds rather than moving to the lowest free address.
        await Task.Delay(300);
        Ingress(await GetServiceAsync("web")).Should().Equal("192.168.10.67");
    }

    [Test]
    public async Task Changed_Subnet_Annotation_Moves_The_Service_To_The_Other_Subnet()
    {
        await ServeAsync();
        await CreateSubnetAsync("b", cidr: "192.168.20.0/24", excludeIps: ["192.168.20.1..192.168.20.99"]);
        await EditServiceAsync("web", s => s.Metadata.Annotations[Annotations.LogicalSwitch(Provider)] = SubnetName("b"));
        await WaitForIngressAsync("web", "192.168.20.100");
        (await Eventually(RecordsAsync, r => r.Count == 1 && r[0].Spec.Address == "192.168.20.100", "the record to move"))
            .Single().Spec.Subnet.Should().Be(SubnetName("b"));
        await Eventually(() => Client.GetAsync<V1Subnet>(SubnetName("a")), s => s!.Status?.V4UsingIPs == 0, "subnet a to show no use");
        await Eventually(() => Client.GetAsync<V1Subnet>(SubnetName("b")), s => s!.Status?.V4UsingIPs == 1, "subnet b to show one use");
    }

    [TestCase("ClusterIP")]
    [TestCase("NodePort")]
    public async Task Type_Changed_Away_From_LoadBalancer_Releases_Everything_And_Back_Serves_Again(string type)
    {
        await ServeAsync();
        await EditServiceAsync("web", s =>
        {
            s.Spec.Type = type;
            s.Spec.LoadBalancerIP = null;
            foreach (var port in s.Spec.Ports)
            {
                port.NodePort = null;
            }
        });
        var service = await Eventually(() => GetServiceAsync("web"),
            s => Ingress(s).Count == 0 && s.Metadata.Finalizers?.Contains(ServiceFinalizer.Identifier) != true, "the Service to be released");
        LoadBalancerCondition(service).Should().BeNull();
        service.Metadata.Annotations.Should().NotContainKey(ServiceRecord.AllocatedSubnet);
        await Eventually(RecordsAsync, r => r.Count == 0, "the record to be deleted");
        await Eventually(() => GetGatewayAsync("web"), d => d is null, "the gateway Deployment to be deleted");
        await WaitForEventAsync("web", EventReasons.AddressReleased);

        await EditServiceAsync("web", s => s.Spec.Type = "LoadBalancer");
        await WaitForIngressAsync("web", "192.168.10.11");
        await Eventually(() => GetGatewayAsync("web"), d => d is not null, "the gateway Deployment to be created again");
    }

    [Test]
    public async Task Removed_Attachment_Provider_Annotation_Releases_Everything()
    {
        await ServeAsync();
        await EditServiceAsync("web", s => s.Metadata.Annotations.Remove(Annotations.AttachmentProvider));
        await Eventually(() => GetServiceAsync("web"),
            s => Ingress(s).Count == 0 && s.Metadata.Finalizers?.Contains(ServiceFinalizer.Identifier) != true, "the Service to be released");
        await Eventually(() => GetGatewayAsync("web"), d => d is null, "the gateway Deployment to be deleted");
    }

    [Test]
    public async Task Deleted_Gateway_Deployment_Is_Restored()
    {
        await ServeAsync();
        var original = await GetGatewayAsync("web");
        await Client.DeleteAsync<V1Deployment>(original!.Metadata.Name, Ns);
        var restored = await Eventually(() => GetGatewayAsync("web"), d => d is not null && d.Metadata.Uid != original.Metadata.Uid, "the gateway to be re-created");
        restored!.Spec.Template.Metadata.Annotations[Annotations.IpAddress(Provider)].Should().Be("192.168.10.11");
    }

    [Test]
    public async Task Edited_Gateway_Deployment_Is_Restored()
    {
        await ServeAsync();
        var gateway = (await GetGatewayAsync("web"))!;
        var image = gateway.Spec.Template.Spec.Containers[0].Image;
        await EditAsync<V1Deployment>(gateway.Metadata.Name, Ns, d =>
        {
            d.Spec.Replicas = 0;
            d.Spec.Template.Spec.Containers[0].Image = "example.org/other:1";
            d.Spec.Template.Metadata.Annotations[Annotations.IpAddress(Provider)] = "192.168.10.200";
        });
        await Eventually(() => GetGatewayAsync("web"),
            d => d!.Spec.Replicas == 1 && d.Spec.Template.Spec.Containers[0].Image == image
                && d.Spec.Template.Metadata.Annotations[Annotations.IpAddress(Provider)] == "192.168.10.11",
            "the gateway to be restored");
    }

    [Test]
    public async Task Deleted_Service_Releases_Its_Address_And_Loses_Its_Gateway()
    {
        await ServeAsync();
        await Client.DeleteAsync<V1Service>("web", Ns);
        await Eventually(() => Client.GetAsync<V1Service>("web", Ns), s => s is null, "the Service to be gone");
        await Eventually(() => GetGatewayAsync("web"), d => d is null, "the gateway Deployment to be deleted");
        await CreateServiceAsync(LbService("next"));
        await WaitForIngressAsync("next", "192.168.10.11");
    }
}
