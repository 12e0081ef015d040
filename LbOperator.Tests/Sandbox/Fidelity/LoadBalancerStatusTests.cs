using System.Net;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>status.loadBalancer as kube-apiserver 1.32 keeps it (defaulting, ValidateLoadBalancerStatus, dropTypeDependentFields).</summary>
[Category("Sandbox")]
public sealed class LoadBalancerStatusTests : SandboxTestBase
{
    private async Task<V1Service> CreateAsync(string name, string type) =>
        await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1ServiceSpec { Type = type, Ports = [new V1ServicePort { Port = 80 }] },
        }, Ns);

    [Test]
    public async Task An_Ingress_Address_Gets_IpMode_VIP()
    {
        var svc = await CreateAsync("lb", "LoadBalancer");
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.100" }, new V1LoadBalancerIngress { Ip = "172.18.0.101", IpMode = "Proxy" }];

        var written = await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "lb", Ns);

        written.Status.LoadBalancer.Ingress.Select(i => i.IpMode).Should().Equal("VIP", "Proxy");
        (await Client.CoreV1.ReadNamespacedServiceAsync("lb", Ns)).Status.LoadBalancer.Ingress[0].IpMode.Should().Be("VIP");
    }

    [Test]
    public async Task An_Ingress_Hostname_Gets_No_IpMode()
    {
        var svc = await CreateAsync("lb", "LoadBalancer");
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Hostname = "lb.example.com" }];

        var written = await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "lb", Ns);

        written.Status.LoadBalancer.Ingress.Should().ContainSingle().Which.IpMode.Should().BeNull();
    }

    [Test]
    public async Task An_Ingress_Ip_That_Is_No_Address_Is_Refused()
    {
        var svc = await CreateAsync("lb", "LoadBalancer");
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "lb.example.com" }];

        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "lb", Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var cause = CrudTests.Status(e).Details.Causes.Should().ContainSingle().Subject;
        cause.Field.Should().Be("status.loadBalancer.ingress[0].ip");
        cause.Message.Should().Be("Invalid value: \"lb.example.com\": must be a valid IP address");
    }

    [TestCase("010.0.0.1")]
    [TestCase("fd00::1")]
    public async Task Addresses_Go_Parses_Sloppily_Are_Accepted(string ip)
    {
        var svc = await CreateAsync("lb", "LoadBalancer");
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = ip }];

        var written = await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "lb", Ns);

        written.Status.LoadBalancer.Ingress[0].Ip.Should().Be(ip);
    }

    [Test]
    public async Task Unknown_IpModes_And_IpModes_Without_An_Address_Are_Refused()
    {
        var svc = await CreateAsync("lb", "LoadBalancer");
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.100", IpMode = "Direct" }, new V1LoadBalancerIngress { Hostname = "a.example.com", IpMode = "VIP" }];

        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "lb", Ns));

        CrudTests.Status(e).Details.Causes.Select(c => (c.Field, c.Message)).Should().Equal(
            ("status.loadBalancer.ingress[0].ipMode", "Unsupported value: \"Direct\": supported values: \"Proxy\", \"VIP\""),
            ("status.loadBalancer.ingress[1].ipMode", "Forbidden: may not be specified when `ip` is not set"));
    }

    [Test]
    public async Task A_Status_Write_Whose_Body_Is_No_LoadBalancer_Gets_No_Default_And_Needs_An_IpMode()
    {
        // Defaulting looks at the request body as sent; validation at the stored Service.
        var svc = await CreateAsync("lb", "LoadBalancer");
        svc.Spec.Type = null;
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.100" }];

        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "lb", Ns));

        CrudTests.Status(e).Details.Causes.Should().ContainSingle().Which.Message.Should().Be("Required value: must be specified when `ip` is set");
    }

    [TestCase("ClusterIP")]
    [TestCase("NodePort")]
    public async Task Ingress_On_A_Service_Of_Another_Type_Is_Refused(string type)
    {
        var svc = await CreateAsync("other", type);
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.100" }];

        var e = await Fails(() => Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "other", Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var status = CrudTests.Status(e);
        status.Message.Should().Be("Service \"other\" is invalid: status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'");
        status.Details.Causes.Should().ContainSingle().Which.Field.Should().Be("status.loadBalancer.ingress");
    }

    [Test]
    public async Task Changing_The_Type_Away_From_LoadBalancer_Clears_The_Status()
    {
        var svc = await CreateAsync("lb", "LoadBalancer");
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.100" }];
        svc = await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "lb", Ns);

        svc.Spec.Type = "ClusterIP";
        var changed = await Client.CoreV1.ReplaceNamespacedServiceAsync(svc, "lb", Ns);

        changed.Status.LoadBalancer.Ingress.Should().BeNullOrEmpty();
        (await Client.CoreV1.ReadNamespacedServiceAsync("lb", Ns)).Status.LoadBalancer.Ingress.Should().BeNullOrEmpty();
    }

    [Test]
    public async Task A_Write_That_Keeps_The_Type_LoadBalancer_Keeps_The_Status()
    {
        var svc = await CreateAsync("lb", "LoadBalancer");
        svc.Status.LoadBalancer.Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.100" }];
        svc = await Client.CoreV1.ReplaceNamespacedServiceStatusAsync(svc, "lb", Ns);

        svc.Metadata.Labels = new Dictionary<string, string> { ["touched"] = "yes" };
        var changed = await Client.CoreV1.ReplaceNamespacedServiceAsync(svc, "lb", Ns);

        changed.Status.LoadBalancer.Ingress.Should().ContainSingle().Which.Ip.Should().Be("172.18.0.100");
    }
}
