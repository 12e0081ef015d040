namespace LbOperator.Framework.Builder;

/// <summary>Mutable settings with defaults, turned into <see cref="OperatorSettings"/> by <see cref="Build"/>.</summary>
public sealed class OperatorSettingsBuilder
{
    public string Name { get; set; } = "kubernetesoperator";

    public string? Namespace { get; set; }

    public LeaderElectionType LeaderElectionType { get; set; } = LeaderElectionType.Single;

    public TimeSpan LeaderElectionLeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan LeaderElectionRenewDeadline { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan LeaderElectionRetryPeriod { get; set; } = TimeSpan.FromSeconds(2);

    public string? LeaderElectionNamespace { get; set; }

    public string LeaderElectionIdentity { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    public bool AutoAttachFinalizers { get; set; } = true;

    public bool AutoDetachFinalizers { get; set; } = true;

    public int MaxParallelReconciliations { get; set; } = Environment.ProcessorCount * 2;

    public TimeSpan ErrorBackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ErrorBackoffMax { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ConflictRequeueDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan WatchBackoffBase { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan WatchBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    public OperatorSettings Build()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelReconciliations, 1);
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        if (LeaderElectionRenewDeadline >= LeaderElectionLeaseDuration)
        {
            throw new ArgumentException(
                $"The leader election renew deadline ({LeaderElectionRenewDeadline}) must be shorter than the lease duration ({LeaderElectionLeaseDuration}).");
        }

        return new OperatorSettings
        {
            Name = OperatorSettings.NormaliseName(Name),
            Namespace = string.IsNullOrEmpty(Namespace) ? null : Namespace,
            LeaderElectionType = LeaderElectionType,
            LeaderElectionLeaseDuration = LeaderElectionLeaseDuration,
            LeaderElectionRenewDeadline = LeaderElectionRenewDeadline,
            LeaderElectionRetryPeriod = LeaderElectionRetryPeriod,
            LeaderElectionNamespace = LeaderElectionNamespace,
            LeaderElectionIdentity = LeaderElectionIdentity,
            AutoAttachFinalizers = AutoAttachFinalizers,
            AutoDetachFinalizers = AutoDetachFinalizers,
            MaxParallelReconciliations = MaxParallelReconciliations,
            ErrorBackoffBase = ErrorBackoffBase,
            ErrorBackoffMax = ErrorBackoffMax,
            ConflictRequeueDelay = ConflictRequeueDelay,
            WatchBackoffBase = WatchBackoffBase,
            WatchBackoffMax = WatchBackoffMax,
            WatchTimeout = WatchTimeout,
            ResyncPeriod = ResyncPeriod,
        };
    }
}

/// <summary>Fluent setters in KubeOps' <c>With*</c> style.</summary>
public static class OperatorSettingsBuilderExtensions
{
    public static OperatorSettingsBuilder WithName(this OperatorSettingsBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Name = name;
        return builder;
    }

    public static OperatorSettingsBuilder WithNamespace(this OperatorSettingsBuilder builder, string? @namespace)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Namespace = @namespace;
        return builder;
    }

    public static OperatorSettingsBuilder WithLeaderElection(this OperatorSettingsBuilder builder, LeaderElectionType type)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.LeaderElectionType = type;
        return builder;
    }

    public static OperatorSettingsBuilder WithLeaderElectionTimings(
        this OperatorSettingsBuilder builder, TimeSpan leaseDuration, TimeSpan renewDeadline, TimeSpan retryPeriod)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.LeaderElectionLeaseDuration = leaseDuration;
        builder.LeaderElectionRenewDeadline = renewDeadline;
        builder.LeaderElectionRetryPeriod = retryPeriod;
        return builder;
    }

    public static OperatorSettingsBuilder WithMaxParallelReconciliations(this OperatorSettingsBuilder builder, int max)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.MaxParallelReconciliations = max;
        return builder;
    }

    public static OperatorSettingsBuilder WithErrorBackoff(this OperatorSettingsBuilder builder, TimeSpan initial, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ErrorBackoffBase = initial;
        builder.ErrorBackoffMax = max;
        return builder;
    }

    public static OperatorSettingsBuilder WithWatchBackoff(this OperatorSettingsBuilder builder, TimeSpan initial, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WatchBackoffBase = initial;
        builder.WatchBackoffMax = max;
        return builder;
    }

    public static OperatorSettingsBuilder WithResyncPeriod(this OperatorSettingsBuilder builder, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ResyncPeriod = period;
        return builder;
    }
}
