using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Gateway;
using LbOperator.Tests.LoadBalancing;

namespace LbOperator.Tests.Controllers;

[Category("Unit")]
public sealed class GatewayDriftTests
{
    private static V1Deployment Desired() =>
        GatewayBuilder.Build(TestObjects.Service(), TestObjects.Plan(TestObjects.Service(), TestObjects.Definition()), [IPAddress.Parse("172.18.0.18")], new GatewaySettings());

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

    [Test]
    public void A_Missing_Label_Of_The_Deployment_Is_A_Difference_But_An_Added_One_Is_Not()
    {
        var live = Defaulted();
        live.Metadata.Labels.Remove("app.kubernetes.io/managed-by");
        live.Metadata.Labels["team"] = "net";
        GatewayDrift.Differences(live, Desired()).Should().Equal("metadata.labels[\"app.kubernetes.io/managed-by\"]");
    }
}
