using LbOperator.Framework.Events;

namespace LbOperator.Tests.Framework.Events;

[Category("Unit")]
public sealed class EventCorrelationTests
{
    private static readonly EventCorrelation.Key Ready = new("uid-1", "GatewayReady", "ready", EventType.Normal);

    [Test]
    public void A_Repeat_Counts_On_The_Event_Written_Before()
    {
        var seen = new EventCorrelation();
        seen.Repeat(Ready).Should().BeNull("nothing was written yet");

        seen.Created(Ready, "web.1");

        seen.Repeat(Ready).Should().Be(new EventCorrelation.Repeated("web.1", 2));
        seen.Repeat(Ready).Should().Be(new EventCorrelation.Repeated("web.1", 3));
        seen.Repeat(Ready with { Message = "other" }).Should().BeNull("another message is another Event");
        seen.Repeat(Ready with { Object = "uid-2" }).Should().BeNull("another object is another Event");
    }

    [Test]
    public void Forgets_The_Least_Recently_Used_Beyond_Its_Capacity()
    {
        var seen = new EventCorrelation(capacity: 2);
        seen.Created(Ready with { Message = "a" }, "e.a");
        seen.Created(Ready with { Message = "b" }, "e.b");
        seen.Repeat(Ready with { Message = "a" });

        seen.Created(Ready with { Message = "c" }, "e.c");

        seen.Repeat(Ready with { Message = "b" }).Should().BeNull();
        seen.Repeat(Ready with { Message = "a" })!.Name.Should().Be("e.a");
        seen.Repeat(Ready with { Message = "c" })!.Name.Should().Be("e.c");
    }

    [Test]
    public void Stamps_Are_Unique_And_Increasing_Within_One_Instant()
    {
        var seen = new EventCorrelation();
        var stamps = Enumerable.Range(0, 5).Select(_ => seen.UniqueStamp(1_000)).ToList();

        stamps.Should().Equal(1_000, 1_001, 1_002, 1_003, 1_004);
        seen.UniqueStamp(5_000).Should().Be(5_000);
    }
}
