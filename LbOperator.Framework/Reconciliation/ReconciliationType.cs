namespace LbOperator.Framework.Reconciliation;

/// <summary>What happened to the object that led to a reconcile.</summary>
public enum ReconciliationType
{
    Added,
    Modified,
    Deleted,
}
