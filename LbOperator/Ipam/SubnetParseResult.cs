using System.Diagnostics.CodeAnalysis;

namespace LbOperator.Ipam;

/// <summary>The outcome of <see cref="SubnetParser.Parse"/>: a definition, or every validation error found.</summary>
public sealed record SubnetParseResult
{
    private SubnetParseResult(SubnetDefinition? definition, IReadOnlyList<SubnetValidationError> errors)
    {
        Definition = definition;
        Errors = errors;
    }

    public SubnetDefinition? Definition { get; }

    public IReadOnlyList<SubnetValidationError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Definition))]
    public bool IsValid => Definition is not null;

    public static SubnetParseResult Valid(SubnetDefinition definition) => new(definition, []);

    public static SubnetParseResult Invalid(IReadOnlyList<SubnetValidationError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("an invalid result needs an error", nameof(errors)) : new(null, errors);
}
