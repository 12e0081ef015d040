using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;
using LbOperator.Tests.LoadBalancing;

namespace LbOperator.Tests.Gateway;

[Category("Unit")]
public sealed class GatewayBuilderTests
{
    private static readonly NetworkAttachment Attachment = new(AttachmentProvider.Default);
    private static readonly IPAddress[] SeedAddress = [IPAddress.Parse("172.18.0.18")];

    private static V1Deployment BuildSeed(V1Service? service = null, GatewaySettings? settings = null, NetworkAttachment? attachment = null) =>
        Build(service ?? TestObjects.Service(), TestObjects.Definition(), SeedAddress, settings, attachment);

    private static V1Deployment Build(V1Service service, LbOperator.Ipam.SubnetDefinition subnet, IReadOnlyList<IPAddress> addresses, GatewaySettings? settings = null, NetworkAttachment? attachment = null) =>
        GatewayBuilder.Build(service, TestObjects.Plan(service, subnet, attachment ?? Attachment), addresses, settings ?? new GatewaySettings());

    [Test]
    public void The_Deployment_Is_Named_For_The_Service_Owned_By_It_With_One_Replica_Recreated()
    {
        var deployment = BuildSeed();

        deployment.Metadata.Name.Should().Be("lb-svc-test-service");
        deployment.Metadata.NamespaceProperty.Should().Be("default");
        deployment.Metadata.OwnerReferences.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            ApiVersion = "v1", Kind = "Service", Name = "test-service", Uid = "uid-1", Controller = (bool?)true,
        });
        deployment.Spec.Replicas.Should().Be(1);
        deployment.Spec.Strategy.Type.Should().Be("Recreate");
        deployment.Spec.Selector.MatchLabels.Should().BeSubsetOf(deployment.Spec.Template.Metadata.Labels);
    }

    [Test]
    public void The_Pod_Template_Carries_The_Multus_Selection_And_The_Attachment_Annotations()
    {
        var annotations = BuildSeed().Spec.Template.Metadata.Annotations;

        annotations["k8s.v1.cni.cncf.io/networks"].Should().Be("[{\"name\":\"lb-svc-attachment\",\"namespace\":\"kube-system\",\"interface\":\"net1\"}]");
        annotations["lb-svc-attachment.kube-system.kubernetes.io/ip_address"].Should().Be("172.18.0.18");
        annotations["lb-svc-attachment.kube-system.kubernetes.io/cidr"].Should().Be("172.18.0.0/16");
        annotations["lb-svc-attachment.kube-system.kubernetes.io/gateway"].Should().Be("172.18.0.1");
        annotations["lb-svc-attachment.kube-system.kubernetes.io/logical_switch"].Should().Be("attach-subnet");
        annotations["lb-svc-attachment.kube-system.kubernetes.io/allocated"].Should().Be("true");
        annotations[Annotations.GatewayHash].Should().MatchRegex("^[0-9a-f]{16}$");
    }

    [Test]
    public void Only_The_Init_Container_Is_Privileged_And_The_Keeper_Has_Just_Net_Admin_And_Net_Raw()
    {
        var pod = BuildSeed().Spec.Template.Spec;

        var init = pod.InitContainers.Should().ContainSingle().Subject;
        init.SecurityContext.Privileged.Should().BeTrue();
        init.Command.Should().Equal("sh", "-c", GatewayScript.RenderApply(GatewayBuilder.Plan(
            ServiceForwarding.Parse(TestObjects.Service()).GetValueOrThrow(), TestObjects.Definition(), SeedAddress)));

        var keeper = pod.Containers.Should().ContainSingle().Subject;
        keeper.SecurityContext.Privileged.Should().NotBe(true);
        keeper.SecurityContext.AllowPrivilegeEscalation.Should().BeFalse();
        keeper.SecurityContext.Capabilities.Add.Should().Equal("NET_ADMIN", "NET_RAW");
        keeper.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        keeper.Env.Single(e => e.Name == GatewayBuilder.ApplyScriptVariable).Value.Should().Be(init.Command[2]);
        keeper.ReadinessProbe.Exec.Command[2].Should().Be(keeper.Env.Single(e => e.Name == GatewayBuilder.CheckScriptVariable).Value);
        pod.AutomountServiceAccountToken.Should().BeFalse();
    }

    [Test]
    public void The_Same_Inputs_Give_The_Same_Deployment() =>
        KubernetesYaml.Serialize(BuildSeed()).Should().Be(KubernetesYaml.Serialize(BuildSeed()));

    [Test]
    public void A_Changed_Port_Changes_The_Script_And_The_Hash()
    {
        var before = BuildSeed();
        var after = BuildSeed(TestObjects.Service(ports: [new V1ServicePort { Port = 81 }]));

        after.Spec.Template.Spec.InitContainers[0].Command[2].Should().Contain("--dport 81").And.NotContain("--dport 80 ");
        after.Spec.Template.Metadata.Annotations[Annotations.GatewayHash].Should().NotBe(before.Spec.Template.Metadata.Annotations[Annotations.GatewayHash]);
    }

    [Test]
    public void A_Changed_Subnet_Annotation_Changes_The_Hash()
    {
        var before = BuildSeed();
        var after = Build(TestObjects.Service(), TestObjects.Definition(name: "other-subnet"), SeedAddress);
        after.Spec.Template.Metadata.Annotations[Annotations.GatewayHash].Should().NotBe(before.Spec.Template.Metadata.Annotations[Annotations.GatewayHash]);
    }

    [Test]
    public void Long_Service_Names_Give_Names_And_Labels_Of_At_Most_63_Characters()
    {
        var longName = new string('a', 63);
        var deployment = BuildSeed(TestObjects.Service(name: longName));
        var other = BuildSeed(TestObjects.Service(name: new string('a', 62) + "b"));

        deployment.Metadata.Name.Should().HaveLength(63).And.StartWith("lb-svc-aaaa").And.NotBe(other.Metadata.Name);
        deployment.Spec.Template.Metadata.Labels.Values.Should().OnlyContain(v => v.Length <= 63);
        deployment.Metadata.Labels["app"].Should().Be(deployment.Metadata.Name);
    }

    [Test]
    public void The_Nad_Resource_Becomes_A_Request_And_A_Limit()
    {
        var deployment = BuildSeed(attachment: new NetworkAttachment(AttachmentProvider.Default, "intel.com/sriov_netdevice"));
        var resources = deployment.Spec.Template.Spec.Containers[0].Resources;
        resources.Requests["intel.com/sriov_netdevice"].ToString().Should().Be("1");
        resources.Limits["intel.com/sriov_netdevice"].ToString().Should().Be("1");
    }

    [Test]
    public void A_Bad_Nad_Resource_Name_Is_Refused() =>
        FluentActions.Invoking(() => new NetworkAttachment(AttachmentProvider.Default, "two words"))
            .Should().Throw<ArgumentException>().WithMessage("*resourceName \"two words\" is not a resource name*");

    [Test]
    public void Settings_Give_Image_Pull_Policy_Placement_And_Resources()
    {
        var settings = new GatewaySettings
        {
            Image = "registry.example/gw:1",
            ImagePullPolicy = "Always",
            NodeSelector = new Dictionary<string, string> { ["node-role/lb"] = "true" },
            Tolerations = [new V1Toleration { Key = "lb", OperatorProperty = "Exists" }],
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m") },
        };
        var pod = BuildSeed(settings: settings).Spec.Template.Spec;

        pod.Containers.Concat(pod.InitContainers).Should().OnlyContain(c => c.Image == "registry.example/gw:1" && c.ImagePullPolicy == "Always");
        pod.NodeSelector.Should().Equal(settings.NodeSelector);
        pod.Tolerations.Should().ContainSingle().Which.Key.Should().Be("lb");
        pod.Containers[0].Resources.Requests["cpu"].ToString().Should().Be("50m");
    }

    [Test]
    public void A_Single_Stack_Service_On_A_Dual_Stack_Subnet_Is_Served_On_Its_Own_Family()
    {
        var deployment = Build(TestObjects.Service(), TestObjects.Definition("172.18.0.0/16,fd00:18::/64"),
            [IPAddress.Parse("172.18.0.18"), IPAddress.Parse("fd00:18::12")]);

        deployment.Spec.Template.Metadata.Annotations["lb-svc-attachment.kube-system.kubernetes.io/ip_address"].Should().Be("172.18.0.18");
        deployment.Spec.Template.Spec.InitContainers[0].Command[2].Should().NotContain("ip6tables");
    }

    [Test]
    public void An_Address_Outside_The_Subnet_Is_A_Programming_Error() =>
        FluentActions.Invoking(() => Build(TestObjects.Service(), TestObjects.Definition(), [IPAddress.Parse("10.0.0.1")]))
            .Should().Throw<ArgumentException>();

    [Test]
    public void The_Kube_Ovn_Subnet_For_Eth0_Is_Copied_To_The_Pod_As_Kube_Ovn_Does()
    {
        var service = TestObjects.Service(TestObjects.ProviderAnnotations(("ovn.kubernetes.io/logical_switch", "vpc1-subnet")));
        BuildSeed(service).Spec.Template.Metadata.Annotations["ovn.kubernetes.io/logical_switch"].Should().Be("vpc1-subnet");
        BuildSeed().Spec.Template.Metadata.Annotations.Should().NotContainKey("ovn.kubernetes.io/logical_switch");
    }

    [Test]
    public void An_Empty_Image_Is_Refused() =>
        FluentActions.Invoking(() => BuildSeed(settings: new GatewaySettings { Image = "" }))
            .Should().Throw<ArgumentException>().WithMessage("the gateway image \"\" is not an image reference*");

    [Test]
    public void The_Long_Running_Container_Has_RuntimeDefault_Seccomp_And_A_Read_Only_Root_With_Run_And_Tmp_In_Memory()
    {
        var pod = BuildSeed().Spec.Template.Spec;
        var keeper = pod.Containers.Single();

        keeper.SecurityContext.SeccompProfile.Type.Should().Be("RuntimeDefault");
        keeper.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        keeper.VolumeMounts.Select(m => m.MountPath).Should().Equal("/run", "/tmp");
        pod.Volumes.Should().OnlyContain(v => v.EmptyDir != null && v.EmptyDir.Medium == "Memory" && v.HostPath == null);
        keeper.VolumeMounts.Select(m => m.Name).Should().BeSubsetOf(pod.Volumes.Select(v => v.Name));
    }

    [Test]
    public void A_Digest_Pins_The_Image_Of_Every_Container()
    {
        var digest = "sha256:" + new string('a', 64);
        var pod = BuildSeed(settings: new GatewaySettings { Image = "registry.example/gw:1", ImageDigest = digest }).Spec.Template.Spec;

        pod.Containers.Concat(pod.InitContainers).Should().OnlyContain(c => c.Image == $"registry.example/gw:1@{digest}");
    }

    [TestCase("sha256:abc")]
    [TestCase("md5:0123456789abcdef0123456789abcdef")]
    [TestCase("sha256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_Malformed_Digest_Is_Refused(string digest) =>
        FluentActions.Invoking(() => BuildSeed(settings: new GatewaySettings { ImageDigest = digest }))
            .Should().Throw<ArgumentException>().WithMessage("*is not sha256: and 64 lower-case hex digits*");

    [Test]
    public void A_Hundred_Ports_And_Twelve_Source_Ranges_Per_Family_Fit_In_One_Argument_Many_Times_Over()
    {
        var deployment = Largest(portCount: 100, rangesPerFamily: 12);

        // The rules used to be one DNAT per port and range: 2,400 lines here, a script of about 300 KB.
        GatewayLimits.LongestArgumentBytes(deployment).Should().BeLessThan(GatewayLimits.MaxArgumentBytes / 10);
        GatewayLimits.Problem(deployment, 100, 24).Should().BeNull();
    }

    [Test]
    public void A_Service_Whose_Script_Cannot_Be_Passed_To_A_Program_Is_Refused_With_Its_Size()
    {
        var deployment = Largest(portCount: 10, rangesPerFamily: 9000);

        GatewayLimits.LongestArgumentBytes(deployment).Should().BeGreaterThan(GatewayLimits.MaxArgumentBytes);
        GatewayLimits.Problem(deployment, 10, 18000).Should().Contain("10 ports and 18000 source ranges").And.Contain("(131072)");
    }

    /// <summary>A dual-stack Service with scattered TCP and UDP ports and that many source ranges of each family.</summary>
    private static V1Deployment Largest(int portCount, int rangesPerFamily)
    {
        var ports = Enumerable.Range(0, portCount)
            .Select(i => new V1ServicePort { Name = $"p{i}", Protocol = i % 2 == 0 ? "TCP" : "UDP", Port = 1000 + (7 * i) })
            .ToList();
        var ranges = Enumerable.Range(0, rangesPerFamily)
            .SelectMany(i => new[] { $"10.{i / 256 % 256}.{i % 256}.0/24", $"fd00:{i:x}:ffff:ffff::/64" })
            .ToList();
        var service = TestObjects.Service(clusterIps: ["10.109.201.193", "fd00:96::a"], ports: ports, sourceRanges: ranges);
        return Build(service, TestObjects.Definition("172.18.0.0/16,fd00:18::/64"),
            [IPAddress.Parse("172.18.0.18"), IPAddress.Parse("fd00:18::12")]);
    }
}
