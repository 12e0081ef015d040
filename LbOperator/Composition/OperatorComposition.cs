using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Finalizers;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Metrics;
using LbOperator.Framework.Watcher;
using LbOperator.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Composition;

/// <summary>
/// What LbOperator watches and reconciles: the one place where its controllers, finalizers, relations and startup
/// tasks are registered. `run` and the sandbox's in-process operator both start from here (through
/// <see cref="LbOperatorHost"/>).
/// </summary>
public static class OperatorComposition
{
    public const string OperatorName = "lb-operator";

    public static IOperatorBuilder AddLbOperator(this IOperatorBuilder builder, LbOperatorSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var directory = new ServiceDirectory();
        builder.Services.AddSingleton(settings ?? new LbOperatorSettings());
        builder.Services.AddSingleton(directory);
        builder.Services.AddSingleton<ServiceStatusBoard>();
        builder.Services.AddSingleton<IpamState>();
        builder.Services.AddSingleton<GatewayTeardown>();
        builder.Services.AddSingleton<GatewayRouterIdRegistry>();
        builder.Services.AddSingleton<GatewayDisruptionBudgets>();
        builder.Services.AddSingleton<SubnetStatusWriter>();
        var overlapping = new OverlapWaitList();
        builder.Services.AddSingleton(overlapping);
        builder.Services.AddSingleton<AllocationRecordWriter>();
        builder.Services.AddSingleton<RebuildFindings>();
        builder.Services.AddSingleton<SweepSchedule>();

        // Kube-OVN's IPs and Vips, where Kube-OVN runs: the addresses its IPAM gave out are never handed to a Service.
        builder.AddOptionalWatch<V1KubeOvnIp>();
        builder.AddOptionalWatch<V1KubeOvnVip>();
        builder.Services.AddSingleton(KubeOvnAddresses.IpSubnetIndex);
        builder.Services.AddSingleton(KubeOvnAddresses.VipSubnetIndex);
        builder.Services.AddSingleton<KubeOvnAddresses>();
        builder.Services.AddSingleton<KubeOvnMode>();
        builder.Services.AddSingleton<KubeOvnReservations>();
        builder.Services.AddSingleton<KubeOvnTakeover>();

        // First the sweep (holdings of Services that are gone), then the figures: both run on every Subnet reconcile.
        // A record written or deleted (an address taken or freed) moves the figures of its Subnet; a Subnet's change
        // or deletion may lift the refusal of a Subnet overlapping it; an IP or Vip of Kube-OVN gives or takes addresses.
        builder.AddController<HoldingSweep, V1Subnet>();
        builder.AddController<SubnetController, V1Subnet>()
            .Watches<V1IpAllocation>(RecordedSubnet)
            .Watches<V1KubeOvnIp>(KubeOvnAddresses.SubnetOf)
            .Watches<V1KubeOvnVip>(KubeOvnAddresses.SubnetOf)
            .Watches<V1Subnet>(overlapping.WokenBy);
        builder.AddFinalizer<SubnetFinalizer, V1Subnet>(SubnetFinalizer.Identifier);

        // Only gateway Deployments are watched (by their label), so the cache stays small on big clusters; records
        // are found by their Service's uid without a scan. Multus' NAD CRD may not be installed.
        builder.Services.AddSingleton<IEntityLabelSelector<V1Deployment>, GatewayDeploymentSelector>();
        builder.Services.AddSingleton<IEntityLabelSelector<V1PodDisruptionBudget>, GatewayDeploymentSelector>();
        builder.Services.AddSingleton(AllocationRecordWriter.OwnerIndex);
        builder.Services.AddSingleton(GatewayCache.Transform);
        builder.AddOptionalWatch<V1NetworkAttachmentDefinition>();

        // A gateway Deployment changed or deleted by anyone is restored; a Subnet change wakes the Services it concerns.
        // A record deleted or changed by anyone is written again by its Service; a NAD appearing or changing re-plans
        // the Services attached through it; Kube-OVN confirming the Vip of one of its addresses lets its gateway start.
        builder.AddController<ServiceController, V1Service>()
            .Owns<V1Deployment>()
            .Owns<V1PodDisruptionBudget>()
            .Watches<V1Subnet>(directory.ServicesAffectedBy)
            .Watches<V1IpAllocation>(RecordOwner)
            .Watches<V1NetworkAttachmentDefinition>(directory.ServicesAttachedThrough)
            .Watches<V1KubeOvnVip>(KubeOvnReservations.ServiceOf);
        builder.AddFinalizer<ServiceFinalizer, V1Service>(ServiceFinalizer.Identifier);

        // Records of Services that are gone, or left over from a move, are deleted (on sight and every resync).
        builder.AddController<IpAllocationController, V1IpAllocation>();

        // After the initial sync, before any reconcile: nothing is allocated before every holder is known.
        builder.AddStartupTask<IpamRebuildTask>();

        // Kube-OVN's own lb-svc serves the same Services: while kube-ovn-controller runs it, LbOperator serves none.
        builder.Services.AddSingleton<KubeOvnLbSvcCheck>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KubeOvnLbSvcCheck>());
        builder.AddStartupTask<KubeOvnLbSvcFirstCheck>();

        // Figures computed from the IPAM and the watched objects at every scrape of /metrics.
        builder.Services.AddSingleton<IMetricsSource, SubnetAddressMetrics>();
        builder.Services.AddSingleton<IMetricsSource, ServiceStateMetrics>();
        return builder;
    }

    private static IEnumerable<EntityKey> RecordedSubnet(V1IpAllocation record) =>
        string.IsNullOrEmpty(record.Spec?.Subnet) ? [] : [new EntityKey(null, record.Spec.Subnet)];

    private static IEnumerable<EntityKey> RecordOwner(V1IpAllocation record) =>
        record.Spec?.Service is { Namespace: { Length: > 0 } ns, Name: { Length: > 0 } name } ? [new EntityKey(ns, name)] : [];
}
