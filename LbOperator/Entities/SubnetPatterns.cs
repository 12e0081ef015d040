namespace LbOperator.Entities;

/// <summary>
/// The regular expressions the Subnet CRD checks at <c>kubectl apply</c>. They catch malformed text (a missing
/// prefix, a stray word, a wrong separator) and are deliberately looser than the parser behind them: they must
/// never refuse a manifest Kube-OVN accepts, so IPv6 in all its written forms (compressed, embedded IPv4), dual
/// stack "v4,v6" and ranges "a..b" pass, and the exact checks (address in range, prefix length) stay in the
/// operator, which reports them in the Subnet's conditions. Upper-case hex is refused, as Kube-OVN's webhook
/// refuses it in cidrBlock, gateway and excludeIps. The syntax is the subset RE2 and .NET share.
/// </summary>
public static class SubnetPatterns
{
    private const string V4 = @"[0-9]{1,3}(\.[0-9]{1,3}){3}";

    // Up to nine colon-separated groups ("1:2:3:4:5:6:7::" is valid), optionally ending in dotted IPv4; lower case only.
    private const string V6 = @"[0-9a-f]{0,4}(:[0-9a-f]{0,4}){1,8}(\.[0-9]{1,3}){0,3}";

    private const string Address = $"({V4}|{V6})";
    private const string Cidr = $"{Address}/[0-9]{{1,3}}";

    /// <summary>One CIDR, or an IPv4 and an IPv6 CIDR separated by a comma.</summary>
    public const string CidrBlock = $"^{Cidr}(,{Cidr})?$";

    /// <summary>Empty (the first usable address is the default), one address, or one per family.</summary>
    public const string Gateway = $"^({Address}(,{Address})?)?$";

    /// <summary>An address or an inclusive range "start..end".</summary>
    public const string ExcludeIp = $"^{Address}(\\.\\.{Address})?$";
}
