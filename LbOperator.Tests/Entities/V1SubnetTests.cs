using System.Globalization;
using System.Text;
using k8s;
using LbOperator.Cli;
using LbOperator.Entities;
using YamlDotNet.RepresentationModel;

namespace LbOperator.Tests.Entities;

[Category("Unit")]
public sealed class V1SubnetTests
{
    /// <summary>A Subnet as Kube-OVN users write it and as Kube-OVN's controller fills in its status.</summary>
    private const string KubeOvnSubnet = """
        apiVersion: kubeovn.io/v1
        kind: Subnet
        metadata:
          name: attach-subnet
        spec:
          protocol: IPv4
          provider: lb-svc-attachment.kube-system
          cidrBlock: 172.18.0.0/16
          gateway: 172.18.0.1
          excludeIps:
          - 172.18.0.0..172.18.0.10
          default: false
          vpc: ovn-cluster
          namespaces:
          - default
          namespaceSelectors:
          - matchLabels:
              team: net
          natOutgoing: true
          natOutgoingPolicyRules:
          - match:
              srcIPs: 172.18.0.0/24
              dstIPs: 10.0.0.0/8
            action: forward
          private: false
          allowSubnets:
          - 10.16.0.0/16
          allowEWTraffic: true
          gatewayType: distributed
          gatewayNode: node1
          disableGatewayCheck: true
          vlan: vlan10
          vips:
          - 172.18.0.100
          enableLb: true
          enableEcmp: false
          enableExternalLBAddress: false
          enableDHCP: true
          dhcpV4Options: lease_time=3600
          enableIPv6RA: false
          acls:
          - direction: to-lport
            priority: 1000
            match: ip4.src==10.0.0.1
            action: drop
          u2oInterconnection: false
          routeTable: main
          mtu: 1400
          policyRoutingTableID: 1000
        status:
          v4availableIPs: 65524
          v4usingIPs: 0
          v4availableIPrange: 172.18.0.11-172.18.255.254
          v4usingIPrange: ""
          v6availableIPs: 0
          v6usingIPs: 0
          v6availableIPrange: ""
          v6usingIPrange: ""
          activateGateway: node1
          conditions:
          - type: Ready
            status: "True"
            reason: SetNonOvnSubnetSuccess
            message: ""
            lastTransitionTime: "2026-01-01T00:00:00Z"
        """;

    [Test]
    public void Kube_Ovn_Manifest_Round_Trips_Through_Yaml_Unchanged()
    {
        var subnet = EntityYaml.Deserialize<V1Subnet>(KubeOvnSubnet);
        Canonical(EntityYaml.Serialize(subnet)).Should().Be(Canonical(KubeOvnSubnet));
    }

    [Test]
    public void Kube_Ovn_Manifest_Round_Trips_Through_Json_Unchanged()
    {
        var subnet = EntityYaml.Deserialize<V1Subnet>(KubeOvnSubnet);
        var json = KubernetesJson.Serialize(subnet);
        var again = KubernetesJson.Deserialize<V1Subnet>(json);
        Canonical(EntityYaml.Serialize(again)).Should().Be(Canonical(KubeOvnSubnet));
        json.Should().Contain("\"v4availableIPs\":65524").And.Contain("\"excludeIps\":[\"172.18.0.0..172.18.0.10\"]");
    }

    [Test]
    public void Large_Ipv6_Counts_Stay_Exact_In_Json()
    {
        var subnet = new V1Subnet { Status = { V6AvailableIPs = 18446744073709551612m } };
        var json = KubernetesJson.Serialize(subnet);
        json.Should().Contain("\"v6availableIPs\":18446744073709551612");
        KubernetesJson.Deserialize<V1Subnet>(json).Status.V6AvailableIPs.Should().Be(18446744073709551612m);
        KubernetesJson.Deserialize<V1Subnet>("""{"status":{"v6availableIPs":1.8446744073709552E+19}}""")
            .Status.V6AvailableIPs.Should().Be(18446744073709552000m, "a count the API server rounded to a float is still read");
    }

    [Test]
    public void New_Subnet_Carries_Its_Group_Version_And_Kind()
    {
        var subnet = new V1Subnet();
        subnet.ApiVersion.Should().Be("kubeovn.io/v1");
        subnet.Kind.Should().Be("Subnet");
    }

    /// <summary>A canonical text of a YAML document: mappings with sorted keys, null values dropped.</summary>
    private static string Canonical(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var text = new StringBuilder();
        Write(stream.Documents[0].RootNode, text);
        return text.ToString();
    }

    private static void Write(YamlNode node, StringBuilder text)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                text.Append('{');
                foreach (var (key, value) in mapping.Children
                             .Where(c => c.Value is not YamlScalarNode { Value: null or "null" })
                             .OrderBy(c => ((YamlScalarNode)c.Key).Value, StringComparer.Ordinal))
                {
                    text.Append(((YamlScalarNode)key).Value).Append(':');
                    Write(value, text);
                    text.Append(',');
                }

                text.Append('}');
                break;
            case YamlSequenceNode sequence:
                text.Append('[');
                foreach (var item in sequence.Children)
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            case YamlScalarNode scalar:
                // Timestamps compare by instant: "2026-01-01T00:00:00Z" and "2026-01-01T00:00:00.0000000Z" are equal.
                var scalarText = scalar.Value is { Length: > 10 } v && v[4] == '-' && v[10] == 'T'
                    ? DateTimeOffset.Parse(v, CultureInfo.InvariantCulture).ToString("O", CultureInfo.InvariantCulture)
                    : scalar.Value;
                text.Append('"').Append(scalarText).Append('"');
                break;
        }
    }
}
