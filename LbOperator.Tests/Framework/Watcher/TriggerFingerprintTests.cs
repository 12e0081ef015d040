using k8s.Models;
using LbOperator.Framework.Watcher;

namespace LbOperator.Tests.Framework.Watcher;

[Category("Unit")]
public sealed class TriggerFingerprintTests
{
    private static V1Service Service() => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta
        {
            Name = "web",
            NamespaceProperty = "default",
            ResourceVersion = "10",
            Generation = 1,
            Labels = new Dictionary<string, string> { ["app"] = "web" },
            Annotations = new Dictionary<string, string> { ["ovn.kubernetes.io/attachmentprovider"] = "lb-svc-attachment.kube-system" },
        },
        Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80 }] },
    };

    [Test]
    public void A_Status_Only_Write_Does_Not_Trigger()
    {
        var before = Service();
        var after = Service();
        after.Metadata.ResourceVersion = "11";
        after.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "operator", Operation = "Update" }];
        after.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.10" }] } };

        TriggerFingerprint.Differs(before, after).Should().BeFalse();
    }

    private static IEnumerable<TestCaseData> Changes()
    {
        yield return new TestCaseData(new Action<V1Service>(s => s.Spec.Ports[0].Port = 8080)).SetName("Spec_Change_Triggers");
        yield return new TestCaseData(new Action<V1Service>(s => s.Metadata.Labels["tier"] = "front")).SetName("Label_Change_Triggers");
        yield return new TestCaseData(new Action<V1Service>(s => s.Metadata.Annotations["lb-svc-attachment.kube-system.kubernetes.io/logical_switch"] = "attach-subnet")).SetName("Annotation_Change_Triggers");
        yield return new TestCaseData(new Action<V1Service>(s => s.Metadata.Finalizers = ["lb.example/finalizer"])).SetName("Finalizer_Change_Triggers");
        yield return new TestCaseData(new Action<V1Service>(s => s.Metadata.DeletionTimestamp = DateTime.UtcNow)).SetName("Deletion_Timestamp_Triggers");
    }

    [TestCaseSource(nameof(Changes))]
    public void A_Relevant_Change_Triggers(Action<V1Service> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var before = Service();
        var after = Service();
        change(after);
        after.Metadata.ResourceVersion = "11";

        TriggerFingerprint.Differs(before, after).Should().BeTrue();
    }

    [Test]
    public void A_New_Object_Triggers() => TriggerFingerprint.Differs(null, Service()).Should().BeTrue();

    [Test]
    public void A_ConfigMap_Data_Change_Triggers()
    {
        var before = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", ResourceVersion = "1" }, Data = new Dictionary<string, string> { ["k"] = "1" } };
        var after = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c", ResourceVersion = "2" }, Data = new Dictionary<string, string> { ["k"] = "2" } };

        TriggerFingerprint.Differs(before, after).Should().BeTrue();
    }
}
