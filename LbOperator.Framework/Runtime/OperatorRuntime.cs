using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Health;
using LbOperator.Framework.LeaderElection;
using LbOperator.Framework.Metrics;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Watcher;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LbOperator.Framework.Runtime;

/// <summary>
/// The hosted service that runs the operator. With leader election it waits for the Lease and runs one "term" while
/// it leads; losing the lease cancels the term at once (watches stop, queued work is dropped, in-flight reconciles are
/// cancelled) and the replica goes back to waiting. A term: start every watch (each LISTs into its cache), wait for
/// all initial lists, run the startup tasks, then reconcile.
/// </summary>
internal sealed class OperatorRuntime(
    IEnumerable<IResourceWatcher> watchers,
    IEnumerable<IControllerPipeline> pipelines,
    IEnumerable<IOperatorStartupTask> startupTasks,
    OperatorSynchronization synchronization,
    OperatorHealth health,
    OperatorMetrics metrics,
    OperatorSettings settings,
    IKubernetes kubernetes,
    IKubernetesClient client,
    TimeProvider timeProvider,
    ILogger<OperatorRuntime> logger) : BackgroundService
{
    private readonly IResourceWatcher[] _watchers = [.. watchers];
    private readonly IControllerPipeline[] _pipelines = [.. pipelines];
    private readonly IOperatorStartupTask[] _startupTasks = [.. startupTasks];
    private readonly ExponentialBackoff _backoff = new(settings.WatchBackoffBase, settings.WatchBackoffMax);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation(
            """Operator {Name} starting: {Kinds} watched kinds, {Controllers} controlled kinds, leader election {LeaderElection}.""",
            settings.Name, _watchers.Length, _pipelines.Length, settings.LeaderElectionType);
        try
        {
            if (settings.LeaderElectionType == LeaderElectionType.None)
            {
                await RunTermAsync(stoppingToken);
            }
            else
            {
                await RunWithLeaderElectionAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            health.Fault($"operator runtime stopped: {e.Message}");
            logger.LogCritical(e, """The operator runtime stopped unexpectedly.""");
            throw;
        }
    }

    private async Task RunWithLeaderElectionAsync(CancellationToken stoppingToken)
    {
        var @namespace = settings.LeaderElectionNamespace ?? client.GetCurrentNamespace();
        var identity = settings.LeaderElectionIdentity;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationTokenSource? termCancellation = null;
            Task term = Task.CompletedTask;
            var leaseLock = new LeaseLock(kubernetes, @namespace, settings.LeaseName, identity);
            using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
            {
                LeaseDuration = settings.LeaderElectionLeaseDuration,
                RenewDeadline = settings.LeaderElectionRenewDeadline,
                RetryPeriod = settings.LeaderElectionRetryPeriod,
            });
            elector.OnStartedLeading += () =>
            {
                logger.LogInformation("""{Identity} acquired lease {Namespace}/{Lease}; reconciling.""", identity, @namespace, settings.LeaseName);
                termCancellation = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                term = RunTermAsync(termCancellation.Token);
            };
            elector.OnStoppedLeading += () =>
            {
                termCancellation?.Cancel();
                if (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("""{Identity} no longer holds lease {Namespace}/{Lease}; reconciling stopped.""", identity, @namespace, settings.LeaseName);
                }
            };
            elector.OnNewLeader += leader => logger.LogInformation("""Lease {Lease} is held by {Leader}.""", settings.LeaseName, leader);
            try
            {
                await elector.RunUntilLeadershipLostAsync(stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // A failed election round is retried; the replica must keep competing.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failures++;
                logger.LogWarning(e, """Leader election failed ({Failures} in a row).""", failures);
            }
            finally
            {
                if (termCancellation is not null)
                {
                    await termCancellation.CancelAsync();
                }

                await term;
                termCancellation?.Dispose();
            }

            if (stoppingToken.IsCancellationRequested)
            {
                await ReleaseLeaseAsync(@namespace, identity);
                return;
            }

            if (failures > 0)
            {
                await Task.Delay(_backoff.DelayFor(failures, Random.Shared.NextDouble()), timeProvider, stoppingToken);
            }
        }
    }

    private async Task ReleaseLeaseAsync(string @namespace, string identity)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await LeaseRelease.ReleaseAsync(client, @namespace, settings.LeaseName, identity, timeout.Token);
            logger.LogInformation("""Released lease {Namespace}/{Lease}.""", @namespace, settings.LeaseName);
        }
#pragma warning disable CA1031 // Releasing is a courtesy; the lease expires anyway.
        catch (Exception e)
#pragma warning restore CA1031
        {
            logger.LogInformation(e, """Could not release lease {Namespace}/{Lease}; it expires by itself.""", @namespace, settings.LeaseName);
        }
    }

    /// <summary>One period of reconciling: from (re)gaining the lease, or start-up, until cancelled.</summary>
    private async Task RunTermAsync(CancellationToken cancellationToken)
    {
        health.BeginTerm(_watchers.Select(w => w.KindName));
        metrics.SetLeading(true);
        synchronization.Reset(_watchers.Select(w => w.EntityType));
        foreach (var pipeline in _pipelines)
        {
            pipeline.BeginTerm();
        }

        try
        {
            var watchTasks = _watchers.Select(w => w.RunAsync(() => synchronization.KindSynced(w.EntityType), cancellationToken)).ToList();
            var startGate = StartGateAsync(cancellationToken);
            var pipelineTasks = _pipelines.Select(p => p.RunAsync(startGate, cancellationToken)).ToList();
            await Task.WhenAll([.. watchTasks, .. pipelineTasks]);
            await startGate.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        finally
        {
            metrics.SetLeading(false);
            health.EndTerm();
        }
    }

    private async Task StartGateAsync(CancellationToken cancellationToken)
    {
        await synchronization.WaitForInitialSyncAsync(cancellationToken);
        logger.LogInformation("""Initial lists of all {Count} watched kinds synced.""", _watchers.Length);
        foreach (var task in _startupTasks)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await task.RunAsync(cancellationToken);
                    break;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
#pragma warning disable CA1031 // A failed startup task is retried; nothing reconciles until it succeeds.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    var delay = _backoff.DelayFor(attempt, Random.Shared.NextDouble());
                    logger.LogError(e, """Startup task {Task} failed (attempt {Attempt}); retrying in {Delay}.""", task.GetType().Name, attempt, delay);
                    await Task.Delay(delay, timeProvider, cancellationToken);
                }
            }
        }

        // The initial LISTs and the startup tasks leave copies of every object behind, old enough by now to sit in
        // the oldest generation, where the GC would leave them for a long time: one full, compacting collection
        // hands that memory back before the first reconcile.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        health.MarkStartupComplete();
        logger.LogInformation("""Reconciling.""");
    }
}
