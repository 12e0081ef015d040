namespace LbOperator.Tests.Testing;

/// <summary>
/// The one rule for tests that need something of the machine (root, iptables, kubectl): under CI (CI=true) a
/// missing requirement fails the test, so CI never passes by skipping; elsewhere the test is ignored with the reason.
/// </summary>
internal static class MachineRequirement
{
    public static void Unmet(string reason)
    {
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(reason);
        }

        Assert.Ignore(reason);
    }
}
