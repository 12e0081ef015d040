using k8s.Autorest;
using k8s.Models;
using LbOperator.Entities;
using LbOperator.Finalizers;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Events;
using LbOperator.Framework.Rbac;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Watcher;
using LbOperator.Gateway;
using LbOperator.Ipam;
using LbOperator.LoadBalancing;
using Microsoft.Extensions.Logging;

namespace LbOperator.Controllers;

/// <summary>
/// Serves every Service the Service rules call ours: plans it (NAD, Subnet, request, forwarding), allocates its
/// addresses, records them (IpAllocation objects, before any gateway announces them), keeps its gateway Deployment
/// as built, and writes <c>status.loadBalancer.ingress</c> and the <c>LoadBalancerReady</c> condition last, in one
/// write, once the gateway is ready (EXTERNAL-IP appears when the address answers). A Service that stops being ours
/// (type changed, annotation removed, other load-balancer class) is released and cleaned up. Everything is read from
/// the watch caches; every write happens only when something differs, so a settled cluster sees none. A new Service
/// costs four writes: its record, its finalizer, its gateway and its status (and its Vip beside Kube-OVN, whose
/// reservation must be confirmed before the gateway is made: <see cref="KubeOvnReservations"/>). A Service Kube-OVN's
/// lb-svc served is taken over keeping its address (<see cref="KubeOvnTakeover"/>).
/// </summary>
// Least privilege: no pods/exec (the gateway configures itself from its pod spec) and no patch; pods are only listed
// by the Kube-OVN take-over (KubeOvnTakeover).
[GenericRbac(Groups = [""], Resources = ["services"], Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Update)]
[GenericRbac(Groups = [""], Resources = ["services/status"], Verbs = RbacVerb.Update)]
// The gateway's owner reference has blockOwnerDeletion: clusters that enforce owner-reference permissions (OpenShift)
// allow setting it only with update on the owner's finalizers subresource.
[GenericRbac(Groups = [""], Resources = ["services/finalizers"], Verbs = RbacVerb.Update)]
[GenericRbac(Groups = ["apps"], Resources = ["deployments"],
    Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Update | RbacVerb.Delete)]
[EntityRbac(typeof(V1NetworkAttachmentDefinition), Verbs = RbacVerb.List | RbacVerb.Watch)]
// Highly available gateways have a PodDisruptionBudget each.
[GenericRbac(Groups = ["policy"], Resources = ["poddisruptionbudgets"],
    Verbs = RbacVerb.Get | RbacVerb.List | RbacVerb.Watch | RbacVerb.Create | RbacVerb.Update | RbacVerb.Delete)]
public sealed class ServiceController(
    IKubernetesClient client,
    IEntityCache<V1Subnet> subnets,
    IEntityCache<V1NetworkAttachmentDefinition> attachments,
    IEntityCache<V1Deployment> deployments,
    IpamState ipam,
    GatewayTeardown teardown,
    AllocationRecordWriter records,
    KubeOvnReservations reservations,
    KubeOvnTakeover takeover,
    GatewayRouterIdRegistry routerIds,
    GatewayDisruptionBudgets budgets,
    ServiceDirectory directory,
    ServiceStatusBoard board,
    KubeOvnLbSvcCheck kubeOvnLbSvc,
    LbOperatorSettings settings,
    EventPublisher publish,
    TimeProvider time,
    ILogger<ServiceController> logger) : IEntityController<V1Service>
{
    /// <summary>The Service condition this operator owns.</summary>
    public const string ConditionType = "LoadBalancerReady";

    // Kube-OVN's gateway being deleted is not watched (only LbOperator's gateways are): its going is looked at this often.
    private static readonly TimeSpan TakeoverRecheck = TimeSpan.FromMilliseconds(250);

    public async Task<ReconciliationResult<V1Service>> ReconcileAsync(V1Service entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var service = entity;
        if (!LoadBalancerServiceRules.IsOurs(service))
        {
            directory.Remove(EntityKey.Of(service));
            board.Forget(EntityKey.Of(service));
            return ReconciliationResult<V1Service>.Success(await StopServingAsync(service, cancellationToken));
        }

        var owner = ServiceRecord.OwnerOf(service);
        var inputs = new PlanningInputs(
            [.. subnets.List()], LookUpNetworkAttachment(service), ipam.GetSubnet, ipam.Lookup(owner)?.Subnet);
        var outcome = ServicePlanner.Plan(service, inputs);
        if (outcome.Plan is not { } plan)
        {
            return await FailAsync(service, outcome.Problem!, outcome, cancellationToken);
        }

        // Kube-OVN's lb-svc would serve it too: nothing is allocated or created (what it already holds stays).
        if (kubeOvnLbSvc.Enabled)
        {
            return await FailAsync(service, new ServiceProblem(EventReasons.KubeOvnLbSvcEnabled, KubeOvnLbSvc.Message(service)), outcome, cancellationToken);
        }

        // Beside Kube-OVN: a Service its lb-svc served keeps the address Kube-OVN's gateway pod holds.
        var kubeOvnGateway = await takeover.FindAsync(service, cancellationToken);
        var request = plan.Request;
        if (kubeOvnGateway is not null && ipam.Lookup(owner) is null)
        {
            var handover = await takeover.HandoverRequestAsync(service, plan, kubeOvnGateway, cancellationToken);
            if (!handover.IsSuccess)
            {
                return await FailAsync(service, new ServiceProblem(handover.Reason!, handover.Error), outcome, cancellationToken);
            }

            request = handover.Value;
        }

        var allocation = ipam.Allocate(plan.Subnet, owner, request);
        if (allocation is not AllocationResult.Allocated allocated)
        {
            return await FailAsync(service, ServicePlanner.ProblemOf(service, allocation), outcome, cancellationToken);
        }

        // The record comes first: no gateway announces an address that is not recorded for its Service.
        var (unrecorded, recorded) = await records.EnsureAsync(service, allocated, cancellationToken);
        if (unrecorded is not null)
        {
            return await FailAsync(service, unrecorded, outcome, cancellationToken);
        }

        directory.Set(EntityKey.Of(service), outcome.Provider, outcome.Subnet, waiting: false);
        try
        {
            service = await RecordAsync(service, allocated, cancellationToken);
        }
        catch (HttpOperationException e) when (IsRefusal(e, out var code))
        {
            // An admission webhook or policy refusing the Service's own update: said, not only logged.
            return await FailAsync(service, new ServiceProblem(EventReasons.RecordWriteFailed,
                $"Service {ServiceNames.Display(service)}: recording its finalizer and addresses ({string.Join(",", allocated.Addresses)}) on the " +
                $"Service failed: {ApiAnswer(e, code)}"), outcome, cancellationToken);
        }

        if (allocated.Changed)
        {
            logger.Allocated(allocated.Message);
            await publish(service, EventReasons.AddressAllocated, $"Allocated {allocated.Message}", EventType.Normal, cancellationToken);
        }

        // Kube-OVN's gateway goes first (its pod before it): the name is LbOperator's gateway's, and one address has one gateway.
        if (kubeOvnGateway is not null)
        {
            if (await takeover.ReplaceAsync(kubeOvnGateway, cancellationToken))
            {
                await publish(service, EventReasons.KubeOvnGatewayReplaced,
                    $"Deleting Kube-OVN's lb-svc gateway Deployment {kubeOvnGateway.Name()}: {string.Join(",", allocated.Addresses)} stays the " +
                    "Service's and is served by LbOperator's gateway once that Deployment's pod is gone", EventType.Normal, cancellationToken);
            }

            return ReconciliationResult<V1Service>.Success(service, TakeoverRecheck);
        }

        // Beside Kube-OVN: no gateway starts announcing an address that Kube-OVN's IPAM does not hold for it. The Vip's
        // change wakes the Service; the requeue only makes a wait past the grace show.
        var reservation = await reservations.EnsureAsync(recorded, cancellationToken);
        if (!reservation.IsDone && !AnnouncesAlready(service, reservation))
        {
            if (reservation.Overdue)
            {
                return await FailAsync(service, new ServiceProblem(EventReasons.AddressNotReserved,
                    $"Service {ServiceNames.Display(service)}: {string.Join("; ", reservation.Waiting)}; its gateway is created once Kube-OVN holds the address"),
                    outcome, cancellationToken);
            }

            return ReconciliationResult<V1Service>.Success(service, settings.KubeOvnReservationGrace);
        }

        var served = Served(allocated.Addresses, plan.Forwarding);
        var (gateway, gatewayProblem) = await EnsureGatewayAsync(service, plan, allocated.Addresses, cancellationToken);
        if (gateway is null)
        {
            return await FailAsync(service, gatewayProblem!, outcome, cancellationToken);
        }

        // The gateway announces only what is held now: records of addresses given up may go.
        await records.RemoveStaleAsync(service, ipam.Lookup(owner), cancellationToken);
        var wasReady = ConditionList.IsTrue(service.Status?.Conditions, ConditionType);
        // Copied before the status write, which updates the condition in place.
        var previous = ConditionList.Find(service.Status?.Conditions, ConditionType);
        var (previousReason, previousMessage) = (previous?.Reason, previous?.Message ?? "");
        var ready = IsReady(gateway);
        // A pending gateway is not worth a write of its own: the condition says so only when it replaces another.
        var shown = previous is not null;
        // A Deployment that cannot make its pod (quota, pod admission) says so in its status: the Service says it too.
        var stuck = ready ? null : GatewayProgress.Stuck(gateway);
        // What the gateway does other than asked is said in the condition, and once as a Warning when it first shows.
        var notices = ServiceNotices.Of(service, plan);
        var noted = string.Concat(notices.Select(n => "; " + n.Message));
        var pods = GatewayProgress.ReadyPods(gateway);
        var condition = ready
            ? new ServiceProblem(EventReasons.GatewayReady,
                $"gateway Deployment {gateway.Name()} is ready ({pods}); {string.Join(",", served)} forwards to the Service's ClusterIP{noted}")
            : stuck is not null
                ? new ServiceProblem(EventReasons.GatewayNotProgressing, $"gateway Deployment {gateway.Name()} makes no ready pod: {stuck}{noted}")
                : new ServiceProblem(EventReasons.GatewayPending, $"waiting for gateway Deployment {gateway.Name()} to become ready{noted}");
        var written = ready || stuck is not null || shown;
        if (written)
        {
            service = await WriteStatusAsync(service, served, ready, condition, cancellationToken);
        }

        if (stuck is not null && (previousReason != EventReasons.GatewayNotProgressing || previousMessage != MessageText.Cap(condition.Message)))
        {
            await publish(service, EventReasons.GatewayNotProgressing, MessageText.Cap($"Service {ServiceNames.Display(service)}: {condition.Message}"),
                EventType.Warning, cancellationToken);
        }

        // Told once: when the condition first carries the notice (the condition is what remembers it).
        foreach (var notice in notices.Where(n => written && !previousMessage.Contains(n.Message, StringComparison.Ordinal)))
        {
            await publish(service, notice.Reason, MessageText.Cap($"Service {ServiceNames.Display(service)}: {notice.Message}"), EventType.Warning, cancellationToken);
        }

        // A highly available gateway that was whole and lost a pod still serves: said once, as a Warning.
        if (ready && GatewayProgress.IsShort(gateway) && previousReason == EventReasons.GatewayReady && GatewayProgress.WasWhole(previousMessage, gateway))
        {
            await publish(service, EventReasons.GatewayStandbyLost, MessageText.Cap(
                $"Service {ServiceNames.Display(service)}: gateway Deployment {gateway.Name()} has {pods}: the address is served, " +
                "but losing its holder now would leave it dark until a pod is back"), EventType.Warning, cancellationToken);
        }

        // A pending gateway whose condition was not written still stands as pending.
        board.Report(EntityKey.Of(service),
            written ? ServiceState.Of(service) : new ServiceState(ServiceState.Pending, EventReasons.GatewayPending), ready);
        if (ready && !wasReady)
        {
            await publish(service, EventReasons.GatewayReady,
                $"Gateway {gateway.Name()} is ready: {string.Join(",", served)} forwards to the Service's ClusterIP", EventType.Normal, cancellationToken);
        }

        return ReconciliationResult<V1Service>.Success(service);
    }

    public async Task<ReconciliationResult<V1Service>> DeletedAsync(V1Service entity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        directory.Remove(EntityKey.Of(entity));
        board.Forget(EntityKey.Of(entity));
        // Normally the finalizer has released everything; this covers a finalizer removed by hand.
        await teardown.RunAsync(entity, cancellationToken);
        return ReconciliationResult<V1Service>.Success(entity);
    }

    /// <summary>The Service's NetworkAttachmentDefinition as the planner needs it (not looked up when the annotation does not parse).</summary>
    private NetworkAttachmentLookup LookUpNetworkAttachment(V1Service service) =>
        AttachmentProvider.Of(service) is { IsSuccess: true, Value: { } provider }
            ? NetworkAttachmentLookup.Of(attachments.Get(provider.NadName, provider.NadNamespace))
            : NetworkAttachmentLookup.NotChecked;

    /// <summary>The addresses the gateway serves: those of the families the Service has a ClusterIP of (IPv4 first).</summary>
    private static IReadOnlyList<System.Net.IPAddress> Served(IReadOnlyList<System.Net.IPAddress> addresses, ServiceForwarding forwarding) =>
        [.. addresses.Where(a => forwarding.ClusterIpOf(a.AddressFamily) is not null)];

    private async Task<ReconciliationResult<V1Service>> FailAsync(
        V1Service service, ServiceProblem problem, PlanOutcome outcome, CancellationToken cancellationToken)
    {
        directory.Set(EntityKey.Of(service), outcome.Provider, outcome.Subnet, waiting: true);
        // Messages repeat what the user wrote: a huge annotation must not become a huge condition, Event and log line.
        problem = problem with { Message = MessageText.Cap(problem.Message) };
        logger.ServiceProblem(problem.Reason, problem.Message);
        // The addresses it holds (if any) and its gateway stay as they are: a failed change takes nothing away.
        try
        {
            service = await WriteStatusAsync(service, null, false, problem, cancellationToken);
        }
        catch (HttpOperationException e) when (IsRefusal(e, out _))
        {
            // The Event still tells; the retry writes the condition once the server takes it.
            logger.StatusWriteFailed(e.Message);
        }

        await publish(service, problem.Reason, problem.Message, EventType.Warning, cancellationToken);
        board.Report(EntityKey.Of(service), new ServiceState(ServiceState.Failed, problem.Reason), GatewayIsReady(service));
        return ReconciliationResult<V1Service>.Failure(service, problem.Message);
    }

    /// <summary>
    /// Puts the finalizer on the Service and takes away the record annotations of earlier versions, now that the
    /// IpAllocations record the addresses (one write, only when either is needed).
    /// </summary>
    private async Task<V1Service> RecordAsync(V1Service service, AllocationResult.Allocated allocated, CancellationToken cancellationToken)
    {
        var changed = service.AddFinalizer(ServiceFinalizer.Identifier);
        var migrated = ServiceRecord.Clear(service);
        if (!changed && !migrated)
        {
            return service;
        }

        service = await client.UpdateAsync(service, cancellationToken);
        if (migrated)
        {
            var names = string.Join(",", allocated.Addresses.Select(a => AllocationRecordNames.For(a, allocated.Subnet)));
            await publish(service, EventReasons.RecordMigrated,
                $"The allocation is recorded in IpAllocation {names} now; " +
                $"the annotations {ServiceRecord.AllocatedSubnet} and {ServiceRecord.AllocatedAddresses} were removed and are no longer read",
                EventType.Normal, cancellationToken);
        }

        return service;
    }

    /// <summary>
    /// Creates the gateway Deployment, or restores it when it differs from what the builder makes (<see cref="GatewayDrift"/>).
    /// No Deployment but a problem when the name is taken by a Deployment this Service does not control, when the
    /// pod could not start, or when the API server refuses the write (the condition and a Warning say which).
    /// </summary>
    private async Task<(V1Deployment? Gateway, ServiceProblem? Problem)> EnsureGatewayAsync(
        V1Service service, ServicePlan plan, IReadOnlyList<System.Net.IPAddress> addresses, CancellationToken cancellationToken)
    {
        var who = $"Service {ServiceNames.Display(service)}";
        VrrpRouterId? routerId = null;
        if (GatewayBuilder.IsHighlyAvailable(plan, settings.Gateway))
        {
            routerId = routerIds.For(service);
            if (routerId is null)
            {
                return (null, new ServiceProblem(EventReasons.GatewayRouterIdsExhausted,
                    $"{who}: all {settings.Gateway.VrrpRouterIds.Count} VRRP router ids the operator may give (--gateway-vrrp-router-ids) are used by " +
                    $"other highly available gateways; set {Annotations.GatewayReplicas}: \"1\" on this Service or on another one, or allow more ids"));
            }
        }
        else
        {
            routerIds.Release(service.Metadata.Uid);
        }

        var (gateway, problem) = await EnsureDeploymentAsync(service, plan, addresses, routerId, cancellationToken);
        if (gateway is null)
        {
            return (null, problem);
        }

        var budgetProblem = await budgets.EnsureAsync(service, gateway, cancellationToken);
        return budgetProblem is null ? (gateway, null) : (null, new ServiceProblem(EventReasons.GatewayWriteFailed, $"{who}: {budgetProblem}"));
    }

    private async Task<(V1Deployment? Gateway, ServiceProblem? Problem)> EnsureDeploymentAsync(
        V1Service service, ServicePlan plan, IReadOnlyList<System.Net.IPAddress> addresses, VrrpRouterId? routerId, CancellationToken cancellationToken)
    {
        var who = $"Service {ServiceNames.Display(service)}";
        var desired = GatewayBuilder.Build(service, plan, addresses, settings.Gateway, routerId);
        if (GatewayLimits.Problem(desired, plan.Forwarding.Ports.Count, plan.Forwarding.SourceRanges.Count) is { } tooLarge)
        {
            return (null, new ServiceProblem(EventReasons.GatewayTooLarge, $"{who}: {tooLarge}"));
        }

        var existing = deployments.Get(desired.Name(), desired.Namespace());
        if (existing is null)
        {
            logger.CreatingGateway(desired.Metadata.Name);
            try
            {
                return await WriteGatewayAsync(service, desired, "creating", (d, ct) => client.CreateAsync(d, ct), cancellationToken);
            }
            catch (HttpOperationException e) when (e.Is(System.Net.HttpStatusCode.Conflict))
            {
                // AlreadyExists: a Deployment of that name without the gateway label (so not in the cache): read it once.
                existing = await client.GetAsync<V1Deployment>(desired.Name(), desired.Namespace(), cancellationToken);
                if (existing is null)
                {
                    throw;
                }
            }
        }

        // A Deployment of that name that this Service does not control is a stranger's, whatever its labels say.
        if (!GatewayOwnership.IsGatewayOf(existing, service))
        {
            return (null, NameTaken(service, desired));
        }

        if (GatewayCache.SpecDigestOf(existing) == GatewayDrift.Digest(desired.Spec) && !GatewayDrift.LabelDifferences(existing, desired).Any())
        {
            return (existing, null);
        }

        // The cache keeps only a digest of the pod spec: the Deployment is read once, to name what changed and to be
        // restored from its current version (the cache may also just be behind, and then nothing differs).
        if (GatewayCache.IsTrimmed(existing))
        {
            existing = await client.GetAsync<V1Deployment>(desired.Name(), desired.Namespace(), cancellationToken);
            if (existing is null)
            {
                logger.CreatingGateway(desired.Metadata.Name);
                return await WriteGatewayAsync(service, desired, "creating", (d, ct) => client.CreateAsync(d, ct), cancellationToken);
            }

            if (!GatewayOwnership.IsGatewayOf(existing, service))
            {
                return (null, NameTaken(service, desired));
            }
        }

        var differences = GatewayDrift.Differences(existing, desired);
        if (differences.Count == 0)
        {
            return (existing, null);
        }

        var changes = string.Join(", ", differences.Take(5));
        logger.RestoringGateway(desired.Metadata.Name, changes);
        var labels = existing.Metadata.Labels ?? new Dictionary<string, string>();
        foreach (var (key, value) in desired.Metadata.Labels)
        {
            labels[key] = value;
        }

        // A rollout restart asked for by a person is kept: dropping it would roll the pod once more for nothing.
        if (existing.Spec?.Template?.Metadata?.Annotations?.TryGetValue(GatewayDrift.RestartedAtAnnotation, out var restartedAt) == true)
        {
            desired.Spec.Template.Metadata.Annotations[GatewayDrift.RestartedAtAnnotation] = restartedAt;
        }

        existing.Metadata.Labels = labels;
        existing.Metadata.OwnerReferences = desired.Metadata.OwnerReferences;
        existing.Spec = desired.Spec;
        return await WriteGatewayAsync(service, existing, "restoring", (d, ct) => client.UpdateAsync(d, ct), cancellationToken);
    }

    private static ServiceProblem NameTaken(V1Service service, V1Deployment desired) =>
        new(EventReasons.GatewayNameTaken,
            $"Service {ServiceNames.Display(service)}: Deployment {service.Namespace()}/{desired.Name()} exists and " +
            "is not this Service's gateway; delete or rename it so the gateway can be created");

    /// <summary>
    /// Writes the gateway; an answer of the API server other than a conflict (422 invalid, 403 quota or policy, an
    /// admission webhook's refusal, 500) becomes a problem carrying its code and message, so the Service shows it and
    /// the retry backs off. A conflict is a race with another writer: it is retried as any failure.
    /// </summary>
    private static async Task<(V1Deployment? Gateway, ServiceProblem? Problem)> WriteGatewayAsync(
        V1Service service, V1Deployment deployment, string verb, Func<V1Deployment, CancellationToken, Task<V1Deployment>> write,
        CancellationToken cancellationToken)
    {
        try
        {
            return (await write(deployment, cancellationToken), null);
        }
        catch (HttpOperationException e) when (IsRefusal(e, out var code))
        {
            return (null, new ServiceProblem(EventReasons.GatewayWriteFailed,
                $"Service {ServiceNames.Display(service)}: {verb} gateway Deployment {deployment.Namespace()}/{deployment.Name()} failed: " +
                ApiAnswer(e, code)));
        }
    }

    /// <summary>An answer of the API server other than a conflict: a conflict is a race, retried quietly with a fresh read.</summary>
    private static bool IsRefusal(HttpOperationException e, out System.Net.HttpStatusCode code)
    {
        code = ApiError.StatusCodeOf(e) ?? 0;
        return code is not (0 or System.Net.HttpStatusCode.Conflict);
    }

    /// <summary>The API server's answer as a user reads it: code, its reason word and its message.</summary>
    private static string ApiAnswer(HttpOperationException e, System.Net.HttpStatusCode code)
    {
        var status = e.Body as V1Status;
        var answer = status?.Message is { Length: > 0 } message ? message : e.Message;
        var reason = status?.Reason is { Length: > 0 } said ? said : code.ToString();
        return $"the API server answered {(int)code} {reason}: {MessageText.Cap(answer)}";
    }

    /// <summary>Whether the Service's gateway (in the cache) announces every address still waiting for its reservation already.</summary>
    private bool AnnouncesAlready(V1Service service, ReservationCheck reservation)
    {
        var announced = GatewayAnnouncement.Addresses(deployments.Get(GatewayNames.Deployment(service.Name()), service.Namespace()), service);
        return reservation.Waiting.All(w => announced.Contains(w.Record.Address));
    }

    /// <summary>Whether the Service's own gateway (in the cache) is ready: a failed change leaves a working gateway as it is.</summary>
    private bool GatewayIsReady(V1Service service) =>
        deployments.Get(GatewayNames.Deployment(service.Name()), service.Namespace()) is { } gateway
        && GatewayOwnership.IsGatewayOf(gateway, service) && IsReady(gateway);

    /// <summary>Ready when the current template's pod is ready.</summary>
    internal static bool IsReady(V1Deployment deployment) =>
        deployment.Status is { } status
        && (status.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0)
        && (status.UpdatedReplicas ?? 0) >= 1
        && (status.ReadyReplicas ?? 0) >= 1;

    /// <summary>
    /// Writes the ingress and the condition, through the status subresource, only when they differ from what the
    /// Service shows. The ingress lists <paramref name="served"/> once the gateway is ready; before that (and while a
    /// ready gateway rolls) it keeps only those of its addresses that are still served, adding none.
    /// </summary>
    private async Task<V1Service> WriteStatusAsync(
        V1Service service, IReadOnlyList<System.Net.IPAddress>? served, bool ready, ServiceProblem condition, CancellationToken cancellationToken)
    {
        var status = service.Status ??= new V1ServiceStatus();
        var changed = false;
        if (served is not null)
        {
            var current = status.LoadBalancer?.Ingress?.Select(i => i.Ip).ToList() ?? [];
            var wanted = served.Select(a => a.ToString()).Where(a => ready || current.Contains(a)).ToList();
            if (!current.SequenceEqual(wanted))
            {
                status.LoadBalancer ??= new V1LoadBalancerStatus();
                status.LoadBalancer.Ingress = [.. wanted.Select(ip => new V1LoadBalancerIngress { Ip = ip })];
                changed = true;
            }
        }

        status.Conditions ??= [];
        changed |= ConditionList.Set(status.Conditions, ConditionType, ready, condition.Reason, MessageText.Cap(condition.Message),
            service.Metadata.Generation, time.GetUtcNow().UtcDateTime);
        return changed ? await client.UpdateStatusAsync(service, cancellationToken) : service;
    }

    /// <summary>
    /// The Service is not (or no longer) ours. If it was, release its addresses, delete its gateway, remove the
    /// ingress entries and the condition this operator wrote, then its record and finalizer. A Service this operator
    /// never served is not touched.
    /// </summary>
    private async Task<V1Service> StopServingAsync(V1Service service, CancellationToken cancellationToken)
    {
        var record = ServiceRecord.Read(service);
        // An address held or recorded counts too: the write of the finalizer may have failed after the allocation.
        var wasOurs = service.HasFinalizer(ServiceFinalizer.Identifier) || ServiceRecord.Exists(service)
            || ConditionList.Find(service.Status?.Conditions, ConditionType) is not null
            || ipam.Lookup(ServiceRecord.OwnerOf(service)) is not null || records.AnyOf(service);
        if (!wasOurs)
        {
            return service;
        }

        var released = await teardown.ReleaseAsync(service, cancellationToken);
        var ours = (released?.Addresses ?? []).Concat(records.AddressesOf(service)).Concat(record?.Addresses ?? [])
            .Select(a => a.ToString()).ToHashSet(StringComparer.Ordinal);
        var status = service.Status;
        var statusChanged = ConditionList.Remove(status?.Conditions, ConditionType);
        if (status?.LoadBalancer?.Ingress is { } ingress && ingress.Any(i => i.Ip is not null && ours.Contains(i.Ip)))
        {
            status.LoadBalancer.Ingress = [.. ingress.Where(i => i.Ip is null || !ours.Contains(i.Ip))];
            statusChanged = true;
        }

        if (statusChanged)
        {
            service = await client.UpdateStatusAsync(service, cancellationToken);
        }

        var metadataChanged = ServiceRecord.Clear(service);
        metadataChanged |= service.RemoveFinalizer(ServiceFinalizer.Identifier);
        if (metadataChanged)
        {
            service = await client.UpdateAsync(service, cancellationToken);
        }

        await teardown.DeleteRecordsAsync(service, cancellationToken);

        if (released is not null)
        {
            await publish(service, EventReasons.AddressReleased,
                $"Released {string.Join(",", released.Addresses)} of subnet {released.Subnet}: the Service is no longer a LoadBalancer served by this operator",
                EventType.Normal, cancellationToken);
        }

        return service;
    }
}
