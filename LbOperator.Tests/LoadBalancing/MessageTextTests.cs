using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class MessageTextTests
{
    [Test]
    public void A_Short_Value_Is_Quoted_As_It_Is() =>
        MessageText.Quote("lb-svc-attachment.kube-system").Should().Be("\"lb-svc-attachment.kube-system\"");

    [Test]
    public void A_Long_Value_Shows_Its_Start_And_Its_Length()
    {
        var quoted = MessageText.Quote(new string('x', 40_960));

        quoted.Should().Be($"\"{new string('x', MessageText.MaxQuotedLength)}...\" (40960 characters)");
    }

    [Test]
    public void Line_Breaks_Quotes_And_Control_Characters_Are_Shown_Escaped() =>
        MessageText.Quote("a\nb\"c\u0007").Should().Be("\"a\\nb\\\"c\\u0007\"");

    [Test]
    public void A_Message_Is_Cut_To_Its_Cap_And_Says_How_Much_Is_Missing()
    {
        var capped = MessageText.Cap("Service default/x: " + new string('y', 5000));

        capped.Length.Should().BeLessThanOrEqualTo(MessageText.MaxMessageLength);
        capped.Should().StartWith("Service default/x: yyy").And.EndWith($"... ({19 + 5000 - MessageText.MaxMessageLength} more characters)");
        MessageText.Cap("short").Should().Be("short");
    }

    [Test]
    public void A_40_KB_Annotation_Gives_A_Message_Of_A_Few_Hundred_Characters()
    {
        var service = TestObjects.Service(new Dictionary<string, string> { [Annotations.AttachmentProvider] = new string('A', 40 * 1024) });

        var outcome = ServicePlanner.Plan(service, new PlanningInputs([TestObjects.Subnet()], NetworkAttachmentLookup.NotChecked, _ => null));

        outcome.Problem!.Reason.Should().Be(EventReasons.InvalidAnnotation);
        outcome.Problem.Message.Length.Should().BeLessThan(500);
        outcome.Problem.Message.Should().Contain("(40960 characters)");
    }

    [Test]
    public void A_40_KB_Request_Annotation_Gives_A_Short_Message_Too()
    {
        var huge = string.Join(",", Enumerable.Repeat("172.18.0.18", 4000));
        var service = TestObjects.Service(TestObjects.ProviderAnnotations((Annotations.IpAddress(TestObjects.Provider), huge)));

        var outcome = ServicePlanner.Plan(service, new PlanningInputs([TestObjects.Subnet()], NetworkAttachmentLookup.NotChecked, _ => null));

        outcome.Problem!.Reason.Should().Be(EventReasons.InvalidAddressRequest);
        outcome.Problem.Message.Length.Should().BeLessThan(500);
    }
}
