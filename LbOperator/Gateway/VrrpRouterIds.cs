namespace LbOperator.Gateway;

/// <summary>One gateway's claim to a router id, as its Deployment shows it: whose gateway, since when.</summary>
public sealed record RouterIdClaim(string ServiceUid, VrrpRouterId RouterId, DateTimeOffset Since);

/// <summary>
/// Chooses the router id of a highly available gateway. Pure: given the ids chosen already and the claims the live
/// gateways make, a Service keeps the id its gateway has unless an older gateway claims it too (after a restart, or a
/// Deployment edited by hand), and otherwise takes the lowest free id.
/// </summary>
public static class VrrpRouterIds
{
    /// <summary>The id for <paramref name="serviceUid"/>, or null when all 255 are in use.</summary>
    public static VrrpRouterId? Choose(string serviceUid, IReadOnlyCollection<VrrpRouterId> chosenByOthers, IReadOnlyList<RouterIdClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(chosenByOthers);
        ArgumentNullException.ThrowIfNull(claims);
        var own = claims.Where(c => c.ServiceUid == serviceUid).OrderBy(c => c.Since).FirstOrDefault();
        var others = claims.Where(c => c.ServiceUid != serviceUid).ToList();
        if (own is not null && !chosenByOthers.Contains(own.RouterId)
            && !others.Any(c => c.RouterId == own.RouterId && (c.Since, c.ServiceUid).CompareTo((own.Since, serviceUid)) < 0))
        {
            return own.RouterId;
        }

        var taken = chosenByOthers.Select(id => id.Value).Concat(others.Select(c => c.RouterId.Value)).ToHashSet();
        for (var value = VrrpRouterId.Min; value <= VrrpRouterId.Max; value++)
        {
            if (!taken.Contains(value))
            {
                return new VrrpRouterId(value);
            }
        }

        return null;
    }
}
