using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Controllers;

namespace LbOperator.Tests.Sandbox;

/// <summary>A sandbox whose pods start through a runtime the test controls.</summary>
[Category("Sandbox")]
public sealed class PodRuntimeTests : SandboxTestBase
{
    private readonly RecordingRuntime _runtime = new();

    protected override SandboxOptions Options => base.Options with { PodRuntime = _runtime };

    [Test]
    public async Task Pods_Start_And_Stop_Through_The_Plugged_Runtime()
    {
        await Client.CoreV1.CreateNamespacedPodAsync(Pod("p1"), Ns);
        var running = await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("p1", Ns), p => p.Status.Phase == "Running", "the pod to run");
        running.Status.PodIP.Should().Be("192.0.2.10");
        running.Status.PodIPs.Select(i => i.Ip).Should().Equal("192.0.2.10", "2001:db8::10");
        running.Status.Conditions.Should().Contain(c => c.Type == "Ready" && c.Status == "False");
        _runtime.Started.Should().ContainKey(running.Metadata.Uid).WhoseValue.NodeName.Should().Be("sandbox-node");

        await Client.CoreV1.DeleteNamespacedPodAsync("p1", Ns);
        await Eventually(() => Task.FromResult(_runtime.Stopped.Contains(running.Metadata.Uid)), stopped => stopped, "the runtime to stop the pod");
        await Eventually(() => Client.CoreV1.ListNamespacedPodAsync(Ns), l => l.Items.Count == 0, "the pod to go");
    }

    [Test]
    public async Task Host_Network_Pods_Get_The_Node_Address()
    {
        var pod = Pod("host");
        pod.Spec.HostNetwork = true;
        await Client.CoreV1.CreateNamespacedPodAsync(pod, Ns);
        var running = await Eventually(() => Client.CoreV1.ReadNamespacedPodAsync("host", Ns), p => p.Status.Phase == "Running", "the pod to run");
        running.Status.PodIP.Should().Be(running.Status.HostIP).And.Be("172.18.0.2");
    }

    [Test]
    public async Task Events_Say_Which_Containers_Ran_From_Their_Image_And_Which_A_Stand_In_Replaced()
    {
        var pod = Pod("mixed");
        pod.Spec.InitContainers = [new V1Container { Name = "setup", Image = "gw:1", Command = ["true"] }];
        pod.Spec.Containers = [new V1Container { Name = "keeper", Image = "gw:1" }, new V1Container { Name = "web", Image = "qaimages:helloworld" }];
        _runtime.Runs["mixed"] =
        [
            new ContainerRun("setup", Init: true, "gw:1", ContainerRunMode.Image, "podman, image ID 0123456789ab", "sha256:0123456789ab"),
            new ContainerRun("keeper", Init: false, "gw:1", ContainerRunMode.Image, "podman, image ID 0123456789ab", "sha256:0123456789ab"),
            new ContainerRun("web", Init: false, "qaimages:helloworld", ContainerRunMode.Responder, "image \"qaimages:helloworld\" is not here: the responder answers"),
        ];

        await Client.CoreV1.CreateNamespacedPodAsync(pod, Ns);

        var events = await Eventually(
            () => Client.CoreV1.ListNamespacedEventAsync(Ns, fieldSelector: "involvedObject.name=mixed"), l => l.Items.Count >= 8, "the kubelet's events");
        events.Items.Select(e => $"{e.Reason}: {e.Message}").Should().Equal(
            "Scheduled: Successfully assigned " + Ns + "/mixed to sandbox-node",
            "Pulled: Container image \"gw:1\" already present on machine",
            "Created: Created container setup",
            "Started: Started container setup (podman, image ID 0123456789ab)",
            "Pulled: Container image \"gw:1\" already present on machine",
            "Created: Created container keeper",
            "Started: Started container keeper (podman, image ID 0123456789ab)",
            "StandIn: Container web: image \"qaimages:helloworld\" is not here: the responder answers",
            "Created: Created container web",
            "Started: Started container web");
        var running = await Client.CoreV1.ReadNamespacedPodAsync("mixed", Ns);
        running.Status.ContainerStatuses.Select(c => (c.Name, c.ImageID)).Should().Equal(("keeper", "sha256:0123456789ab"), ("web", ""));
    }

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    private sealed class RecordingRuntime : IPodRuntime
    {
        public ConcurrentDictionary<string, PodRuntimeRequest> Started { get; } = new();

        public ConcurrentBag<string> Stopped { get; } = [];

        /// <summary>How the runtime says it ran each pod's containers, by pod name; pods not named here say nothing.</summary>
        public ConcurrentDictionary<string, IReadOnlyList<ContainerRun>> Runs { get; } = new();

        public Task<PodRuntimeStatus> StartPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken)
        {
            Started[pod.Uid] = pod;
            return Task.FromResult(new PodRuntimeStatus([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")], Ready: false,
                Containers: Runs.GetValueOrDefault(pod.Name)));
        }

        public Task StopPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken)
        {
            Stopped.Add(pod.Uid);
            return Task.CompletedTask;
        }
    }
}
