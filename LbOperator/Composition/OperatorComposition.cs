using LbOperator.Framework.Builder;

namespace LbOperator.Composition;

/// <summary>
/// What LbOperator watches and reconciles: the one place where its controllers, finalizers, relations and startup
/// tasks are registered. `run` and the sandbox's in-process operator both start from here (through
/// <see cref="LbOperatorHost"/>).
/// </summary>
public static class OperatorComposition
{
    public const string OperatorName = "lb-operator";

    public static IOperatorBuilder AddLbOperator(this IOperatorBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder;
    }
}
