namespace LbOperator.Cli;

/// <summary>
/// Checks one kind of object for <c>LbOperator validate</c>. Each validator returns the lines to print for the
/// object: <c>&lt;kind&gt; &lt;name&gt;: ok, …</c>, or one line per problem.
/// </summary>
public interface IManifestValidator
{
    bool CanValidate(Manifest manifest);

    /// <summary>Checks <paramref name="manifest"/>; <paramref name="all"/> holds every object read, for cross-object checks.</summary>
    ManifestVerdict Validate(Manifest manifest, IReadOnlyList<Manifest> all);
}

/// <summary>The lines printed for one object, and whether it is valid.</summary>
public sealed record ManifestVerdict(bool IsValid, IReadOnlyList<string> Lines)
{
    public static ManifestVerdict Ok(string line) => new(true, [line]);

    public static ManifestVerdict Invalid(IReadOnlyList<string> lines) => new(false, lines);
}
