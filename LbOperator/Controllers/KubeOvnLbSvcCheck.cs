using k8s.Models;
using LbOperator.Framework.Client;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Watcher;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Whether Kube-OVN's lb-svc runs (<see cref="KubeOvnLbSvc"/>), read from kube-ovn-controller's Deployment: once
/// before the first reconcile (<see cref="KubeOvnLbSvcFirstCheck"/>), then every <see cref="LbOperatorSettings.KubeOvnCheckInterval"/> (one
/// GET; no reconcile reads it). When the answer changes, every Service of LbOperator's is queued again, so they are
/// served once the flag is off and none is served while it is on. A failed read keeps the last answer.
/// </summary>
public sealed class KubeOvnLbSvcCheck(
    IKubernetesClient client,
    KubeOvnMode mode,
    IEntityCache<V1Service> services,
    EntityQueue<V1Service> requeue,
    LbOperatorSettings settings,
    TimeProvider time,
    ILogger<KubeOvnLbSvcCheck> logger) : BackgroundService
{
    private const string Controller = $"{KubeOvnLbSvc.ControllerNamespace}/{KubeOvnLbSvc.ControllerName}";

    private volatile bool _enabled;

    /// <summary>True while kube-ovn-controller runs with <c>--enable-lb-svc=true</c> (never outside Kube-OVN mode).</summary>
    public bool Enabled => _enabled;

    /// <summary>Reads the Deployment once; queues every Service again when the answer changed.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var enabled = false;
        // Without Kube-OVN there is nothing to read, and no request is made.
        if (mode.IsOn)
        {
            try
            {
                enabled = KubeOvnLbSvc.IsEnabled(
                    await client.GetAsync<V1Deployment>(KubeOvnLbSvc.ControllerName, KubeOvnLbSvc.ControllerNamespace, cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.KubeOvnLbSvcUnknown(e, Controller, _enabled);
                return;
            }
        }

        if (enabled == _enabled)
        {
            return;
        }

        _enabled = enabled;
        if (enabled)
        {
            logger.KubeOvnLbSvcOn(Controller, KubeOvnLbSvc.Flag);
        }
        else
        {
            logger.KubeOvnLbSvcOff(Controller, KubeOvnLbSvc.Flag);
        }

        foreach (var service in services.List().Where(LoadBalancerServiceRules.IsOurs))
        {
            await requeue(service, ReconciliationType.Modified, ReconciliationTriggerSource.Operator, TimeSpan.Zero, 0, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.KubeOvnCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RefreshAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
