using k8s.Models;
using LbOperator.Framework.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Tests.Framework.Runtime;

/// <summary>Two replicas against one sandbox: one reconciles, the other takes over when it stops.</summary>
[Category("Sandbox")]
public sealed class LeaderElectionTests
{
    [Test]
    public async Task Should_Reconcile_On_One_Replica_Only_And_Fail_Over_When_It_Stops()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        void Register(IOperatorBuilder b)
        {
            b.Services.AddSingleton(log);
            b.AddController<RecordingController<V1ConfigMap>, V1ConfigMap>();
        }

        void Elect(OperatorSettingsBuilder s, string identity)
        {
            s.LeaderElectionType = LeaderElectionType.Single;
            s.LeaderElectionIdentity = identity;
            s.LeaderElectionLeaseDuration = TimeSpan.FromSeconds(2);
            s.LeaderElectionRenewDeadline = TimeSpan.FromSeconds(1.5);
            s.LeaderElectionRetryPeriod = TimeSpan.FromMilliseconds(200);
        }

        var first = await env.StartOperatorAsync(Register, s => Elect(s, "replica-1"));
        await Eventually.HoldsAsync(
            async () => (await env.Client.GetAsync<V1Lease>("framework-test-leader", env.Namespace))?.Spec?.HolderIdentity == "replica-1",
            "the first replica holds the lease");
        var second = await env.StartOperatorAsync(Register, s => Elect(s, "replica-2"));

        await env.Client.CreateAsync(OperatorRuntimeTests.ConfigMap(env, "before", "1"));
        await Eventually.HoldsAsync(() => log.Count("Reconcile", "before") >= 1, "the leader reconciles");
        await Task.Delay(TimeSpan.FromSeconds(1));
        log.Calls.Where(c => c.Name == "before").Select(c => c.Instance).Should().OnlyContain(i => i == "replica-1", "only the leader reconciles");

        await env.StopOperatorAsync(first);
        await env.Client.CreateAsync(OperatorRuntimeTests.ConfigMap(env, "after", "1"));
        await Eventually.HoldsAsync(() => log.Calls.Any(c => c.Name == "after" && c.Instance == "replica-2"), "the second replica takes over");
        (await env.Client.GetAsync<V1Lease>("framework-test-leader", env.Namespace))!.Spec.HolderIdentity.Should().Be("replica-2");
        log.Calls.Should().NotContain(c => c.Name == "after" && c.Instance == "replica-1");
        GC.KeepAlive(second);
    }

    [Test]
    public async Task Should_Stop_Reconciling_At_Once_When_The_Lease_Is_Lost()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        var log = new CallLog();
        var app = await env.StartOperatorAsync(
            b =>
            {
                b.Services.AddSingleton(log);
                b.AddController<RecordingController<V1ConfigMap>, V1ConfigMap>();
            },
            s =>
            {
                s.LeaderElectionType = LeaderElectionType.Single;
                s.LeaderElectionIdentity = "replica-1";
                s.LeaderElectionLeaseDuration = TimeSpan.FromSeconds(5);
                s.LeaderElectionRenewDeadline = TimeSpan.FromSeconds(1);
                s.LeaderElectionRetryPeriod = TimeSpan.FromMilliseconds(200);
            });
        var health = app.Services.GetRequiredService<LbOperator.Framework.Health.OperatorHealth>();
        await Eventually.HoldsAsync(() => health.IsReconciling, "the replica leads");

        await Eventually.HoldsAsync(
            async () =>
            {
                var lease = (await env.Client.GetAsync<V1Lease>("framework-test-leader", env.Namespace))!;
                lease.Spec.HolderIdentity = "intruder";
                lease.Spec.RenewTime = DateTime.UtcNow;
                try
                {
                    await env.Client.UpdateAsync(lease);
                    return true;
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
                {
                    return false; // the replica renewed meanwhile
                }
            },
            "another holder takes the lease");
        await Eventually.HoldsAsync(() => !health.IsReconciling, "the replica notices it lost the lease", TimeSpan.FromSeconds(4));

        await env.Client.CreateAsync(OperatorRuntimeTests.ConfigMap(env, "while-lost", "1"));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        log.Count("Reconcile", "while-lost").Should().Be(0, "a replica without the lease does not reconcile");

        await Eventually.HoldsAsync(() => log.Count("Reconcile", "while-lost") == 1, "the replica takes the expired lease back and catches up");
    }
}
