namespace LbOperator.Framework.Queue;

/// <summary>
/// Capped exponential backoff with downward jitter: attempt n (from 1) waits <c>min(Max, Base·2^(n-1))</c>, reduced by
/// up to <see cref="JitterFraction"/> of itself so that many failing objects or replicas do not retry in step.
/// </summary>
public sealed record ExponentialBackoff(TimeSpan Base, TimeSpan Max, double JitterFraction = 0.2)
{
    /// <summary>The delay before attempt <paramref name="attempt"/>; <paramref name="random"/> in [0, 1) picks the jitter.</summary>
    public TimeSpan DelayFor(int attempt, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 40);
        var raw = Base.TotalMilliseconds * Math.Pow(2, exponent);
        var capped = Math.Min(raw, Max.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (JitterFraction * Math.Clamp(random, 0, 1))));
    }
}
