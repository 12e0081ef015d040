namespace LbOperator.Ipam;

/// <summary>
/// One reason a Subnet is invalid: the object, the field (e.g. <c>spec.excludeIps[1]</c>), the value as written
/// and what is wrong with it and what would be accepted.
/// </summary>
public sealed record SubnetValidationError(string Subnet, string Field, string Value, string Message)
{
    public override string ToString() => $"subnet {Subnet}: {Field} \"{Value}\" {Message}";
}
