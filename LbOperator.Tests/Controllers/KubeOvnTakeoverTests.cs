using k8s;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// Services Kube-OVN's lb-svc served before LbOperator was installed keep their addresses: LbOperator takes each
/// address from the Service's status and Kube-OVN's gateway pod, and replaces Kube-OVN's gateway Deployment (the
/// shape kube-ovn-controller gives it: labels app, namespace, service; no owner; container lb-svc) with its own.
/// </summary>
[Category("Kubectl")]
[NonParallelizable]
public sealed class KubeOvnTakeoverTests : KubeOvnClusterTestBase
{
    [Test]
    public async Task Two_Services_Kube_Ovns_Lb_Svc_Served_Keep_Their_Addresses_And_Get_LbOperators_Gateways()
    {
        var served = new[] { (Service: "fixed", Address: "192.168.10.50", Static: true), (Service: "given", Address: "192.168.10.77", Static: false) };
        await StopOperatorAsync();
        try
        {
            await CreateNadAsync();
            await CreateSubnetAsync("a");
            foreach (var (name, address, isStatic) in served)
            {
                await ServeAsKubeOvnAsync(name, "a", address, isStatic);
            }
        }
        finally
        {
            await StartOperatorAsync();
        }

        foreach (var (name, address, _) in served)
        {
            var service = await Eventually(() => GetServiceAsync(name),
                s => LoadBalancerCondition(s)?.Status == "True", $"Service {name} to be served by LbOperator", 20);
            Ingress(service).Should().Equal([address], "the address Kube-OVN's lb-svc gave the Service stays its own");
            var gateway = (await GetGatewayAsync(name))!;
            GatewayOwnership.IsGatewayOf(gateway, service).Should().BeTrue("Kube-OVN's Deployment was replaced by LbOperator's gateway");
            GatewayAnnouncement.Addresses(gateway, service).Select(a => a.ToString()).Should().Equal(address);
            (await RecordedAsync()).Should().Contain($"{address}={name}");
            var vip = await Client.GetAsync<V1KubeOvnVip>(AllocationRecordNames.For(System.Net.IPAddress.Parse(address), SubnetName("a")));
            vip!.Status!.V4Ip.Should().Be(address, "Kube-OVN's IPAM holds the address for LbOperator now, not for the old pod");
            (await WaitForEventAsync(name, EventReasons.KubeOvnGatewayReplaced)).Message.Should().Contain($"{address} stays the Service's");
        }

        (await Client.ListAsync<V1KubeOvnIp>()).Should().NotContain(ip => ip.Spec!.Namespace == Ns, "Kube-OVN released the old gateway pods' addresses");
    }

    [Test]
    public async Task A_Kube_Ovn_Gateway_Pod_Whose_Address_The_Service_Does_Not_Show_Is_Not_Taken_Over()
    {
        await StopOperatorAsync();
        try
        {
            await CreateNadAsync();
            await CreateSubnetAsync("b");
            await ServeAsKubeOvnAsync("odd", "b", "192.168.10.60", isStatic: false, shownInStatus: "192.168.10.61");
        }
        finally
        {
            await StartOperatorAsync();
        }

        var refused = await Eventually(() => GetServiceAsync("odd"),
            s => LoadBalancerCondition(s)?.Reason == EventReasons.KubeOvnTakeoverRefused, "the take-over to be refused");
        LoadBalancerCondition(refused)!.Message.Should().Contain("its pod holds 192.168.10.60, which the Service's status.loadBalancer.ingress (192.168.10.61) does not show");
        var kubeOvns = await Client.GetAsync<V1Deployment>("lb-svc-odd", Ns);
        KubeOvnLbSvcGateway.IsGatewayOf(kubeOvns, refused).Should().BeTrue("nothing is taken away while the take-over is refused");
        (await RecordsAsync()).Should().BeEmpty();
    }

    /// <summary>
    /// What kube-ovn-controller's lb-svc leaves for a Service: its gateway Deployment, the pod's address annotation (Kube-OVN
    /// writes it on the pod; from the Service's loadBalancerIP for a static one), the pod's IP object, and the Service's ingress.
    /// </summary>
    private async Task ServeAsKubeOvnAsync(string name, string subnet, string address, bool isStatic, string? shownInStatus = null)
    {
        var service = LbService(name, loadBalancerIp: isStatic ? address : null);
        await CreateServiceAsync(service);
        var deployment = $"lb-svc-{name}";
        // Kube-OVN leaves the subnet annotation empty where the Service names none; for a dynamic address it writes
        // the one it gave into the pod only.
        await Api.AppsV1.CreateNamespacedDeploymentAsync(
            KubeOvnLbSvcDeployment.For(name, Ns, $"{Ns}/lb", Provider, "", isStatic ? address : null, ["sleep", "infinity"]), Ns);

        var pod = (await Eventually(async () => (await Api.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: $"app={deployment}")).Items,
            pods => pods.Count == 1, $"Kube-OVN's gateway pod of {name}")).Single();
        await EditAsync<V1Pod>(pod.Metadata.Name, Ns, p => p.Metadata.Annotations[Annotations.IpAddress(Provider)] = address);
        await Client.CreateAsync(new V1KubeOvnIp
        {
            Metadata = new V1ObjectMeta { Name = $"{pod.Metadata.Name}.{Ns}.{Provider}" },
            Spec = new V1KubeOvnIpSpec { Subnet = SubnetName(subnet), V4IpAddress = address, PodName = pod.Metadata.Name, Namespace = Ns },
        });

        var current = await GetServiceAsync(name);
        current.Status ??= new V1ServiceStatus();
        current.Status.LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = shownInStatus ?? address }] };
        await Client.UpdateStatusAsync(current);
    }
}
