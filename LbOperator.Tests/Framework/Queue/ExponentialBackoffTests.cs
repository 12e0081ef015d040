using LbOperator.Framework.Queue;

namespace LbOperator.Tests.Framework.Queue;

[Category("Unit")]
public sealed class ExponentialBackoffTests
{
    private static readonly ExponentialBackoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), JitterFraction: 0.2);

    [TestCase(1, 1)]
    [TestCase(2, 2)]
    [TestCase(3, 4)]
    [TestCase(5, 16)]
    [TestCase(6, 30)]
    [TestCase(1000, 30)]
    public void Doubles_Per_Attempt_Up_To_The_Cap(int attempt, double seconds) =>
        Backoff.DelayFor(attempt, random: 0).Should().Be(TimeSpan.FromSeconds(seconds));

    [Test]
    public void Jitter_Only_Shortens_The_Delay_By_At_Most_Its_Fraction()
    {
        Backoff.DelayFor(3, random: 0.999).Should().BeCloseTo(TimeSpan.FromSeconds(4 * 0.8), TimeSpan.FromMilliseconds(5));
        Backoff.DelayFor(100, random: 0.5).Should().Be(TimeSpan.FromSeconds(27));
    }

    [Test]
    public void Rejects_Attempt_Zero()
    {
        var act = () => Backoff.DelayFor(0, 0);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
