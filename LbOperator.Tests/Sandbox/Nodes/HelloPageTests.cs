using LbOperator.Sandbox.Nodes;

namespace LbOperator.Tests.Sandbox.Nodes;

[Category("Unit")]
public sealed class HelloPageTests
{
    [Test]
    public void Names_The_Pod_And_The_Request_Like_The_Seed_Page()
    {
        var page = HelloPage.Render("dynamic-7d8d7874f5-hsgc4", "/");
        page.Should().Contain("<title>Hello World!</title>").And.Contain("<h1>Hello World!</h1>")
            .And.Contain("I am on  dynamic-7d8d7874f5-hsgc4").And.Contain("RequestURI='/'");
    }

    [Test]
    public void Encodes_What_The_Client_Sent() =>
        HelloPage.Render("p", "/<script>").Should().Contain("RequestURI='/&lt;script&gt;'").And.NotContain("<script>");
}
