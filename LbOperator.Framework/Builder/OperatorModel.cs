namespace LbOperator.Framework.Builder;

/// <summary>What has been registered, so each kind gets one watcher, one pipeline and each relation once.</summary>
internal sealed class OperatorModel
{
    private readonly HashSet<Type> _watched = [];
    private readonly HashSet<Type> _controlled = [];
    private readonly HashSet<(Type, string)> _finalizers = [];
    private readonly HashSet<(Type, Type, string)> _relations = [];
    private readonly HashSet<Type> _optional = [];

    public IReadOnlyCollection<Type> WatchedKinds => _watched;

    public bool AddWatchedKind(Type kind) => _watched.Add(kind);

    /// <summary>A kind the cluster may not serve (<see cref="IOperatorBuilder.AddOptionalWatch{TEntity}"/>).</summary>
    public bool AddOptionalKind(Type kind) => _optional.Add(kind);

    public bool IsOptional(Type kind) => _optional.Contains(kind);

    public bool AddControlledKind(Type kind) => _controlled.Add(kind);

    public bool AddFinalizer(Type kind, string identifier) => _finalizers.Add((kind, identifier));

    public bool AddRelation(Type owner, Type related, string how) => _relations.Add((owner, related, how));
}
