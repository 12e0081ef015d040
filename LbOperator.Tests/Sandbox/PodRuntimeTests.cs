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

    private static V1Pod Pod(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
    };

    private sealed class RecordingRuntime : IPodRuntime
    {
        public ConcurrentDictionary<string, PodRuntimeRequest> Started { get; } = new();

        public ConcurrentBag<string> Stopped { get; } = [];

        public Task<PodRuntimeStatus> StartPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken)
        {
            Started[pod.Uid] = pod;
            return Task.FromResult(new PodRuntimeStatus([IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")], Ready: false));
        }

        public Task StopPodAsync(PodRuntimeRequest pod, CancellationToken cancellationToken)
        {
            Stopped.Add(pod.Uid);
            return Task.CompletedTask;
        }
    }
}
