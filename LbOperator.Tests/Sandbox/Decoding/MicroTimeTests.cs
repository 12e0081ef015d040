using LbOperator.Sandbox.Decoding;

namespace LbOperator.Tests.Sandbox.Decoding;

/// <summary>The cases are Go's own answers (time.Parse with metav1.RFC3339Micro, as MicroTime.UnmarshalJSON calls it).</summary>
[Category("Unit")]
public sealed class MicroTimeTests
{
    [TestCase("2024-01-01T00:00:00.123456Z", "2024-01-01T00:00:00.123456Z")]
    [TestCase("2024-01-01T00:00:00.123456+02:00", "2023-12-31T22:00:00.123456Z")]
    [TestCase("2024-01-01T00:00:00,123456Z", "2024-01-01T00:00:00.123456Z")]
    [TestCase("2024-02-29T23:59:59.000001-01:30", "2024-03-01T01:29:59.000001Z")]
    [TestCase("2024-01-01T1:00:00.000000Z", "2024-01-01T01:00:00.000000Z")]
    [TestCase("2024-01-01T00:00:00.+12345Z", "2024-01-01T00:00:00.012345Z")]
    public void Accepts_Six_Digits_And_A_Zone_And_Answers_In_Utc(string text, string expected)
    {
        MicroTime.TryParse(text, out var normalized, out var error).Should().BeTrue(error);
        normalized.Should().Be(expected);
    }

    [TestCase("2024-01-01T00:00:00Z", "cannot parse \"Z\" as \".000000\"")]
    [TestCase("2024-01-01T00:00:00.123Z", "cannot parse \".123Z\" as \".000000\"")]
    [TestCase("2024-01-01T00:00:00.1234567Z", "cannot parse \"7Z\" as \"Z07:00\"")]
    [TestCase("2024-01-01T00:00:00.123456", "cannot parse \"\" as \"Z07:00\"")]
    [TestCase("2024-01-01T00:00:00", "cannot parse \"\" as \".000000\"")]
    [TestCase("2024-01-01T00:00:00+02:00", "cannot parse \"+02:00\" as \".000000\"")]
    [TestCase("2024-01-01 00:00:00.123456Z", "cannot parse \" 00:00:00.123456Z\" as \"T\"")]
    [TestCase("garbage", "cannot parse \"garbage\" as \"2006\"")]
    [TestCase("2024-01-01T00:00:00.123456z", "cannot parse \"z\" as \"Z07:00\"")]
    [TestCase("2024-01-01T00:00:00.123456+0200", "cannot parse \"+0200\" as \"Z07:00\"")]
    public void Refuses_What_Go_Refuses_In_Gos_Words(string text, string why)
    {
        MicroTime.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be($"parsing time \"{text}\" as \"2006-01-02T15:04:05.000000Z07:00\": {why}");
    }

    [TestCase("2024-13-01T00:00:00.000000Z", "month out of range")]
    [TestCase("2023-02-29T00:00:00.000000Z", "day out of range")]
    [TestCase("2024-01-01T24:00:00.000000Z", "hour out of range")]
    [TestCase("2024-01-01T00:00:00.-12345Z", "fractional second out of range")]
    public void Refuses_Values_Out_Of_Range(string text, string why)
    {
        MicroTime.TryParse(text, out _, out var error).Should().BeFalse();
        error.Should().Be($"parsing time \"{text}\": {why}");
    }

    [Test]
    public void Refuses_Extra_Text()
    {
        MicroTime.TryParse("2024-01-01T00:00:00.000000Zjunk", out _, out var error).Should().BeFalse();
        error.Should().Be("parsing time \"2024-01-01T00:00:00.000000Zjunk\": extra text: \"junk\"");
    }
}
