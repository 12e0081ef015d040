using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Finalizers;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Metrics;
using LbOperator.LoadBalancing;
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
        builder.Services.AddSingleton<IpamState>();
        builder.Services.AddSingleton<GatewayTeardown>();
        builder.Services.AddSingleton<SubnetStatusWriter>();
        var overlapping = new OverlapWaitList();
        builder.Services.AddSingleton(overlapping);

        // A Service's change (an address taken or freed) moves the figures of the Subnet it records; a Subnet's
        // change or deletion may lift the refusal of a Subnet overlapping it.
        builder.AddController<SubnetController, V1Subnet>()
            .Watches<V1Service>(RecordedSubnet)
            .Watches<V1Subnet>(overlapping.WokenBy);
        builder.AddFinalizer<SubnetFinalizer, V1Subnet>(SubnetFinalizer.Identifier);

        // A gateway Deployment changed or deleted by anyone is restored; a Subnet change wakes the Services it concerns.
        builder.AddController<ServiceController, V1Service>()
            .Owns<V1Deployment>()
            .Watches<V1Subnet>(directory.ServicesAffectedBy);
        builder.AddFinalizer<ServiceFinalizer, V1Service>(ServiceFinalizer.Identifier);

        // After the initial sync, before any reconcile: nothing is allocated before every holder is known.
        builder.AddStartupTask<IpamRebuildTask>();

        // Figures computed from the IPAM and the watched objects at every scrape of /metrics.
        builder.Services.AddSingleton<IMetricsSource, SubnetAddressMetrics>();
        builder.Services.AddSingleton<IMetricsSource, ServiceStateMetrics>();
        return builder;
    }

    private static IEnumerable<EntityKey> RecordedSubnet(V1Service service) =>
        service.Metadata?.Annotations?.TryGetValue(ServiceRecord.AllocatedSubnet, out var subnet) == true && !string.IsNullOrEmpty(subnet)
            ? [new EntityKey(null, subnet)]
            : [];
}
