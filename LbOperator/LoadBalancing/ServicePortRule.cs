namespace LbOperator.LoadBalancing;

/// <summary>The transport protocols a Service port may use; all three are forwarded by the gateway.</summary>
public enum PortProtocol
{
    Tcp,
    Udp,
    Sctp,
}

/// <summary>
/// One forwarded Service port: <c>LB-IP:Port/Protocol</c> is DNATed to <c>ClusterIP:Port</c>. The Service port, not
/// the targetPort, is the destination because the ClusterIP listens on the Service port.
/// </summary>
public sealed record ServicePortRule
{
    public ServicePortRule(PortProtocol protocol, int port)
    {
        if (!Enum.IsDefined(protocol))
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "protocol must be TCP, UDP or SCTP");
        }
        if (port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "port must be between 1 and 65535");
        }
        Protocol = protocol;
        Port = port;
    }

    public PortProtocol Protocol { get; }

    public int Port { get; }

    /// <summary>The protocol as iptables spells it.</summary>
    public string IptablesProtocol => Protocol switch
    {
        PortProtocol.Tcp => "tcp",
        PortProtocol.Udp => "udp",
        _ => "sctp",
    };

    public override string ToString() => $"{Port}/{Protocol.ToString().ToUpperInvariant()}";
}
