namespace LbOperator.Sandbox.Controllers;

/// <summary>
/// Which simulated nodes are down. A down node's kubelet does nothing at all: it stops renewing its Lease, starts
/// and stops no pods and reports nothing, as a crashed machine would; the control plane only notices through the
/// missing heartbeat. Whoever crashes the node's data path (a node simulation) flips it here too.
/// </summary>
public sealed class NodeOutages
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _down = new(StringComparer.Ordinal);

    public bool IsDown(string nodeName)
    {
        lock (_gate)
        {
            return _down.Contains(nodeName);
        }
    }

    /// <summary>Marks the node crashed; true when it was up.</summary>
    public bool Crash(string nodeName)
    {
        lock (_gate)
        {
            return _down.Add(nodeName);
        }
    }

    /// <summary>Marks the node booted again; its kubelet resumes and restarts the pods still bound to it. True when it was down.</summary>
    public bool Recover(string nodeName)
    {
        lock (_gate)
        {
            return _down.Remove(nodeName);
        }
    }
}
