using LbOperator.Cli;

namespace LbOperator.Tests.Cli;

[Category("Unit")]
public sealed class CliTests
{
    [Test]
    public async Task Help_Lists_The_Commands()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LbOperatorCli.InvokeAsync(["--help"], stdout, stderr, CancellationToken.None);
        code.Should().Be(0);
        stdout.ToString().Should().Contain("version").And.Contain("LoadBalancer");
    }

    [Test]
    public async Task Unknown_Command_Fails_With_A_Message()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LbOperatorCli.InvokeAsync(["no-such-command"], stdout, stderr, CancellationToken.None);
        code.Should().NotBe(0);
        stderr.ToString().Should().Contain("no-such-command");
    }
}
