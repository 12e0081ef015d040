using LbOperator.Tests.Testing;
namespace LbOperator.Tests.Gateway.DataPath;

/// <summary>
/// Data-path tests need root, iproute2, iptables/ip6tables and python3 (the test listener and client). Under CI=true a
/// missing requirement fails the test; elsewhere the test is ignored with the reason.
/// </summary>
internal static class DataPathRequirements
{
    public static void Require(params string[] extraPrograms)
    {
        string[] programs = ["ip", "iptables-restore", "ip6tables-restore", "python3", .. extraPrograms];
        var missing = programs.Where(p => !CommandRunner.IsInstalled(p)).ToList();
        string? reason = null;
        if (!IsRoot())
        {
            reason = "needs root: the test creates network namespaces and iptables rules";
        }
        else if (missing.Count > 0)
        {
            reason = $"needs {string.Join(", ", missing)} (make deps installs them)";
        }
        if (reason is null)
        {
            return;
        }
        MachineRequirement.Unmet(reason);
    }

    private static bool IsRoot() => CommandRunner.Run(["id", "-u"]).StandardOutput.Trim() == "0";
}
