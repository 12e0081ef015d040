using System.Net;
using k8s.Models;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;
using LbOperator.Tests.LoadBalancing;

namespace LbOperator.Tests.Gateway;

[Category("Unit")]
public sealed class HighAvailabilityBuilderTests
{
    private static readonly IPAddress[] SeedAddress = [IPAddress.Parse("172.18.0.18")];
    private static readonly VrrpRouterId RouterId = new(42);

    private static V1Deployment Build(int? replicas, GatewaySettings? settings = null, VrrpRouterId? routerId = null)
    {
        var service = TestObjects.Service();
        var plan = TestObjects.Plan(service, TestObjects.Definition()) with { GatewayReplicas = replicas };
        return GatewayBuilder.Build(service, plan, SeedAddress, settings ?? new GatewaySettings(), routerId ?? RouterId);
    }

    [Test]
    public void Two_Replicas_Roll_With_A_Surge_Pod_And_None_Unavailable_Spread_One_Per_Node()
    {
        var deployment = Build(2);

        deployment.Spec.Replicas.Should().Be(2);
        deployment.Spec.Strategy.Type.Should().Be("RollingUpdate");
        deployment.Spec.Strategy.RollingUpdate.MaxSurge.Value.Should().Be("1");
        deployment.Spec.Strategy.RollingUpdate.MaxUnavailable.Value.Should().Be("0");
        var term = deployment.Spec.Template.Spec.Affinity.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution.Should().ContainSingle().Subject;
        term.TopologyKey.Should().Be("kubernetes.io/hostname");
        var hash = deployment.Spec.Template.Metadata.Annotations[Annotations.GatewayHash];
        // Only pods of the same template repel each other: a rollout's new pod may start beside an old one.
        term.LabelSelector.MatchLabels.Should().Equal(new Dictionary<string, string>
        {
            ["app"] = "lb-svc-test-service", ["namespace"] = "default", ["service"] = "test-service", [Annotations.GatewayHash] = hash,
        });
        deployment.Spec.Template.Metadata.Labels.Should().Contain(Annotations.GatewayHash, hash);
        deployment.Spec.Selector.MatchLabels.Should().NotContainKey(Annotations.GatewayHash, "the selector never changes with the template");
    }

    [Test]
    public void The_Vrrp_Container_Runs_Keepalived_With_The_Router_Id_And_Only_Network_Capabilities()
    {
        var deployment = Build(2);
        var pod = deployment.Spec.Template.Spec;

        pod.Containers.Select(c => c.Name).Should().Equal(GatewayBuilder.ContainerName, GatewayBuilder.VrrpContainerName);
        var vrrp = pod.Containers[1];
        vrrp.Command[2].Should().Contain("exec keepalived --dont-fork").And.Contain("virtual_router_id 42").And.Contain("advert_int 0.10");
        vrrp.Env.Should().ContainSingle(e => e.Name == GatewayBuilder.CheckScriptVariable).Which.Value.Should().Be(pod.Containers[0].ReadinessProbe.Exec.Command[2]);
        vrrp.SecurityContext.Privileged.Should().BeNull();
        vrrp.SecurityContext.Capabilities.Add.Should().BeEquivalentTo(["NET_ADMIN", "NET_RAW", "SETUID", "SETGID"], "keepalived sets its check script's user and groups");
        vrrp.SecurityContext.Capabilities.Drop.Should().Equal("ALL");
        vrrp.ReadinessProbe.Exec.Command.Should().Equal("sh", "-c", $"grep -qxE 'BACKUP|MASTER' {GatewayScript.VrrpStateFile}");
        vrrp.Command[2].Should().Contain($"rm -f {GatewayScript.VrrpStateFile}\n", "a restarted container is not ready until keepalived says so");
        vrrp.SecurityContext.ReadOnlyRootFilesystem.Should().BeTrue();
        deployment.Spec.Template.Metadata.Annotations[Annotations.GatewayRouterId].Should().Be("42");
    }

    [Test]
    public void The_Pods_Leave_The_Address_To_Keepalived_And_Are_Ready_Without_It()
    {
        var pod = Build(2).Spec.Template.Spec;
        var apply = pod.InitContainers.Single().Command[2];
        var check = pod.Containers[0].ReadinessProbe.Exec.Command[2];

        apply.Should().NotContain("addr replace 172.18.0.18/16").And.NotContain("arping");
        apply.Should().Contain("ip -4 addr replace \"$(vrrp_source)/32\" dev net1 scope link");
        apply.Should().Contain("-A LBSVC-DNAT -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.109.201.193:80", "the rules are in place on every pod");
        check.Should().NotContain("172.18.0.18/16", "a standby is ready without the address").And.Contain("169.254.");
        ShellSyntax.Check(apply).Should().BeEmpty();
        ShellSyntax.Check(check).Should().BeEmpty();
        ShellSyntax.Check(pod.Containers[1].Command[2]).Should().BeEmpty();
    }

    [Test]
    public void One_Replica_Stays_As_Before_And_Needs_No_Router_Id()
    {
        var service = TestObjects.Service();
        var plan = TestObjects.Plan(service, TestObjects.Definition());
        var single = GatewayBuilder.Build(service, plan, SeedAddress, new GatewaySettings());
        var asked = GatewayBuilder.Build(service, plan with { GatewayReplicas = 1 }, SeedAddress, new GatewaySettings { Replicas = 2 });

        single.Spec.Replicas.Should().Be(1);
        single.Spec.Strategy.Type.Should().Be("Recreate");
        single.Spec.Template.Spec.Affinity.Should().BeNull();
        single.Spec.Template.Spec.Containers.Should().ContainSingle();
        single.Spec.Template.Metadata.Annotations.Should().NotContainKey(Annotations.GatewayRouterId);
        asked.Spec.Replicas.Should().Be(1, "the Service's annotation wins over the operator's default");
    }

    [Test]
    public void The_Operator_Default_Makes_Every_Gateway_Highly_Available_Unless_The_Service_Says()
    {
        Build(null, new GatewaySettings { Replicas = 3 }).Spec.Replicas.Should().Be(3);
        var service = TestObjects.Service();
        var act = () => GatewayBuilder.Build(service, TestObjects.Plan(service, TestObjects.Definition()), SeedAddress, new GatewaySettings { Replicas = 2 });
        act.Should().Throw<ArgumentException>().WithMessage("*router id*");
    }

    [Test]
    public void A_Change_Of_Router_Id_Or_Interval_Rolls_The_Pods_And_The_Same_Inputs_Give_The_Same_Template()
    {
        var hash = Build(2).Spec.Template.Metadata.Annotations[Annotations.GatewayHash];

        Build(2).Spec.Template.Metadata.Annotations[Annotations.GatewayHash].Should().Be(hash);
        Build(2, routerId: new VrrpRouterId(43)).Spec.Template.Metadata.Annotations[Annotations.GatewayHash].Should().NotBe(hash);
        Build(2, new GatewaySettings { VrrpAdvertisementInterval = TimeSpan.FromMilliseconds(50) })
            .Spec.Template.Metadata.Annotations[Annotations.GatewayHash].Should().NotBe(hash);
    }
}

[Category("Unit")]
public sealed class GatewayReadyPodsTests
{
    private static V1Deployment Gateway(int replicas, int ready) => new()
    {
        Spec = new V1DeploymentSpec { Replicas = replicas },
        Status = new V1DeploymentStatus { ReadyReplicas = ready },
    };

    [Test]
    public void The_Condition_Counts_Ready_Pods_Up_To_The_Request()
    {
        GatewayProgress.ReadyPods(Gateway(2, 2)).Should().Be("2 of 2 ready");
        GatewayProgress.ReadyPods(Gateway(2, 3)).Should().Be("2 of 2 ready", "a rollout's surge pod stands in for an old one");
        GatewayProgress.ReadyPods(Gateway(2, 1)).Should().Be("1 of 2 ready");
    }

    [Test]
    public void A_Standby_Is_Missing_Only_When_Several_Were_Asked_For()
    {
        GatewayProgress.IsShort(Gateway(2, 1)).Should().BeTrue();
        GatewayProgress.IsShort(Gateway(2, 2)).Should().BeFalse();
        GatewayProgress.IsShort(Gateway(1, 0)).Should().BeFalse();
        GatewayProgress.WasWhole("gateway Deployment x is ready (2 of 2 ready); ...", Gateway(2, 1)).Should().BeTrue();
        GatewayProgress.WasWhole("gateway Deployment x is ready (1 of 2 ready); ...", Gateway(2, 1)).Should().BeFalse();
    }
}
