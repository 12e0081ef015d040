using System.Text.RegularExpressions;

namespace LbOperator.Framework.Builder;

/// <summary>How the operator runs (KubeOps' <c>OperatorSettings</c>, extended with the timings this runtime uses).</summary>
public sealed record OperatorSettings
{
    /// <summary>Lower-case name used for logs, the Events' source and the lease <c>{Name}-leader</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The namespace to watch; null watches all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary><see cref="LeaderElectionType.Single"/> (the default) elects one active replica through a Lease.</summary>
    public required LeaderElectionType LeaderElectionType { get; init; }

    public required TimeSpan LeaderElectionLeaseDuration { get; init; }

    public required TimeSpan LeaderElectionRenewDeadline { get; init; }

    public required TimeSpan LeaderElectionRetryPeriod { get; init; }

    /// <summary>The lease's namespace; null means the operator's own namespace.</summary>
    public string? LeaderElectionNamespace { get; init; }

    /// <summary>This replica's identity in the lease; unique per process by default.</summary>
    public required string LeaderElectionIdentity { get; init; }

    public required bool AutoAttachFinalizers { get; init; }

    public required bool AutoDetachFinalizers { get; init; }

    /// <summary>How many reconciles run at once across all kinds; one object is never reconciled twice at once.</summary>
    public required int MaxParallelReconciliations { get; init; }

    /// <summary>First delay after a failed reconcile (exception or Failure result); doubles per failure in a row.</summary>
    public required TimeSpan ErrorBackoffBase { get; init; }

    /// <summary>Upper bound of the reconcile retry delay; retries never stop.</summary>
    public required TimeSpan ErrorBackoffMax { get; init; }

    /// <summary>Delay before retrying a write that hit 409 Conflict (the object changed meanwhile).</summary>
    public required TimeSpan ConflictRequeueDelay { get; init; }

    /// <summary>First delay before reconnecting a failed watch; doubles per failure in a row.</summary>
    public required TimeSpan WatchBackoffBase { get; init; }

    public required TimeSpan WatchBackoffMax { get; init; }

    /// <summary>The server-side timeout asked for each watch request; the watch then resumes from the last version.</summary>
    public required TimeSpan WatchTimeout { get; init; }

    /// <summary>Every object of every controller's kind is reconciled again this often.</summary>
    public required TimeSpan ResyncPeriod { get; init; }

    /// <summary>The lease's name.</summary>
    public string LeaseName => $"{Name}-leader";

    internal static string NormaliseName(string name) =>
        Regex.Replace(name, @"\W|_", "-", RegexOptions.None, TimeSpan.FromSeconds(1)).ToLowerInvariant();
}

/// <summary>Whether and how replicas elect a leader.</summary>
public enum LeaderElectionType
{
    /// <summary>Every replica reconciles (run exactly one).</summary>
    None,

    /// <summary>One replica holds a coordination.k8s.io/v1 Lease and reconciles; the others wait.</summary>
    Single,
}
