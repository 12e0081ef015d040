namespace LbOperator.Gateway;

/// <summary>One gateway's claim to a router id, as its Deployment shows it: whose gateway, since when.</summary>
public sealed record RouterIdClaim(string ServiceUid, VrrpRouterId RouterId, DateTimeOffset Since);

/// <summary>
/// Chooses the router id of a highly available gateway among the <paramref name="allowed"/> ones (the operator's
/// <c>--gateway-vrrp-router-ids</c>: the physical network's own VRRP routers keep theirs). Pure: given the ids chosen
/// already and the claims the live gateways make, a Service keeps the id its gateway has unless an older gateway claims
/// it too (after a restart, or a Deployment edited by hand) or it is no longer allowed, and otherwise takes the lowest
/// free id.
/// </summary>
public static class VrrpRouterIds
{
    /// <summary>Every id, 1 to 255.</summary>
    public static IReadOnlyList<VrrpRouterId> All { get; } = [.. Enumerable.Range(VrrpRouterId.Min, VrrpRouterId.Max).Select(v => new VrrpRouterId(v))];

    /// <summary>The id for <paramref name="serviceUid"/>, or null when every allowed one is in use.</summary>
    public static VrrpRouterId? Choose(
        string serviceUid, IReadOnlyCollection<VrrpRouterId> chosenByOthers, IReadOnlyList<RouterIdClaim> claims, IReadOnlyList<VrrpRouterId> allowed)
    {
        ArgumentNullException.ThrowIfNull(chosenByOthers);
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(allowed);
        var own = claims.Where(c => c.ServiceUid == serviceUid).OrderBy(c => c.Since).FirstOrDefault();
        var others = claims.Where(c => c.ServiceUid != serviceUid).ToList();
        if (own is not null && allowed.Contains(own.RouterId) && !chosenByOthers.Contains(own.RouterId)
            && !others.Any(c => c.RouterId == own.RouterId && (c.Since, c.ServiceUid).CompareTo((own.Since, serviceUid)) < 0))
        {
            return own.RouterId;
        }

        var taken = chosenByOthers.Concat(others.Select(c => c.RouterId)).ToHashSet();
        return allowed.Order().Cast<VrrpRouterId?>().FirstOrDefault(id => !taken.Contains(id!.Value));
    }

    /// <summary>
    /// Reads a list of ids and ranges, <c>1-255</c> or <c>100-199,250</c>; null with <paramref name="error"/> for
    /// anything else (an id outside 1 to 255, a range backwards, an empty list).
    /// </summary>
    public static IReadOnlyList<VrrpRouterId>? Parse(string? text, out string? error)
    {
        error = null;
        var ids = new SortedSet<VrrpRouterId>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            var low = VrrpRouterId.Parse(bounds[0]);
            var high = bounds.Length == 2 ? VrrpRouterId.Parse(bounds[1]) : low;
            if (bounds.Length > 2 || low is null || high is null || high.Value.Value < low.Value.Value)
            {
                error = $"\"{part}\" is not a router id (1 to 255) or a range of them (low-high)";
                return null;
            }
            for (var value = low.Value.Value; value <= high.Value.Value; value++)
            {
                ids.Add(new VrrpRouterId(value));
            }
        }
        return [.. ids];
    }
}
