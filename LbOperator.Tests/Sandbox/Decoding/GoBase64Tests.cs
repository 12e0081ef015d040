using LbOperator.Sandbox.Decoding;

namespace LbOperator.Tests.Sandbox.Decoding;

/// <summary>The cases are Go's own answers (base64.StdEncoding as encoding/json uses it for []byte).</summary>
[Category("Unit")]
public sealed class GoBase64Tests
{
    [TestCase("YQ==", "a")]
    [TestCase("YWJj", "abc")]
    [TestCase("YR==", "a")]
    [TestCase("YQ==\n", "a")]
    [TestCase("Y\r\nQ==", "a")]
    [TestCase("YWI=", "ab")]
    [TestCase("", "")]
    [TestCase("YQ=\n=", "a")]
    public void Accepts_What_Go_Accepts(string text, string expected)
    {
        GoBase64.TryDecode(text, out var bytes, out _).Should().BeTrue();
        System.Text.Encoding.UTF8.GetString(bytes).Should().Be(expected);
    }

    [TestCase("YQ", 0)]
    [TestCase("a b", 1)]
    [TestCase("!!!!", 0)]
    [TestCase("YWJjZA=", 7)]
    [TestCase("YWJjZA", 4)]
    [TestCase("YQ===", 4)]
    [TestCase("YWJj YWJj", 4)]
    [TestCase("Y===", 1)]
    [TestCase("YQ==\nx", 5)]
    public void Refuses_At_The_Byte_Go_Names(string text, int offset)
    {
        GoBase64.TryDecode(text, out _, out var at).Should().BeFalse();
        at.Should().Be(offset);
    }
}
