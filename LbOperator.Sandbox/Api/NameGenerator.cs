namespace LbOperator.Sandbox.Api;

/// <summary>The random suffixes of generateName and of controller-made names, from Kubernetes' safe alphabet.</summary>
public sealed class NameGenerator(Random random)
{
    /// <summary>Consonants and digits that cannot spell words, as Kubernetes uses for generated names.</summary>
    public const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly Lock _gate = new();

    public string Suffix(int length = 5)
    {
        lock (_gate)
        {
            return string.Create(length, random, (span, r) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = Alphabet[r.Next(Alphabet.Length)];
                }
            });
        }
    }

    /// <summary><c>prefix</c> plus five random characters, the prefix cut so the name stays within 63 characters.</summary>
    public string FromPrefix(string prefix) => (prefix.Length > 58 ? prefix[..58] : prefix) + Suffix();
}
