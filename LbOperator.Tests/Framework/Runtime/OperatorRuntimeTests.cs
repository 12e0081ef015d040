using System.Net;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Hosting;
using LbOperator.Sandbox.Faults;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Tests.Framework.Runtime;

/// <summary>The runtime against the sandbox API server: triggers, finalizers, owned objects, initial sync, health.</summary>
[Category("Sandbox")]
public sealed class OperatorRuntimeTests
{
    private const string FinalizerName = "framework.test/recording";

    [Test]
    public async Task Should_Reconcile_On_Create_Update_And_Delete()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<RecordingController<V1ConfigMap>, V1ConfigMap>();
        });

        var created = await env.Client.CreateAsync(ConfigMap(env, "a", "1"));
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "a") == 1, "the new ConfigMap is reconciled");

        created.Data["value"] = "2";
        await env.Client.UpdateAsync(created);
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "a") == 2, "the changed ConfigMap is reconciled again");

        await env.Client.DeleteAsync<V1ConfigMap>("a", env.Namespace);
        await Eventually.HoldsAsync(() => log.Count("Deleted", "a") == 1, "DeletedAsync runs for the deleted ConfigMap");
        log.Count("Reconcile", "a").Should().Be(2);
    }

    [Test]
    public async Task Should_Not_Reconcile_On_Status_Only_Writes()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<RecordingController<V1Service>, V1Service>();
        });

        var service = await env.Client.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = env.Namespace },
            Spec = new V1ServiceSpec { Type = "LoadBalancer", Ports = [new V1ServicePort { Port = 80, Protocol = "TCP" }] },
        });
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "web") == 1, "the new Service is reconciled");

        service.Status = new V1ServiceStatus { LoadBalancer = new V1LoadBalancerStatus { Ingress = [new V1LoadBalancerIngress { Ip = "172.18.0.10" }] } };
        service = await env.Client.UpdateStatusAsync(service);
        service.Status.LoadBalancer.Ingress.Should().ContainSingle();
        await Task.Delay(TimeSpan.FromSeconds(1));
        log.Count("Reconcile", "web").Should().Be(1, "a status-only write does not reconcile");

        service.SetAnnotation("ovn.kubernetes.io/attachmentprovider", "lb-svc-attachment.kube-system");
        await env.Client.UpdateAsync(service);
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "web") == 2, "an annotation change reconciles");
    }

    [Test]
    public async Task Should_Attach_Run_And_Detach_Finalizers()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<RecordingController<V1ConfigMap>, V1ConfigMap>();
            b.AddFinalizer<RecordingFinalizer, V1ConfigMap>(FinalizerName);
        });

        await env.Client.CreateAsync(ConfigMap(env, "guarded", "1"));
        await Eventually.HoldsAsync(
            async () => (await env.Client.GetAsync<V1ConfigMap>("guarded", env.Namespace))?.Finalizers()?.Contains(FinalizerName) == true,
            "the finalizer is attached");
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "guarded") >= 1, "the ConfigMap is reconciled");

        await env.Client.DeleteAsync<V1ConfigMap>("guarded", env.Namespace);
        await Eventually.HoldsAsync(
            async () => await env.Client.GetAsync<V1ConfigMap>("guarded", env.Namespace) is null,
            "the finalizer is removed and the ConfigMap disappears");
        log.Count("Finalize", "guarded").Should().Be(1);
        await Eventually.HoldsAsync(() => log.Count("Deleted", "guarded") == 1, "DeletedAsync runs once it is gone");
    }

    [Test]
    public async Task Should_Attach_Finalizers_Only_Where_The_Controller_Asks_When_Auto_Attach_Is_Off()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        await env.StartOperatorAsync(
            b =>
            {
                b.Services.AddSingleton(log);
                b.AddController<SelectiveGuardController, V1ConfigMap>();
                b.AddFinalizer<RecordingFinalizer, V1ConfigMap>(FinalizerName);
            },
            s => s.AutoAttachFinalizers = false);

        var guarded = ConfigMap(env, "guarded", "1");
        guarded.SetLabel("guard", "yes");
        await env.Client.CreateAsync(guarded);
        await env.Client.CreateAsync(ConfigMap(env, "free", "1"));
        await Eventually.HoldsAsync(
            async () => (await env.Client.GetAsync<V1ConfigMap>("guarded", env.Namespace))?.Finalizers()?.Contains(FinalizerName) == true,
            "the controller attaches the finalizer to the labelled ConfigMap");
        (await env.Client.GetAsync<V1ConfigMap>("free", env.Namespace))!.Finalizers().Should().BeNullOrEmpty("auto-attach is off");

        await env.Client.DeleteAsync<V1ConfigMap>("guarded", env.Namespace);
        await Eventually.HoldsAsync(async () => await env.Client.GetAsync<V1ConfigMap>("guarded", env.Namespace) is null, "the finalizer runs and is removed");
        log.Count("Finalize", "guarded").Should().Be(1);
    }

    [Test]
    public async Task Should_Reconcile_The_Owner_When_An_Owned_Object_Changes_Or_Disappears()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<RecordingController<V1Service>, V1Service>().Owns<V1Deployment>();
        });

        var service = await env.Client.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = env.Namespace },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80, Protocol = "TCP" }] },
        });
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "web") == 1, "the Service is reconciled");

        var before = log.Count("Reconcile", "web");
        await env.Client.CreateAsync(Deployment(env, "lb-svc-web").WithControllerReference(service));
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "web") > before, "creating the owned Deployment reconciles the Service");

        // The sandbox's deployment controller writes the Deployment's status too; that also reaches the owner.
        before = log.Count("Reconcile", "web");
        var patched = await env.Client.PatchAsync<V1Deployment>(
            new V1Patch("""{"spec":{"replicas":2}}""", V1Patch.PatchType.MergePatch), "lb-svc-web", env.Namespace);
        patched.Spec.Replicas.Should().Be(2);
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "web") > before, "changing the owned Deployment reconciles the Service");

        before = log.Count("Reconcile", "web");
        await env.Client.DeleteAsync<V1Deployment>("lb-svc-web", env.Namespace);
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "web") > before, "deleting the owned Deployment reconciles the Service");

        await Eventually.HoldsAsync(async () => await env.Client.GetAsync<V1Deployment>("lb-svc-web", env.Namespace) is null, "the owned Deployment is gone");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        before = log.Count("Reconcile", "web");
        await env.Client.CreateAsync(Deployment(env, "unowned"));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        log.Count("Reconcile", "web").Should().Be(before, "a Deployment without a controller reference to the Service does not reconcile it");
    }

    [Test]
    public async Task Should_Map_Related_Objects_To_Entities()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<RecordingController<V1Service>, V1Service>()
                .Watches<V1Pod>(pod => pod.GetLabel("service") is { } name ? [new EntityKey(pod.Namespace(), name)] : []);
        });

        await env.Client.CreateAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = env.Namespace },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80, Protocol = "TCP" }] },
        });
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "web") == 1, "the Service is reconciled");

        await env.Client.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "gateway", NamespaceProperty = env.Namespace, Labels = new Dictionary<string, string> { ["service"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "gateway" }] },
        });
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "web") >= 2, "a pod labelled for the Service reconciles it");
    }

    [Test]
    public async Task Should_Run_Startup_Tasks_After_The_Initial_Sync_And_Before_Any_Reconcile()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        foreach (var name in new[] { "x", "y", "z" })
        {
            await env.Client.CreateAsync(ConfigMap(env, name, name));
        }

        var log = new CallLog();
        var app = await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<RecordingController<V1ConfigMap>, V1ConfigMap>();
            b.AddStartupTask<CacheCountingStartupTask>();
        });

        await Eventually.HoldsAsync(() => log.Calls.Count(c => c.Method == "Reconcile") == 3, "every existing ConfigMap is reconciled");
        log.Calls[0].Should().Be(new CallLog.Call("synced", "Startup", "3"), "the startup task ran first and saw every ConfigMap");

        using var http = new HttpClient { BaseAddress = OperatorHost.HealthAddress(app) };
        await Eventually.HoldsAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "the operator is ready");
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Should().Contain("controller_runtime_reconcile_total{controller=\"configmap\",result=\"success\"}");
    }

    [Test]
    public async Task Should_Converge_Through_Dropped_Watches_Expired_Versions_And_Failing_Writes()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        var app = await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<CopyValueController, V1ConfigMap>();
        });

        var faults = env.Sandbox.Faults;
        faults.FailWrites(new WriteFailure("configmaps", "update", 0.5, 409));
        faults.FailWrites(new WriteFailure("configmaps", "update", 0.3, 500));
        var names = Enumerable.Range(0, 6).Select(i => $"cm-{i}").ToList();
        foreach (var name in names.Take(3))
        {
            await env.Client.CreateAsync(ConfigMap(env, name, "first"));
        }

        faults.DropWatches();
        faults.ExpireWatches(true);
        foreach (var name in names.Skip(3))
        {
            await env.Client.CreateAsync(ConfigMap(env, name, "first"));
        }

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        faults.ExpireWatches(false);
        foreach (var name in names)
        {
            var current = (await env.Client.GetAsync<V1ConfigMap>(name, env.Namespace))!;
            current.Data["value"] = "second";
            await UpdateIgnoringInjectedFailuresAsync(env, current);
        }

        faults.DropWatches();
        await Eventually.HoldsAsync(
            async () =>
            {
                var all = await env.Client.ListAsync<V1ConfigMap>(env.Namespace);
                return names.All(n => all.SingleOrDefault(c => c.Name() == n)?.GetAnnotation(CopyValueController.Annotation) == "second");
            },
            "every ConfigMap carries its latest value despite the faults",
            TimeSpan.FromSeconds(30));
        faults.FailedWrites.Should().BeGreaterThan(0, "the sandbox really failed writes");
        faults.ExpiredWatches.Should().BeGreaterThan(0, "the sandbox really answered 410");
        faults.DroppedWatches.Should().BeGreaterThan(0, "the sandbox really dropped watches");

        using var http = new HttpClient { BaseAddress = OperatorHost.HealthAddress(app) };
        await Eventually.HoldsAsync(async () => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "the operator is ready again");
        faults.Reset();
        var writes = log.Calls.Count(c => c.Method == "Write");
        foreach (var name in names)
        {
            var current = (await env.Client.GetAsync<V1ConfigMap>(name, env.Namespace))!;
            current.SetLabel("touched", "yes");
            await env.Client.UpdateAsync(current);
        }

        await Eventually.HoldsAsync(() => names.All(n => log.Calls.Count(c => c.Method == "Reconcile" && c.Name == n) > 2), "label changes reconcile");
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        log.Calls.Count(c => c.Method == "Write").Should().Be(writes, "a converged object is reconciled without writes");
    }

    [Test]
    public async Task Should_Report_Not_Ready_While_The_Api_Server_Is_Down_And_Recover()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        var app = await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<RecordingController<V1ConfigMap>, V1ConfigMap>();
        });
        using var http = new HttpClient { BaseAddress = OperatorHost.HealthAddress(app) };
        async Task<HttpStatusCode> ReadyzAsync() => (await http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode;
        await Eventually.HoldsAsync(async () => await ReadyzAsync() == HttpStatusCode.OK, "the operator is ready");

        await env.StopSandboxAsync();
        await Eventually.HoldsAsync(async () => await ReadyzAsync() == HttpStatusCode.ServiceUnavailable, "readiness turns false while the watch is down");
        (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode.Should().Be(HttpStatusCode.OK, "the process itself is alive");

        await env.StartSandboxAgainAsync();
        await Eventually.HoldsAsync(async () => await ReadyzAsync() == HttpStatusCode.OK, "the watch reconnects and the operator is ready again");
        await env.Client.CreateAsync(ConfigMap(env, "after-outage", "1"));
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "after-outage") == 1, "reconciling resumes after the outage");
    }

    [Test]
    public async Task Should_Publish_Events_Aggregating_Repeats()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var app = await env.StartOperatorAsync(_ => { });
        var configMap = await env.Client.CreateAsync(ConfigMap(env, "reported", "1"));
        var publish = app.Services.GetRequiredService<LbOperator.Framework.Events.EventPublisher>();

        await publish(configMap, "Allocated", "took 172.18.0.10");
        await publish(configMap, "Allocated", "took 172.18.0.10");
        await publish(configMap, "Failed", "subnet full", LbOperator.Framework.Events.EventType.Warning);

        var events = await env.Client.ListAsync<Corev1Event>(env.Namespace);
        events.Should().HaveCount(2);
        var allocated = events.Single(e => e.Reason == "Allocated");
        allocated.Count.Should().Be(2);
        allocated.Type.Should().Be("Normal");
        allocated.InvolvedObject.Name.Should().Be("reported");
        allocated.InvolvedObject.Kind.Should().Be("ConfigMap");
        allocated.InvolvedObject.Uid.Should().Be(configMap.Uid());
        events.Single(e => e.Reason == "Failed").Type.Should().Be("Warning");
    }

    [Test]
    public async Task Should_Retry_Failures_And_Exceptions_And_Honour_RequeueAfter()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<FlakyController, V1ConfigMap>();
        });

        await env.Client.CreateAsync(ConfigMap(env, "flaky", "1"));
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "flaky") >= 3, "a Failure and an exception are both retried");
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "flaky") >= 5, "RequeueAfter reconciles again without any change");
    }

    [Test]
    public async Task Should_Resync_Every_Object_Periodically()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        await env.StartOperatorAsync(
            b =>
            {
                b.Services.AddSingleton(log);
                b.AddController<RecordingController<V1ConfigMap>, V1ConfigMap>();
            },
            s => s.ResyncPeriod = TimeSpan.FromMilliseconds(300));

        await env.Client.CreateAsync(ConfigMap(env, "quiet", "1"));
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "quiet") >= 3, "an unchanged object is reconciled on every resync");
    }

    private static async Task UpdateIgnoringInjectedFailuresAsync(OperatorTestEnvironment env, V1ConfigMap configMap)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var current = (await env.Client.GetAsync<V1ConfigMap>(configMap.Name(), env.Namespace))!;
                current.Data = configMap.Data;
                await env.Client.UpdateAsync(current);
                return;
            }
            catch (k8s.Autorest.HttpOperationException) when (attempt < 50)
            {
            }
        }
    }

    internal static V1ConfigMap ConfigMap(OperatorTestEnvironment env, string name, string value) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = env.Namespace },
        Data = new Dictionary<string, string> { ["value"] = value },
    };

    private static V1Deployment Deployment(OperatorTestEnvironment env, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = env.Namespace },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "gateway", Image = "gateway" }] },
            },
        },
    };
}
