namespace LbOperator.Sandbox.Host;

/// <summary>An error a user caused: printed as one line on stderr, exit code non-zero, no stack trace.</summary>
public sealed class SandboxUsageException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
