using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Tests.LoadBalancing;

namespace LbOperator.Tests.Controllers;

[Category("Unit")]
public sealed class GatewayDriftTests
{
    private static V1Deployment Desired() => TestObjects.Gateway();

    /// <summary>The desired Deployment as the API server stores it: every documented default filled in.</summary>
    private static V1Deployment Defaulted()
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(Desired()))!.AsObject();
        var spec = json["spec"]!.AsObject();
        spec["revisionHistoryLimit"] = 10;
        spec["progressDeadlineSeconds"] = 600;
        var pod = spec["template"]!["spec"]!.AsObject();
        pod["restartPolicy"] = "Always";
        pod["dnsPolicy"] = "ClusterFirst";
        pod["schedulerName"] = "default-scheduler";
        pod["securityContext"] = new JsonObject();
        foreach (var container in pod["containers"]!.AsArray().Concat(pod["initContainers"]!.AsArray()))
        {
            container!["terminationMessagePath"] = "/dev/termination-log";
            container["terminationMessagePolicy"] = "File";
        }

        pod["containers"]![0]!["readinessProbe"]!["successThreshold"] = 1;
        return KubernetesJson.Deserialize<V1Deployment>(json.ToJsonString());
    }

    [Test]
    public void What_The_API_Server_Defaults_Is_No_Difference() =>
        GatewayDrift.Differences(Defaulted(), Desired()).Should().BeEmpty();

    [Test]
    public void A_Rollout_Restart_Is_No_Difference()
    {
        var live = Defaulted();
        live.Spec.Template.Metadata.Annotations[GatewayDrift.RestartedAtAnnotation] = "2026-12-02T10:00:00Z";
        GatewayDrift.Differences(live, Desired()).Should().BeEmpty();
    }

    [Test]
    public void Added_HostPID_HostPath_Volume_And_Env_Are_Differences()
    {
        var live = Defaulted();
        live.Spec.Template.Spec.HostPID = true;
        live.Spec.Template.Spec.Volumes.Add(new V1Volume { Name = "root", HostPath = new V1HostPathVolumeSource { Path = "/" } });
        live.Spec.Template.Spec.Containers[0].Env.Add(new V1EnvVar { Name = "EXTRA", Value = "1" });

        GatewayDrift.Differences(live, Desired()).Should().BeEquivalentTo(
            "spec.template.spec.hostPID added",
            "spec.template.spec.volumes[2] added",
            "spec.template.spec.containers[0].env[2] added");
    }

    [Test]
    public void A_Defaulted_Field_With_Another_Value_Is_A_Difference()
    {
        var live = Defaulted();
        live.Spec.Template.Spec.DnsPolicy = "None";
        GatewayDrift.Differences(live, Desired()).Should().Equal("spec.template.spec.dnsPolicy added");
    }

    [Test]
    public void An_Added_Pod_Annotation_Or_Label_Is_A_Difference()
    {
        var live = Defaulted();
        live.Spec.Template.Metadata.Annotations["v1.multus-cni.io/default-network"] = "other/net";
        GatewayDrift.Differences(live, Desired()).Should().Equal("spec.template.metadata.annotations[\"v1.multus-cni.io/default-network\"] added");
    }

    [Test]
    public void A_Changed_Or_Missing_Field_Is_A_Difference()
    {
        var live = Defaulted();
        live.Spec.Template.Spec.Containers[0].Image = "example.org/other:1";
        live.Spec.Template.Spec.AutomountServiceAccountToken = null;
        GatewayDrift.Differences(live, Desired()).Should().BeEquivalentTo(
            "spec.template.spec.containers[0].image changed", "spec.template.spec.automountServiceAccountToken missing");
    }

    /// <summary>Edits someone might make to a live gateway: some are differences, some are not.</summary>
    private static readonly (string Name, Action<V1Deployment> Edit)[] Edits =
    [
        ("hostPID", d => d.Spec.Template.Spec.HostPID = true),
        ("rollout restart", d => d.Spec.Template.Metadata.Annotations[GatewayDrift.RestartedAtAnnotation] = "2026-12-02T10:00:00Z"),
        ("dnsPolicy None", d => d.Spec.Template.Spec.DnsPolicy = "None"),
        ("dnsPolicy unset", d => d.Spec.Template.Spec.DnsPolicy = null),
        ("image", d => d.Spec.Template.Spec.Containers[0].Image = "example.org/other:1"),
        ("env added", d => d.Spec.Template.Spec.Containers[0].Env.Add(new V1EnvVar { Name = "EXTRA", Value = "1" })),
        ("env reordered", d => d.Spec.Template.Spec.Containers[0].Env = [.. d.Spec.Template.Spec.Containers[0].Env.Reverse()]),
        ("token mount unset", d => d.Spec.Template.Spec.AutomountServiceAccountToken = null),
        ("successThreshold 2", d => d.Spec.Template.Spec.Containers[0].ReadinessProbe.SuccessThreshold = 2),
        ("forged cache digest", d => d.Spec.Template.Metadata.Annotations[GatewayCache.SpecDigestAnnotation] = GatewayDrift.Digest(Desired().Spec)),
        ("revisionHistoryLimit unset", d => d.Spec.RevisionHistoryLimit = null),
    ];

    [Test]
    public void Two_Specs_Have_One_Digest_Exactly_When_No_Difference_Is_Found_Between_Them()
    {
        var desired = Desired();
        var wanted = GatewayDrift.Digest(desired.Spec);
        var (same, different) = (0, 0);
        for (var subset = 0; subset < 1 << Edits.Length; subset++)
        {
            var live = Defaulted();
            var applied = Edits.Where((_, i) => (subset & (1 << i)) != 0).ToList();
            applied.ForEach(e => e.Edit(live));

            var differences = GatewayDrift.Differences(live, desired);
            (GatewayDrift.Digest(live.Spec) == wanted).Should().Be(differences.Count == 0,
                $"edits [{string.Join(", ", applied.Select(e => e.Name))}] gave differences [{string.Join(", ", differences)}]");
            _ = differences.Count == 0 ? same++ : different++;
        }

        // Only a restart and unset defaults leave the gateway as built (dnsPolicy None undone by unsetting it after):
        // 2 x 2 x 3 of the subsets.
        same.Should().Be(12);
        different.Should().Be((1 << Edits.Length) - 12);
    }

    [Test]
    public void A_Missing_Label_Of_The_Deployment_Is_A_Difference_But_An_Added_One_Is_Not()
    {
        var live = Defaulted();
        live.Metadata.Labels.Remove("app.kubernetes.io/managed-by");
        live.Metadata.Labels["team"] = "net";
        GatewayDrift.Differences(live, Desired()).Should().Equal("metadata.labels[\"app.kubernetes.io/managed-by\"]");
    }
}
