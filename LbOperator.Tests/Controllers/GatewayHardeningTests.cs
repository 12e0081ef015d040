using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;
using LbOperator.Sandbox.Faults;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// No failure of the gateway is silent, no stranger's Deployment is taken over, a restore brings back the whole
/// template, and what the gateway does other than asked is said.
/// </summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class GatewayHardeningTests : OperatorTestBase
{
    private async Task<V1Service> ServeAsync(V1Service service)
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        await CreateServiceAsync(service);
        return await WaitForIngressAsync(service.Metadata.Name, "192.168.10.11");
    }

    [TestCase(403, "Forbidden", "exceeded quota")]
    [TestCase(422, "Invalid", "admission webhook \"injected.fault\" denied the request")]
    [TestCase(500, "InternalError", "injected fault")]
    public async Task A_Refused_Gateway_Creation_Is_Said_On_The_Service_And_Retried_With_Backoff(int code, string status, string answer)
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        Sandbox.Faults.FailWrites(new WriteFailure("deployments", "create", 1.0, code));
        await CreateServiceAsync(LbService("web"));

        var service = await Eventually(() => GetServiceAsync("web"),
            s => LoadBalancerCondition(s)?.Reason == EventReasons.GatewayWriteFailed, "the condition to say the gateway could not be created");
        var condition = LoadBalancerCondition(service)!;
        condition.Status.Should().Be("False");
        condition.Message.Should().Contain($"creating gateway Deployment {Ns}/lb-svc-web failed: the API server answered {code} {status}").And.Contain(answer);
        var warning = await WaitForEventAsync("web", EventReasons.GatewayWriteFailed);
        warning.Type.Should().Be("Warning");
        Ingress(service).Should().BeEmpty();

        // Backoff (200 ms doubling to 2 s here): a few attempts in two seconds, not a hot loop.
        var before = Sandbox.Faults.FailedWrites;
        await Task.Delay(2000);
        (Sandbox.Faults.FailedWrites - before).Should().BeLessThanOrEqualTo(8);

        Sandbox.Faults.Reset();
        await WaitForIngressAsync("web", "192.168.10.11");
        await Eventually(() => GetGatewayAsync("web"), d => d is not null, "the gateway to be created once the API server accepts it");
    }

    [Test]
    public async Task A_Refused_Write_Of_The_Services_Own_Record_Is_Said_In_A_Warning_Even_When_Its_Status_Cannot_Be_Written()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        // As an admission webhook refusing every update of Services: the record and the status alike.
        Sandbox.Faults.FailWrites(new WriteFailure("services", "update", 1.0, 422));
        await CreateServiceAsync(LbService("web"));

        var warning = await WaitForEventAsync("web", EventReasons.RecordWriteFailed);
        warning.Type.Should().Be("Warning");
        warning.Message.Should().Contain("recording its finalizer and addresses (192.168.10.11) on the Service failed: the API server answered 422 Invalid");

        Sandbox.Faults.Reset();
        await WaitForIngressAsync("web", "192.168.10.11");
    }

    [Test]
    public async Task A_Deployment_With_The_Gateways_Name_Labels_And_Manager_But_Another_Owner_Uid_Is_Never_Taken_Over()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        // A real owner of another uid, so that garbage collection keeps the stranger's Deployment.
        var decoy = await CreateServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "decoy", NamespaceProperty = Ns },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }] },
        });
        var labels = new Dictionary<string, string> { ["app"] = "lb-svc-web", ["namespace"] = Ns, ["service"] = "web" };
        var stranger = await Client.CreateAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta
            {
                Name = "lb-svc-web",
                NamespaceProperty = Ns,
                Labels = new Dictionary<string, string>(labels) { ["app.kubernetes.io/managed-by"] = GatewayBuilder.ManagedBy },
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Service", Name = "web", Uid = decoy.Metadata.Uid, Controller = true }],
            },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "other", Image = "example.org/other:1" }] },
                },
            },
        });

        await CreateServiceAsync(LbService("web"));

        var service = await Eventually(() => GetServiceAsync("web"),
            s => LoadBalancerCondition(s)?.Reason == EventReasons.GatewayNameTaken, "the condition to say the name is taken");
        LoadBalancerCondition(service)!.Status.Should().Be("False");
        (await WaitForEventAsync("web", EventReasons.GatewayNameTaken)).Type.Should().Be("Warning");
        await Task.Delay(500);
        var after = (await GetGatewayAsync("web"))!;
        // Its status moves as its pods come up; its spec is never written.
        after.Metadata.Generation.Should().Be(stranger.Metadata.Generation, "the stranger's Deployment is never written");
        after.Metadata.OwnerReferences.Should().ContainSingle().Which.Uid.Should().Be(decoy.Metadata.Uid);
        after.Spec.Template.Spec.Containers.Should().ContainSingle().Which.Image.Should().Be("example.org/other:1");
    }

    [Test]
    public async Task A_Restore_Removes_What_Someone_Added_To_The_Template()
    {
        await ServeAsync(LbService("web"));
        var gateway = (await GetGatewayAsync("web"))!;

        await EditAsync<V1Deployment>(gateway.Metadata.Name, Ns, d =>
        {
            var pod = d.Spec.Template.Spec;
            pod.HostPID = true;
            pod.Volumes.Add(new V1Volume { Name = "host", HostPath = new V1HostPathVolumeSource { Path = "/" } });
            pod.Containers[0].VolumeMounts.Add(new V1VolumeMount { Name = "host", MountPath = "/host" });
            pod.Containers[0].Env.Add(new V1EnvVar { Name = "EXTRA", Value = "1" });
            d.Spec.Template.Metadata.Annotations["v1.multus-cni.io/default-network"] = "other/net";
        });

        var restored = await Eventually(() => GetGatewayAsync("web"),
            d => d!.Spec.Template.Spec.HostPID != true
                && d.Spec.Template.Spec.Volumes.All(v => v.HostPath is null)
                && d.Spec.Template.Spec.Containers[0].VolumeMounts.All(m => m.Name != "host")
                && d.Spec.Template.Spec.Containers[0].Env.All(e => e.Name != "EXTRA")
                && !d.Spec.Template.Metadata.Annotations.ContainsKey("v1.multus-cni.io/default-network"),
            "the gateway's template to be restored whole");
        restored!.Spec.Template.Metadata.Annotations[Annotations.GatewayHash]
            .Should().Be(gateway.Spec.Template.Metadata.Annotations[Annotations.GatewayHash]);
    }

    [Test]
    public async Task A_Restore_Is_Not_Fooled_By_A_Forged_Cache_Digest()
    {
        await ServeAsync(LbService("web"));
        var gateway = (await GetGatewayAsync("web"))!;
        var untouched = GatewayDrift.Digest(gateway.Spec);

        // Whoever may edit the Deployment writes the digest of the untouched gateway where the cache keeps its own.
        await EditAsync<V1Deployment>(gateway.Metadata.Name, Ns, d =>
        {
            d.Spec.Template.Spec.HostPID = true;
            d.Spec.Template.Metadata.Annotations[GatewayCache.SpecDigestAnnotation] = untouched;
        });

        var restored = await Eventually(() => GetGatewayAsync("web"),
            d => d!.Spec.Template.Spec.HostPID != true, "the gateway's template to be restored");
        restored!.Spec.Template.Metadata.Annotations.Should().NotContainKey(GatewayCache.SpecDigestAnnotation);
        GatewayDrift.Digest(restored.Spec).Should().Be(untouched);
    }

    [Test]
    public async Task A_Settled_Gateway_And_A_Rollout_Restart_Are_Left_Alone()
    {
        await ServeAsync(LbService("web"));
        var restarted = await EditAsync<V1Deployment>(GatewayNames.Deployment("web"), Ns,
            d => d.Spec.Template.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"] = "2026-12-02T10:00:00Z");

        await Task.Delay(1000);

        var after = (await GetGatewayAsync("web"))!;
        after.Metadata.Generation.Should().Be(restarted.Metadata.Generation, "what the API server defaulted and a restart are no drift");
        after.Spec.Template.Metadata.Annotations.Should().ContainKey("kubectl.kubernetes.io/restartedAt");
    }

    [Test]
    public async Task ExternalTrafficPolicy_Local_Is_Served_With_A_Warning_Saying_What_The_Gateway_Does()
    {
        var web = LbService("web");
        web.Spec.ExternalTrafficPolicy = "Local";
        await ServeAsync(web);

        var warning = await WaitForEventAsync("web", EventReasons.ExternalTrafficPolicyNotHonoured);
        warning.Type.Should().Be("Warning");
        warning.Message.Should().Contain("masquerades");
        var service = await Eventually(() => GetServiceAsync("web"), s => LoadBalancerCondition(s)?.Status == "True", "the Service to be ready");
        LoadBalancerCondition(service)!.Message.Should().Contain("externalTrafficPolicy: Local is not honoured");

        await Task.Delay(500);
        (await EventsAboutAsync("web")).Where(e => e.Reason == EventReasons.ExternalTrafficPolicyNotHonoured)
            .Should().ContainSingle().Which.Count.Should().Be(1, "a settled Service is not told again");
    }

    [Test]
    public async Task RequireDualStack_On_A_Single_Family_Subnet_Is_Served_On_That_Family_With_A_Warning()
    {
        var web = LbService("web");
        web.Spec.ClusterIP = null;
        web.Spec.IpFamilyPolicy = "RequireDualStack";
        await ServeAsync(web);

        var warning = await WaitForEventAsync("web", EventReasons.DualStackNotHonoured);
        warning.Type.Should().Be("Warning");
        warning.Message.Should().Contain($"Subnet {SubnetName("a")} has only IPv4 192.168.10.0/24: the gateway serves IPv4 only");
    }

    [Test]
    public async Task The_Older_Source_Ranges_Annotation_Reaches_The_Gateway()
    {
        var web = LbService("web");
        web.Metadata.Annotations[Annotations.LegacySourceRanges] = "192.168.50.0/24";
        await ServeAsync(web);

        var gateway = (await GetGatewayAsync("web"))!;
        gateway.Spec.Template.Spec.InitContainers[0].Command[2].Should().Contain("-A LBSVC-PREROUTING -s 192.168.50.0/24 -d 192.168.10.11/32 -j LBSVC-DNAT");
    }

    [Test]
    public async Task A_40_KB_Annotation_Gives_A_Bounded_Condition_And_Event()
    {
        await CreateNadAsync();
        await CreateSubnetAsync("a");
        var web = LbService("web");
        web.Metadata.Annotations[Annotations.AttachmentProvider] = new string('X', 40 * 1024);
        await CreateServiceAsync(web);

        var warning = await WaitForEventAsync("web", EventReasons.InvalidAnnotation);
        warning.Message.Length.Should().BeLessThanOrEqualTo(MessageText.MaxMessageLength);
        warning.Message.Should().Contain("(40960 characters)");
        var condition = LoadBalancerCondition(await GetServiceAsync("web"))!;
        condition.Message.Length.Should().BeLessThanOrEqualTo(MessageText.MaxMessageLength);
    }
}
