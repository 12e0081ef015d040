namespace LbOperator.Framework.Reconciliation;

/// <summary>Who asked for a reconcile: the API server (a watch event) or the operator (requeue, resync, retry).</summary>
public enum ReconciliationTriggerSource
{
    ApiServer,
    Operator,
}
