using System.Net;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox;

[Category("Sandbox")]
public sealed class ServiceTests : SandboxTestBase
{
    private static V1Service Service(string name, string type = "ClusterIP", string? clusterIp = null, string? policy = null, params int[] ports) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec
        {
            Type = type,
            ClusterIP = clusterIp,
            IpFamilyPolicy = policy,
            Selector = new Dictionary<string, string> { ["app"] = name },
            Ports = [.. (ports.Length == 0 ? [80] : ports).Select(p => new V1ServicePort { Name = $"p{p}", Port = p })],
        },
    };

    [Test]
    public async Task ClusterIP_Service_Gets_The_Defaults_Kube_Apiserver_Applies()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("web"), Ns);
        svc.Spec.Type.Should().Be("ClusterIP");
        svc.Spec.SessionAffinity.Should().Be("None");
        svc.Spec.InternalTrafficPolicy.Should().Be("Cluster");
        svc.Spec.ExternalTrafficPolicy.Should().BeNull();
        svc.Spec.AllocateLoadBalancerNodePorts.Should().BeNull();
        svc.Spec.IpFamilyPolicy.Should().Be("SingleStack");
        svc.Spec.IpFamilies.Should().Equal("IPv4");
        svc.Spec.Ports[0].Protocol.Should().Be("TCP");
        svc.Spec.Ports[0].TargetPort.Value.Should().Be("80");
        svc.Spec.Ports[0].NodePort.Should().BeNull();
        IPNetwork.Parse("10.96.0.0/12").Contains(IPAddress.Parse(svc.Spec.ClusterIP)).Should().BeTrue();
        svc.Spec.ClusterIPs.Should().Equal(svc.Spec.ClusterIP);
        svc.Status.LoadBalancer.Should().NotBeNull();
    }

    [Test]
    public async Task LoadBalancer_Service_Gets_NodePorts_And_Traffic_Policies()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("lb", "LoadBalancer", ports: [80, 443]), Ns);
        svc.Spec.ExternalTrafficPolicy.Should().Be("Cluster");
        svc.Spec.AllocateLoadBalancerNodePorts.Should().BeTrue();
        svc.Spec.Ports.Select(p => p.NodePort!.Value).Should().OnlyContain(p => p >= 30000 && p <= 32767).And.OnlyHaveUniqueItems();
    }

    [Test]
    public async Task LoadBalancer_With_Local_Traffic_Gets_A_HealthCheckNodePort()
    {
        var request = Service("local", "LoadBalancer");
        request.Spec.ExternalTrafficPolicy = "Local";
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(request, Ns);
        svc.Spec.HealthCheckNodePort.Should().BeInRange(30000, 32767);
    }

    [Test]
    public async Task LoadBalancer_Without_NodePort_Allocation_Gets_None()
    {
        var request = Service("nonp", "LoadBalancer");
        request.Spec.AllocateLoadBalancerNodePorts = false;
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(request, Ns);
        svc.Spec.Ports[0].NodePort.Should().BeNull();
    }

    [Test]
    public async Task Requested_ClusterIP_Is_Honoured_And_Then_Taken()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("fixed", clusterIp: "10.96.100.100"), Ns);
        svc.Spec.ClusterIP.Should().Be("10.96.100.100");
        var e = await Fails(() => Client.CoreV1.CreateNamespacedServiceAsync(Service("again", clusterIp: "10.96.100.100"), Ns));
        e.Response.StatusCode.Should().Be((HttpStatusCode)422);
        CrudTests.Status(e).Message.Should().Contain("failed to allocate IP 10.96.100.100: provided IP is already allocated");
        CrudTests.Status(e).Details.Causes.Should().Contain(c => c.Field == "spec.clusterIPs");
    }

    [Test]
    public async Task ClusterIP_Outside_The_Range_Is_Invalid()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedServiceAsync(Service("outside", clusterIp: "192.168.1.1"), Ns));
        CrudTests.Status(e).Message.Should().Contain("the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12");
    }

    [Test]
    public async Task Deleting_A_Service_Frees_Its_ClusterIP()
    {
        await Client.CoreV1.CreateNamespacedServiceAsync(Service("first", clusterIp: "10.96.100.101"), Ns);
        await Client.CoreV1.DeleteNamespacedServiceAsync("first", Ns);
        var second = await Client.CoreV1.CreateNamespacedServiceAsync(Service("second", clusterIp: "10.96.100.101"), Ns);
        second.Spec.ClusterIP.Should().Be("10.96.100.101");
    }

    [Test]
    public async Task ClusterIP_Is_Immutable()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("imm"), Ns);
        svc.Spec.ClusterIP = "10.96.100.102";
        svc.Spec.ClusterIPs = ["10.96.100.102"];
        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedServiceAsync(svc, "imm", Ns));
        e.Response.StatusCode.Should().Be((HttpStatusCode)422);
        CrudTests.Status(e).Details.Causes.Should().Contain(c => c.Field == "spec.clusterIPs[0]");
    }

    [Test]
    public async Task Update_Without_ClusterIP_Or_NodePorts_Keeps_The_Allocated_Ones()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("keep", "NodePort"), Ns);
        var replacement = Service("keep", "NodePort");
        replacement.Metadata.ResourceVersion = svc.Metadata.ResourceVersion;
        replacement.Metadata.Labels = new Dictionary<string, string> { ["changed"] = "yes" };
        var updated = await Client.CoreV1.ReplaceNamespacedServiceAsync(replacement, "keep", Ns);
        updated.Spec.ClusterIP.Should().Be(svc.Spec.ClusterIP);
        updated.Spec.Ports[0].NodePort.Should().Be(svc.Spec.Ports[0].NodePort);
    }

    [Test]
    public async Task NodePort_Outside_The_Range_Or_In_Use_Is_Invalid()
    {
        var outside = Service("np-out", "NodePort");
        outside.Spec.Ports[0].NodePort = 80;
        var e = await Fails(() => Client.CoreV1.CreateNamespacedServiceAsync(outside, Ns));
        CrudTests.Status(e).Message.Should().Contain("spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767");

        var first = Service("np-a", "NodePort");
        first.Spec.Ports[0].NodePort = 31000;
        await Client.CoreV1.CreateNamespacedServiceAsync(first, Ns);
        var second = Service("np-b", "NodePort");
        second.Spec.Ports[0].NodePort = 31000;
        var taken = await Fails(() => Client.CoreV1.CreateNamespacedServiceAsync(second, Ns));
        CrudTests.Status(taken).Message.Should().Contain("provided port is already allocated");
    }

    [Test]
    public async Task Changing_Type_To_ClusterIP_Drops_NodePorts_And_Traffic_Policy()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("down", "LoadBalancer"), Ns);
        var patched = await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("{\"spec\":{\"type\":\"ClusterIP\"}}", V1Patch.PatchType.MergePatch), "down", Ns);
        patched.Spec.Ports[0].NodePort.Should().BeNull();
        patched.Spec.ExternalTrafficPolicy.Should().BeNull();
        patched.Spec.AllocateLoadBalancerNodePorts.Should().BeNull();
        patched.Spec.ClusterIP.Should().Be(svc.Spec.ClusterIP);
    }

    [Test]
    public async Task Dual_Stack_Services_Get_One_Address_Per_Family()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("dual", policy: "PreferDualStack"), Ns);
        svc.Spec.IpFamilies.Should().Equal("IPv4", "IPv6");
        svc.Spec.ClusterIPs.Should().HaveCount(2);
        IPNetwork.Parse("fd00:10:96::/112").Contains(IPAddress.Parse(svc.Spec.ClusterIPs[1])).Should().BeTrue();

        var v6First = Service("v6first", policy: "RequireDualStack");
        v6First.Spec.IpFamilies = ["IPv6", "IPv4"];
        var created = await Client.CoreV1.CreateNamespacedServiceAsync(v6First, Ns);
        IPAddress.Parse(created.Spec.ClusterIP).AddressFamily.Should().Be(System.Net.Sockets.AddressFamily.InterNetworkV6);

        var single6 = Service("single6");
        single6.Spec.IpFamilies = ["IPv6"];
        var v6 = await Client.CoreV1.CreateNamespacedServiceAsync(single6, Ns);
        v6.Spec.IpFamilyPolicy.Should().Be("SingleStack");
        v6.Spec.ClusterIPs.Should().ContainSingle().Which.Should().Contain(":");
    }

    [Test]
    public async Task Services_Move_Between_Single_And_Dual_Stack()
    {
        var single = await Client.CoreV1.CreateNamespacedServiceAsync(Service("upgrade"), Ns);
        var dual = await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("{\"spec\":{\"ipFamilyPolicy\":\"PreferDualStack\"}}", V1Patch.PatchType.MergePatch), "upgrade", Ns);
        dual.Spec.ClusterIPs.Should().HaveCount(2).And.StartWith(single.Spec.ClusterIP);
        dual.Spec.IpFamilies.Should().Equal("IPv4", "IPv6");

        var back = await Client.CoreV1.PatchNamespacedServiceAsync(new V1Patch("{\"spec\":{\"ipFamilyPolicy\":\"SingleStack\"}}", V1Patch.PatchType.MergePatch), "upgrade", Ns);
        back.Spec.ClusterIPs.Should().Equal(single.Spec.ClusterIP);
        back.Spec.IpFamilies.Should().Equal("IPv4");
    }

    [Test]
    public async Task SingleStack_With_Two_Families_Is_Invalid()
    {
        var request = Service("bad", policy: "SingleStack");
        request.Spec.IpFamilies = ["IPv4", "IPv6"];
        var e = await Fails(() => Client.CoreV1.CreateNamespacedServiceAsync(request, Ns));
        CrudTests.Status(e).Details.Causes.Should().Contain(c => c.Field == "spec.ipFamilyPolicy");
    }

    [Test]
    public async Task Headless_Service_Has_No_ClusterIP()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("headless", clusterIp: "None"), Ns);
        svc.Spec.ClusterIP.Should().Be("None");
        svc.Spec.ClusterIPs.Should().Equal("None");
    }

    [Test]
    public async Task Service_Validation_Names_Each_Bad_Field()
    {
        var request = new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "1bad" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }, new V1ServicePort { Port = 70000, Protocol = "HTTP" }] },
        };
        var e = await Fails(() => Client.CoreV1.CreateNamespacedServiceAsync(request, Ns));
        var fields = CrudTests.Status(e).Details.Causes.Select(c => c.Field).ToList();
        fields.Should().Contain(["metadata.name", "spec.ports[0].name", "spec.ports[1].port", "spec.ports[1].protocol"]);
    }

    [Test]
    public async Task Status_Is_Ignored_On_The_Main_Endpoint_And_Written_Through_Status()
    {
        var svc = await Client.CoreV1.CreateNamespacedServiceAsync(Service("st", "LoadBalancer"), Ns);
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.100" }];
        var main = await Client.CoreV1.ReplaceNamespacedServiceAsync(svc, "st", Ns);
        main.Status.LoadBalancer.Ingress.Should().BeNullOrEmpty();

        main.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.100" }];
        main.Spec.Ports[0].Port = 8080;
        var status = await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(main, "st", Ns);
        status.Status.LoadBalancer.Ingress.Should().ContainSingle().Which.Ip.Should().Be("172.18.0.100");
        status.Spec.Ports[0].Port.Should().Be(80);

        var patched = await Client.CoreV1.PatchNamespacedServiceStatusAsync(
            new V1Patch("{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"172.18.0.101\"}]}}}", V1Patch.PatchType.MergePatch), "st", Ns);
        patched.Status.LoadBalancer.Ingress.Should().ContainSingle().Which.Ip.Should().Be("172.18.0.101");
    }

    [Test]
    public async Task The_Kubernetes_Service_Exists_In_Default()
    {
        var svc = await Client.CoreV1.ReadNamespacedServiceAsync("kubernetes", "default");
        svc.Spec.ClusterIP.Should().Be("10.96.0.1");
    }
}
