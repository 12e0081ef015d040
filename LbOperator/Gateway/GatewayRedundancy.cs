namespace LbOperator.Gateway;

/// <summary>
/// How many pods a gateway runs and, with more than one, how they agree on which holds the address: VRRP (keepalived,
/// version 3) on net1 under <paramref name="RouterId"/>, advertising every <paramref name="AdvertisementInterval"/>.
/// A standby takes the address over after three advertisements missed (plus a skew under one interval), or at once
/// when the holder says it is leaving (priority 0 on SIGTERM).
/// </summary>
public sealed record GatewayRedundancy(int Replicas, VrrpRouterId? RouterId, TimeSpan AdvertisementInterval)
{
    /// <summary>One pod that holds the address itself: no VRRP.</summary>
    public static GatewayRedundancy OnePod { get; } = new(1, null, TimeSpan.Zero);

    public bool IsHighlyAvailable => Replicas > 1;

    /// <summary>A highly available gateway of <paramref name="replicas"/> pods.</summary>
    public static GatewayRedundancy Vrrp(int replicas, VrrpRouterId routerId, TimeSpan advertisementInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 2);
        // VRRP version 3 counts in centiseconds: 10 ms to 40.95 s.
        if (advertisementInterval < TimeSpan.FromMilliseconds(10) || advertisementInterval > TimeSpan.FromMilliseconds(40950)
            || advertisementInterval.Ticks % TimeSpan.FromMilliseconds(10).Ticks != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(advertisementInterval), advertisementInterval,
                "the VRRP advertisement interval is a whole number of centiseconds from 10 ms to 40.95 s");
        }

        return new GatewayRedundancy(replicas, routerId, advertisementInterval);
    }
}
