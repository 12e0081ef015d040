using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox;

[Category("Sandbox")]
public sealed class WorkloadTests : SandboxTestBase
{
    [Test]
    public async Task Deployment_Gets_Kube_Apiserver_Defaults()
    {
        var d = await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("defaults", image: "nginx"), Ns);
        d.Spec.Strategy.Type.Should().Be("RollingUpdate");
        d.Spec.Strategy.RollingUpdate.MaxSurge.Value.Should().Be("25%");
        d.Spec.Strategy.RollingUpdate.MaxUnavailable.Value.Should().Be("25%");
        d.Spec.RevisionHistoryLimit.Should().Be(10);
        d.Spec.ProgressDeadlineSeconds.Should().Be(600);
        var pod = d.Spec.Template.Spec;
        pod.RestartPolicy.Should().Be("Always");
        pod.DnsPolicy.Should().Be("ClusterFirst");
        pod.TerminationGracePeriodSeconds.Should().Be(30);
        pod.SchedulerName.Should().Be("default-scheduler");
        pod.SecurityContext.Should().NotBeNull();
        pod.Containers[0].TerminationMessagePath.Should().Be("/dev/termination-log");
        pod.Containers[0].TerminationMessagePolicy.Should().Be("File");
        pod.Containers[0].ImagePullPolicy.Should().Be("Always");
        pod.Containers[0].Ports[0].Protocol.Should().Be("TCP");
    }

    [Test]
    public async Task Deployment_Selector_Must_Match_Template_Labels()
    {
        var d = LifecycleTests.Deployment("mismatch");
        d.Spec.Template.Metadata.Labels = new Dictionary<string, string> { ["app"] = "other" };
        var e = await Fails(() => Client.AppsV1.CreateNamespacedDeploymentAsync(d, Ns));
        CrudTests.Status(e).Message.Should().Contain("`selector` does not match template `labels`");
        CrudTests.Status(e).Message.Should().StartWith("Deployment.apps \"mismatch\" is invalid");
    }

    [Test]
    public async Task Deployment_Runs_Ready_Pods_Through_A_ReplicaSet()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("web", replicas: 2), Ns);
        var status = await Eventually(() => Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns),
            d => d.Status?.AvailableReplicas == 2 && d.Status.ObservedGeneration == 1, "two available replicas");
        status.Status.Conditions.Should().Contain(c => c.Type == "Available" && c.Status == "True");
        status.Status.Conditions.Should().Contain(c => c.Type == "Progressing" && c.Reason == "NewReplicaSetAvailable");
        status.Metadata.Annotations.Should().Contain("deployment.kubernetes.io/revision", "1");

        var rs = (await Client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items.Should().ContainSingle().Subject;
        var hash = rs.Metadata.Labels["pod-template-hash"];
        rs.Metadata.Name.Should().Be($"web-{hash}");
        rs.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "Deployment" && o.Name == "web" && o.Controller == true);

        var pods = (await Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: "app=web")).Items;
        pods.Should().HaveCount(2);
        foreach (var pod in pods)
        {
            pod.Metadata.Name.Should().MatchRegex($"^web-{hash}-[bcdfghjklmnpqrstvwxz2456789]{{5}}$");
            pod.Status.Phase.Should().Be("Running");
            pod.Status.PodIP.Should().StartWith("10.16.");
            pod.Spec.NodeName.Should().Be("sandbox-node");
            pod.Spec.ServiceAccountName.Should().Be("default");
            pod.Status.Conditions.Should().Contain(c => c.Type == "Ready" && c.Status == "True");
        }

        var events = await Eventually(() => Client.CoreV1.ListNamespacedEventAsync(Ns),
            l => l.Items.Count(e => e.Reason == "Started") == 2, "the kubelet's Started events");
        events.Items.Should().Contain(e => e.Reason == "ScalingReplicaSet" && e.InvolvedObject.Kind == "Deployment" && e.InvolvedObject.Name == "web");
        events.Items.Count(e => e.Reason == "SuccessfulCreate" && e.InvolvedObject.Kind == "ReplicaSet").Should().Be(2);
        events.Items.Count(e => e.Reason == "Scheduled" && e.Source.Component == "default-scheduler").Should().Be(2);
    }

    [Test]
    public async Task Changing_The_Template_Rolls_To_A_New_ReplicaSet()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("roll", replicas: 1), Ns);
        await Eventually(() => Client.AppsV1.ReadNamespacedDeploymentAsync("roll", Ns), d => d.Status?.AvailableReplicas == 1, "first rollout");
        await Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:1.28\"}]", V1Patch.PatchType.JsonPatch), "roll", Ns);
        var done = await Eventually(() => Client.AppsV1.ReadNamespacedDeploymentAsync("roll", Ns),
            d => d.Metadata.Annotations is { } a && a.TryGetValue("deployment.kubernetes.io/revision", out var r) && r == "2" && d.Status?.UpdatedReplicas == 1 && d.Status.Replicas == 1 && d.Status.AvailableReplicas == 1,
            "second rollout");
        done.Status.ObservedGeneration.Should().Be(2);
        var pods = await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 1, "old pod to go");
        pods.Items[0].Spec.Containers[0].Image.Should().Be("nginx:1.28");
        (await Client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items.Should().HaveCount(2);
    }

    [Test]
    public async Task Deleting_A_Deployment_Collects_Its_ReplicaSets_And_Pods()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("bye", replicas: 2), Ns);
        await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 2, "pods");
        await Client.AppsV1.DeleteNamespacedDeploymentAsync("bye", Ns);
        await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 0, "pods to be collected");
        (await Client.AppsV1.ListNamespacedReplicaSetAsync(Ns)).Items.Should().BeEmpty();
    }

    [Test]
    public async Task Deleted_Pod_Goes_Through_Graceful_Termination_And_Is_Replaced()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("heal", replicas: 1), Ns);
        var first = await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 1 && l.Items[0].Status.Phase == "Running", "a pod");
        await Client.CoreV1.DeleteNamespacedPodAsync(first.Items[0].Metadata.Name, Ns);
        var replaced = await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns),
            l => l.Items.Count == 1 && l.Items[0].Metadata.Name != first.Items[0].Metadata.Name && l.Items[0].Status.Phase == "Running", "a replacement pod");
        replaced.Items[0].Status.PodIP.Should().NotBeNullOrEmpty();
    }

    [Test]
    public async Task Endpoints_And_EndpointSlices_Follow_Ready_Pods()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("api", replicas: 2), Ns);
        await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "api" },
            Spec = new V1ServiceSpec
            {
                Selector = new Dictionary<string, string> { ["app"] = "api" },
                Ports = [new V1ServicePort { Name = "web", Port = 80, TargetPort = "http" }],
            },
        }, Ns);
        var endpoints = await Eventually(() => Client.CoreV1.ReadNamespacedEndpointsAsync("api", Ns),
            e => e.Subsets?.Sum(s => s.Addresses?.Count ?? 0) == 2, "two endpoint addresses");
        endpoints.Subsets[0].Ports.Should().ContainSingle().Which.Port.Should().Be(8080);
        endpoints.Subsets[0].Addresses.Should().OnlyContain(a => a.TargetRef.Kind == "Pod" && a.Ip.StartsWith("10.16.", StringComparison.Ordinal));

        var slices = await Eventually(() => Client.DiscoveryV1.ListNamespacedEndpointSliceAsync(Ns, labelSelector: "kubernetes.io/service-name=api"),
            l => l.Items.Count == 1 && l.Items[0].Endpoints?.Count == 2, "an endpoint slice with two endpoints");
        var slice = slices.Items[0];
        slice.AddressType.Should().Be("IPv4");
        slice.Metadata.Name.Should().StartWith("api-");
        slice.Ports.Should().ContainSingle(p => p.Name == "web" && p.Port == 8080);
        slice.Endpoints.Should().OnlyContain(e => e.Conditions.Ready == true);

        await Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("{\"spec\":{\"replicas\":0}}", V1Patch.PatchType.MergePatch), "api", Ns);
        await Eventually(() => Client.CoreV1.ReadNamespacedEndpointsAsync("api", Ns), e => e.Subsets is null || e.Subsets.Count == 0, "endpoints to empty");
    }

    [Test]
    public async Task Pod_Spec_Is_Immutable_But_Images()
    {
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "solo" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox:1.36" }] },
        }, Ns);
        pod.Status.Phase.Should().Be("Pending");
        pod.Spec.Tolerations.Should().Contain(t => t.Key == "node.kubernetes.io/not-ready");
        pod.Spec.Containers[0].ImagePullPolicy.Should().Be("IfNotPresent");

        var image = await Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("[{\"op\":\"replace\",\"path\":\"/spec/containers/0/image\",\"value\":\"busybox:1.37\"}]", V1Patch.PatchType.JsonPatch), "solo", Ns);
        image.Spec.Containers[0].Image.Should().Be("busybox:1.37");
        var restart = await Fails(() => Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"spec\":{\"restartPolicy\":\"Never\"}}", V1Patch.PatchType.MergePatch), "solo", Ns));
        CrudTests.Status(restart).Message.Should().Contain("pod updates may not change fields other than");
    }

    [Test]
    public async Task Scale_Subresource_Reads_And_Sets_Replicas()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(LifecycleTests.Deployment("scaled", replicas: 1), Ns);
        var scale = await Client.AppsV1.ReadNamespacedDeploymentScaleAsync("scaled", Ns);
        scale.Spec.Replicas.Should().Be(1);
        scale.Status.Selector.Should().Be("app=scaled");
        var patched = await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":3}}", V1Patch.PatchType.MergePatch), "scaled", Ns);
        patched.Spec.Replicas.Should().Be(3);
        await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 3, "three pods");
    }
}
