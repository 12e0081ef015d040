using LbOperator.Sandbox.Api;

namespace LbOperator.Sandbox.Validation;

/// <summary>
/// What field validation found in a request body. <see cref="Malformed"/> values (a string where a number belongs)
/// always fail the request; <see cref="UnknownOrDuplicate"/> fields fail it, warn or are ignored depending on the
/// <see cref="FieldValidationMode"/>.
/// </summary>
public sealed record FieldProblems(IReadOnlyList<string> Malformed, IReadOnlyList<string> UnknownOrDuplicate)
{
    public static readonly FieldProblems None = new([], []);

    public bool IsEmpty => Malformed.Count == 0 && UnknownOrDuplicate.Count == 0;

    /// <summary>The error a Strict request gets, worded like kube-apiserver's, or null when it passes.</summary>
    public string? StrictError(FieldValidationMode mode) =>
        mode == FieldValidationMode.Strict && UnknownOrDuplicate.Count > 0
            ? "strict decoding error: " + string.Join(", ", UnknownOrDuplicate)
            : null;

    /// <summary>The <c>Warning</c> header values a Warn request gets.</summary>
    public IEnumerable<string> Warnings(FieldValidationMode mode) =>
        mode == FieldValidationMode.Warn ? UnknownOrDuplicate : [];
}
