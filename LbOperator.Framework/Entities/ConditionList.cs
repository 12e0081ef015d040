using k8s.Models;

namespace LbOperator.Framework.Entities;

/// <summary>Sets status conditions the Kubernetes way: one per type, lastTransitionTime moves only when the status flips.</summary>
public static class ConditionList
{
    /// <summary>Sets condition <paramref name="type"/> in <paramref name="conditions"/>; true when anything changed.</summary>
    public static bool Set(
        IList<V1Condition> conditions, string type, bool status, string reason, string message, long? observedGeneration, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var statusText = status ? "True" : "False";
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = statusText,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = now,
            });
            return true;
        }

        if (existing.Status == statusText && existing.Reason == reason && existing.Message == message
            && existing.ObservedGeneration == observedGeneration)
        {
            return false;
        }

        if (existing.Status != statusText)
        {
            existing.LastTransitionTime = now;
        }

        existing.Status = statusText;
        existing.Reason = reason;
        existing.Message = message;
        existing.ObservedGeneration = observedGeneration;
        return true;
    }

    /// <summary>Removes condition <paramref name="type"/>; true when it was there.</summary>
    public static bool Remove(IList<V1Condition>? conditions, string type)
    {
        if (conditions?.FirstOrDefault(c => c.Type == type) is not { } existing)
        {
            return false;
        }

        conditions.Remove(existing);
        return true;
    }

    public static V1Condition? Find(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) => Find(conditions, type)?.Status == "True";
}
