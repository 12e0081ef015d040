namespace LbOperator.Ipam;

/// <summary>
/// Who holds addresses: a Service. The key is <c>namespace/name</c>; <paramref name="Uid"/> tells a re-created
/// Service of the same name from the one that held the address before.
/// </summary>
public sealed record IpamOwner(string Namespace, string Name, string Uid)
{
    public string Key => $"{Namespace}/{Name}";

    public override string ToString() => Key;

    internal OwnerKey ToKey() => new(Namespace, Name);
}

/// <summary>Dictionary key of an owner without building a string per lookup.</summary>
internal readonly record struct OwnerKey(string Namespace, string Name);
