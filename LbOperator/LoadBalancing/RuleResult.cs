using System.Diagnostics.CodeAnalysis;

namespace LbOperator.LoadBalancing;

/// <summary>
/// The outcome of a Service rule: a value, or an error message written for the user (it names the Service, the field
/// or annotation, the value and what is accepted). Expected failures are values, not exceptions.
/// </summary>
[SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Success/Failure factories read best on the result type itself, as KubeOps' ReconciliationResult does.")]
public sealed record RuleResult<T>
    where T : notnull
{
    private RuleResult(T? value, string? error, string? reason)
    {
        Value = value;
        Error = error;
        Reason = reason;
    }

    public T? Value { get; }

    public string? Error { get; }

    /// <summary>The Event reason of a failure when the rule knows a more precise one than its step's (e.g. <see cref="EventReasons.UnsupportedProtocol"/>).</summary>
    public string? Reason { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static RuleResult<T> Success(T value) => new(value, null, null);

    public static RuleResult<T> Failure(string error, string? reason = null) => new(default, error, reason);

    /// <summary>The value, or an <see cref="InvalidOperationException"/> carrying the error.</summary>
    public T GetValueOrThrow() => IsSuccess ? Value : throw new InvalidOperationException(Error);
}
