using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Framework.Entities;
using LbOperator.LoadBalancing;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// The seed walkthrough on a cluster whose <c>subnets.kubeovn.io</c> is Kube-OVN's own CRD (other printer columns,
/// more status fields, no pattern checks), installed as a Kube-OVN cluster is: Kube-OVN's CRDs first, then
/// LbOperator's tree without the Subnet CRD. The operator works as it does with its own.
/// </summary>
[Category("Kubectl")]
[NonParallelizable]
public sealed class SeedBesideKubeOvnTests : KubeOvnClusterTestBase
{
    [Test]
    public async Task An_Address_Kube_Ovn_Gave_A_Pod_Or_A_Vip_Is_Never_Handed_To_A_Service()
    {
        await CreateNadAsync();
        var subnet = SubnetName("a");
        await Client.CreateAsync(new V1KubeOvnIp
        {
            Metadata = new V1ObjectMeta { Name = $"web-0.{Ns}.{Provider}" },
            Spec = new V1KubeOvnIpSpec { Subnet = subnet, V4IpAddress = "192.168.10.11", PodName = "web-0", Namespace = Ns },
        });
        await Client.CreateAsync(new V1KubeOvnVip
        {
            Metadata = new V1ObjectMeta { Name = $"{Ns}-keep" },
            Spec = new V1KubeOvnVipSpec { Subnet = subnet, V4Ip = "192.168.10.12" },
        });
        await CreateSubnetAsync("a");
        await Eventually(() => Client.GetAsync<V1Subnet>(subnet), s => ConditionList.IsTrue(s?.Status?.Conditions, "Ready"), "the Subnet to be ready");

        await CreateServiceAsync(LbService("web"));
        await WaitForIngressAsync("web", "192.168.10.13");

        // Kube-OVN mode (auto: its IP and Vip kinds are served): the Subnet's figures are Kube-OVN's to write.
        var status = (await Client.GetAsync<V1Subnet>(subnet))!.Status!;
        ConditionList.IsTrue(status.Conditions, "Ready").Should().BeTrue();
        status.V4UsingIPs.Should().BeNull("LbOperator writes none of the figures beside Kube-OVN");
        status.V4AvailableIPs.Should().BeNull();

        await CreateServiceAsync(LbService("taken", loadBalancerIp: "192.168.10.11"));
        var refused = await Eventually(() => GetServiceAsync("taken"),
            s => LoadBalancerCondition(s)?.Reason == EventReasons.AddressConflict, "the taken address to be refused");
        LoadBalancerCondition(refused)!.Message.Should().Contain($"192.168.10.11 of subnet {subnet} is in use by Kube-OVN IP web-0.{Ns}.{Provider}");

        // The pod goes: its address is free for the Service that asked for it.
        await Client.DeleteAsync<V1KubeOvnIp>($"web-0.{Ns}.{Provider}");
        await WaitForIngressAsync("taken", "192.168.10.11");
    }

    [Test]
    public async Task The_Seed_Gets_Its_Address_And_Kubectl_Shows_Kube_Ovns_Columns()
    {
        var crd = await Kubectl.RunOkAsync("get", "crd", "subnets.kubeovn.io", "-o", "jsonpath={.metadata.labels}");
        crd.Trim().Should().BeEmpty("the Subnet CRD is Kube-OVN's, not LbOperator's");

        foreach (var file in new[] { "nad.yaml", "subnet.yaml", "deployment.yaml", "service.yaml" })
        {
            await Kubectl.RunOkAsync("apply", "-f", Path.Combine(RepositoryRoot.Path, "examples", file));
        }

        var service = await Eventually(() => Client.GetAsync<V1Service>("test-service", "default"),
            s => s is not null && ConditionList.IsTrue(s.Status?.Conditions, ServiceController.ConditionType), "the seed Service to be ready");
        Ingress(service!).Should().Equal("172.18.0.18");

        var subnets = await Kubectl.RunOkAsync("get", "subnets");
        subnets.Split('\n')[0].Should().Contain("GATEWAYTYPE").And.Contain("V4USED").And.Contain("U2OINTERCONNECTIONIP");
        subnets.Should().Contain("attach-subnet").And.Contain("172.18.0.0/16");
    }
}
