using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Tests.LoadBalancing;

namespace LbOperator.Tests.Controllers;

[Category("Unit")]
public sealed class GatewayCacheTests
{
    private static V1Deployment Desired() => TestObjects.Gateway();

    private static V1Deployment Copy(V1Deployment deployment) => KubernetesJson.Deserialize<V1Deployment>(KubernetesJson.Serialize(deployment));

    private static V1Deployment Trimmed(V1Deployment live)
    {
        var copy = Copy(live);
        GatewayCache.Transform.Apply(copy, null);
        return copy;
    }

    [Test]
    public void The_Cache_Keeps_Everything_But_The_Pod_Spec_And_Its_Digest_In_Its_Place()
    {
        var live = Desired();
        var kept = Trimmed(live);

        kept.Spec.Template.Spec.Containers.Should().BeEmpty();
        kept.Spec.Template.Spec.InitContainers.Should().BeNull();
        GatewayCache.IsTrimmed(kept).Should().BeTrue();
        GatewayCache.SpecDigestOf(kept).Should().Be(GatewayDrift.Digest(live.Spec));
        kept.Metadata.Should().BeEquivalentTo(live.Metadata);
        kept.Spec.Template.Metadata.Labels.Should().BeEquivalentTo(live.Spec.Template.Metadata.Labels);
        kept.Spec.Template.Metadata.Annotations.Should().Contain(live.Spec.Template.Metadata.Annotations);
        kept.Spec.Selector.Should().BeEquivalentTo(live.Spec.Selector);

        var size = (double)KubernetesJson.Serialize(kept).Length / KubernetesJson.Serialize(live).Length;
        size.Should().BeLessThan(0.3, "the pod spec with its scripts is most of a gateway Deployment");
    }

    [Test]
    public void A_Digest_Annotation_On_The_Live_Object_Is_Not_Trusted()
    {
        // A tenant adds hostPID and writes the digest of the untouched gateway into the annotation the cache uses.
        var live = Desired();
        live.Spec.Template.Spec.HostPID = true;
        live.Spec.Template.Metadata.Annotations[GatewayCache.SpecDigestAnnotation] = GatewayDrift.Digest(Desired().Spec);

        GatewayCache.IsTrimmed(live).Should().BeFalse("a pod with containers is not a cached copy");
        GatewayCache.SpecDigestOf(live).Should().NotBe(GatewayDrift.Digest(Desired().Spec));
        GatewayCache.SpecDigestOf(Trimmed(live)).Should().Be(GatewayDrift.Digest(live.Spec)).And.NotBe(GatewayDrift.Digest(Desired().Spec));
    }

    [Test]
    public void Trimming_A_Cached_Copy_Again_Keeps_Its_Digest()
    {
        var once = Trimmed(Desired());
        GatewayCache.SpecDigestOf(Trimmed(once)).Should().Be(GatewayCache.SpecDigestOf(once));
    }

    [Test]
    public void A_New_Version_Of_The_Same_Generation_Keeps_The_Digest_And_A_New_Generation_Gets_Its_Own()
    {
        var first = Desired();
        first.Metadata.Uid = "uid-1";
        first.Metadata.Generation = 1;
        var kept = Trimmed(first);

        // Not what the API server does, but it shows the digest was carried over and not taken again.
        var statusOnly = Copy(first);
        statusOnly.Spec.Template.Spec.HostPID = true;
        GatewayCache.Transform.Apply(statusOnly, kept);
        GatewayCache.SpecDigestOf(statusOnly).Should().Be(GatewayCache.SpecDigestOf(kept));

        var changed = Copy(first);
        changed.Spec.Template.Spec.HostPID = true;
        changed.Metadata.Generation = 2;
        GatewayCache.Transform.Apply(changed, kept);
        GatewayCache.SpecDigestOf(changed).Should().NotBe(GatewayCache.SpecDigestOf(kept));

        var recreated = Copy(first);
        recreated.Metadata.Uid = "uid-2";
        recreated.Spec.Template.Spec.HostPID = true;
        GatewayCache.Transform.Apply(recreated, kept);
        GatewayCache.SpecDigestOf(recreated).Should().NotBe(GatewayCache.SpecDigestOf(kept), "another object of the same name");
    }

    [Test]
    public void What_The_API_Server_Defaults_Leaves_The_Digest_Unchanged()
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(Desired()))!.AsObject();
        json["spec"]!["revisionHistoryLimit"] = 10;
        json["spec"]!["template"]!["spec"]!["dnsPolicy"] = "ClusterFirst";
        var defaulted = KubernetesJson.Deserialize<V1Deployment>(json.ToJsonString());

        GatewayCache.SpecDigestOf(Trimmed(defaulted)).Should().Be(GatewayDrift.Digest(Desired().Spec));
    }
}
