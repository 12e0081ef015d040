using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Controllers;

namespace LbOperator.Tests.Sandbox.Rollout;

/// <summary>
/// Deployment rollouts against the sandbox, with pods that start not Ready: the test makes each one Ready, so the
/// rollout can only move as fast as the test lets it, and every state it passes through is watched.
/// </summary>
[Category("Sandbox")]
public sealed class RolloutTests : SandboxTestBase
{
    protected override SandboxOptions Options => base.Options with { PodRuntime = new NotReadyRuntime(new SimulatedPodRuntime(SandboxNode.Cluster(1))) };

    [Test]
    public async Task RollingUpdate_With_Surge_One_And_No_Unavailable_Never_Drops_Below_The_Replicas()
    {
        var deployment = Deployment("gw", "RollingUpdate");
        deployment.Spec.Strategy.RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Ns);
        await MakeReadyUntil(() => Complete("gw", revision: "1"));

        var start = await Client.CoreV1.ListNamespacedPodAsync(Ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watched = WatchPods(start, cts.Token);
        await SetImage("gw", "nginx:1.28");

        var peakPods = 0;
        await MakeReadyUntil(async () =>
        {
            var pods = Live((await Client.CoreV1.ListNamespacedPodAsync(Ns)).Items);
            peakPods = Math.Max(peakPods, pods.Count);
            return await Complete("gw", revision: "2");
        });
        await cts.CancelAsync();
        var states = await watched;

        states.Should().NotBeEmpty();
        states.Min(s => s.Count(IsReady)).Should().BeGreaterThanOrEqualTo(2, "maxUnavailable 0 keeps both replicas Ready all along");
        states.Max(s => s.Count).Should().Be(3, "maxSurge 1 allows one pod above the replicas, and the rollout uses it");
        peakPods.Should().BeLessThanOrEqualTo(3);
        states[^1].Should().HaveCount(2).And.OnlyContain(p => p.Spec.Containers[0].Image == "nginx:1.28");

        var done = await Client.AppsV1.ReadNamespacedDeploymentAsync("gw", Ns);
        done.Status.Conditions.Should().Contain(c => c.Type == "Progressing" && c.Reason == "NewReplicaSetAvailable");
        done.Status.UnavailableReplicas.Should().BeNull();
        // Event names end in the recorder's hex clock ticks: by name is the order they were recorded in.
        var events = await Client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: "involvedObject.name=gw");
        events.Items.Where(e => e.Reason == "ScalingReplicaSet").OrderBy(e => e.Metadata.Name, StringComparer.Ordinal).Select(e => e.Message).Should().ContainInOrder(
            $"Scaled up replica set {NewReplicaSet(done)} from 0 to 1",
            $"Scaled down replica set {OldReplicaSet(start)} from 2 to 1",
            $"Scaled up replica set {NewReplicaSet(done)} from 1 to 2",
            $"Scaled down replica set {OldReplicaSet(start)} from 1 to 0");
    }

    [Test]
    public async Task A_Rolling_Update_Waits_While_The_New_Pod_Is_Not_Ready()
    {
        var deployment = Deployment("slow", "RollingUpdate");
        deployment.Spec.Strategy.RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Ns);
        await MakeReadyUntil(() => Complete("slow", revision: "1"));
        await SetImage("slow", "nginx:1.28");

        var waiting = await Eventually(() => Client.AppsV1.ReadNamespacedDeploymentAsync("slow", Ns),
            d => d.Status.UpdatedReplicas == 1 && d.Status.Replicas == 3, "the surge pod");
        await Task.Delay(300);
        var still = await Client.AppsV1.ReadNamespacedDeploymentAsync("slow", Ns);
        still.Status.Replicas.Should().Be(3, "no old pod goes before the new one is Ready");
        still.Status.UpdatedReplicas.Should().Be(1);
        still.Status.AvailableReplicas.Should().Be(2);
        still.Status.UnavailableReplicas.Should().Be(1);
        still.Status.Conditions.Should().Contain(c => c.Type == "Progressing" && c.Status == "True" && c.Reason == "ReplicaSetUpdated");
        still.Status.Conditions.Should().Contain(c => c.Type == "Available" && c.Status == "True");
        waiting.Metadata.Annotations["deployment.kubernetes.io/revision"].Should().Be("2");
    }

    [Test]
    public async Task Recreate_Starts_New_Pods_Only_After_The_Old_Ones_Are_Gone()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("re", "Recreate"), Ns);
        await MakeReadyUntil(() => Complete("re", revision: "1"));

        var start = await Client.CoreV1.ListNamespacedPodAsync(Ns);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watched = WatchPods(start, cts.Token);
        await SetImage("re", "nginx:1.28");
        await MakeReadyUntil(() => Complete("re", revision: "2"));
        await cts.CancelAsync();
        var states = await watched;

        states.Should().Contain(s => s.Count == 0, "the old pods all went before any new one came");
        states.Should().OnlyContain(s => s.Select(p => p.Metadata.Labels["pod-template-hash"]).Distinct().Count() <= 1, "old and new pods never exist together");
        states[^1].Should().HaveCount(2).And.OnlyContain(p => p.Spec.Containers[0].Image == "nginx:1.28");
    }

    [Test]
    public async Task Scaling_A_ReplicaSet_Down_Removes_Not_Ready_Pods_First()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("scale", "RollingUpdate", replicas: 3), Ns);
        var pods = await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count(p => p.Status?.Phase == "Running") == 3, "three running pods");
        var ordered = pods.Items.OrderBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        // The oldest pod stays not Ready; the two others become Ready. Newest-first alone would pick another.
        await MarkReady(ordered[1].Metadata.Name);
        await MarkReady(ordered[2].Metadata.Name);
        await Eventually(() => Client.AppsV1.ReadNamespacedReplicaSetAsync(Live(pods.Items)[0].Metadata.OwnerReferences[0].Name, Ns),
            rs => rs.Status.ReadyReplicas == 2 && rs.Status.AvailableReplicas == 2, "ReplicaSet status to count two Ready pods");

        await Client.AppsV1.PatchNamespacedDeploymentScaleAsync(new V1Patch("{\"spec\":{\"replicas\":2}}", V1Patch.PatchType.MergePatch), "scale", Ns);
        var left = await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 2, "one pod to go");
        left.Items.Select(p => p.Metadata.Name).Should().BeEquivalentTo([ordered[1].Metadata.Name, ordered[2].Metadata.Name]);
    }

    [Test]
    public async Task During_A_Rollout_Status_Counts_Old_Pods_Beside_The_Updated_Ones()
    {
        // What `kubectl rollout status` reads: updated, replicas and available numbers after observedGeneration.
        var deployment = Deployment("status", "RollingUpdate");
        deployment.Spec.Strategy.RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(deployment, Ns);
        await MakeReadyUntil(() => Complete("status", revision: "1"));
        await SetImage("status", "nginx:1.28");
        var rolling = await Eventually(() => Client.AppsV1.ReadNamespacedDeploymentAsync("status", Ns),
            d => d.Status.ObservedGeneration == 2 && d.Status.UpdatedReplicas == 1, "the rollout to start");
        rolling.Status.Replicas.Should().BeGreaterThan(rolling.Status.UpdatedReplicas!.Value);
    }

    private static V1Deployment Deployment(string name, string strategy, int replicas = 2)
    {
        var d = LifecycleTests.Deployment(name, replicas);
        d.Spec.Strategy = new V1DeploymentStrategy { Type = strategy };
        return d;
    }

    private async Task SetImage(string name, string image) =>
        await Client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch($"[{{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"{image}\"}}]", V1Patch.PatchType.JsonPatch), name, Ns);

    private async Task<bool> Complete(string name, string revision)
    {
        var d = await Client.AppsV1.ReadNamespacedDeploymentAsync(name, Ns);
        return d.Metadata.Annotations is { } annotations && annotations.TryGetValue("deployment.kubernetes.io/revision", out var current) && current == revision
            && d.Status.ObservedGeneration == d.Metadata.Generation
            && d.Status.UpdatedReplicas == d.Spec.Replicas && d.Status.Replicas == d.Spec.Replicas && d.Status.AvailableReplicas == d.Spec.Replicas
            && (await Client.CoreV1.ListNamespacedPodAsync(Ns)).Items.Count == d.Spec.Replicas;
    }

    /// <summary>Makes each running pod that is not Ready Ready, a little after it starts, until <paramref name="done"/>.</summary>
    private async Task MakeReadyUntil(Func<Task<bool>> done, double timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException("timed out driving the rollout");
            }

            foreach (var pod in Live((await Client.CoreV1.ListNamespacedPodAsync(Ns)).Items).Where(p => p.Status?.Phase == "Running" && !IsReady(p)))
            {
                // Give a wrong controller the time to act on a not-Ready pod before it turns Ready.
                await Task.Delay(100);
                await MarkReady(pod.Metadata.Name);
            }

            await Task.Delay(20);
        }
    }

    private async Task MarkReady(string pod) =>
        await Client.CoreV1.PatchNamespacedPodStatusAsync(
            new V1Patch("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}", V1Patch.PatchType.StrategicMergePatch), pod, Ns);

    /// <summary>Every state of the namespace's pods (not being deleted) from the list onwards, one per watch event.</summary>
    private async Task<List<List<V1Pod>>> WatchPods(V1PodList start, CancellationToken cancellationToken)
    {
        var pods = start.Items.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal);
        var states = new List<List<V1Pod>>();
        await Task.Yield();
        try
        {
            await foreach (var (type, pod) in Client.CoreV1.WatchListNamespacedPodAsync(Ns, resourceVersion: start.Metadata.ResourceVersion, cancellationToken: cancellationToken))
            {
                if (type == WatchEventType.Deleted)
                {
                    pods.Remove(pod.Metadata.Name);
                }
                else if (type is WatchEventType.Added or WatchEventType.Modified)
                {
                    pods[pod.Metadata.Name] = pod;
                }

                states.Add(Live(pods.Values));
            }
        }
        catch (OperationCanceledException)
        {
            // The rollout is over.
        }
        catch (HttpRequestException) when (cancellationToken.IsCancellationRequested)
        {
            // The rollout is over.
        }

        return states;
    }

    private static List<V1Pod> Live(IEnumerable<V1Pod> pods) => [.. pods.Where(p => p.Metadata.DeletionTimestamp is null)];

    private static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static string NewReplicaSet(V1Deployment d) => d.Status.Conditions.Single(c => c.Type == "Progressing").Message.Split('"')[1];

    private static string OldReplicaSet(V1PodList start) => start.Items[0].Metadata.OwnerReferences[0].Name;

    /// <summary>Starts pods through the default simulation but reports them not Ready: the test decides when they are.</summary>
    private sealed class NotReadyRuntime(SimulatedPodRuntime inner) : IPodRuntime
    {
        public async Task<PodRuntimeStatus> StartPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken) =>
            await inner.StartPodAsync(pod, cancellationToken) with { Ready = false };

        public Task StopPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken) => inner.StopPodAsync(pod, cancellationToken);
    }
}
