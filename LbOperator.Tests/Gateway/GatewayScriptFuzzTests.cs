using System.Text.RegularExpressions;
using CsCheck;
using k8s.Models;
using LbOperator.Cli;
using LbOperator.Entities;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Gateway;

/// <summary>
/// Random Services (names, annotations, port names, addresses, source ranges, including shell metacharacters) go
/// through render's whole path. Whatever the input, the result is an error or a script that parses with <c>sh -n</c>
/// and whose every line has a shape the golden scripts already have once addresses and numbers are masked: input text
/// can only reach the script as a validated address or number. Names and port names never change the script.
/// </summary>
[Category("Unit")]
public sealed partial class GatewayScriptFuzzTests
{
    private const string Provider = "lb-svc-attachment.kube-system";
    private const string Evil = "abz09-._:/,;$`'\"\\|&<>(){}*?!#~ \t\n%[]=";

    private static readonly Gen<string> AnyText = Gen.Char[Evil].Array[0, 24].Select(chars => new string(chars));

    private static readonly Gen<string> RandomAddressText =
        Gen.Char["0123456789abcdef.:,/ ;$`"].Array[1, 30].Select(chars => new string(chars));

    // Valid values are weighted up so that a good share of the Services renders; the rest must be refused.
    private static Gen<string> Mostly(params (int Weight, string Value)[] values) =>
        Gen.Frequency([.. values.Select(v => (v.Weight, Gen.Const(v.Value))), (1, AnyText), (1, RandomAddressText)]);

    private static readonly Gen<V1ServicePort> Port =
        Gen.Select(AnyText, Mostly((3, "TCP"), (2, "UDP"), (2, "SCTP"), (1, "")), Gen.Frequency((6, Gen.Int[1, 65535]), (1, Gen.Int[-5, 70000])),
                Gen.OneOf(Gen.Int[0, 70000].Select(p => (IntOrString)p), AnyText.Select(t => (IntOrString)t)))
            .Select((name, protocol, port, target) => new V1ServicePort { Name = name, Protocol = protocol.Length == 0 ? null : protocol, Port = port, TargetPort = target });

    private static readonly Gen<V1Service> Service =
        Gen.Select(
                Gen.Select(AnyText, AnyText, Mostly((8, Provider), (2, ""))),
                Mostly((6, ""), (3, "172.18.0.50,fd00:18::50"), (2, "fd00:18::50")),
                Mostly((8, ""), (2, "172.18.0.50")),
                Port.List[1, 3],
                Mostly((4, "192.168.50.0/24"), (2, "fd00:50::/64"), (1, "10.0.0.7/8")).List[0, 2],
                Mostly((8, "attach-subnet"), (2, "")))
            .Select((names, annotationAddress, specAddress, ports, ranges, logicalSwitch) => new V1Service
            {
                Metadata = new V1ObjectMeta
                {
                    Name = names.Item1,
                    NamespaceProperty = names.Item2,
                    Uid = names.Item1,
                    Annotations = new Dictionary<string, string>
                    {
                        ["ovn.kubernetes.io/attachmentprovider"] = names.Item3,
                        [$"{Provider}.kubernetes.io/ip_address"] = annotationAddress,
                        [$"{Provider}.kubernetes.io/logical_switch"] = logicalSwitch,
                        ["free-form"] = names.Item1 + names.Item2,
                    },
                },
                Spec = new V1ServiceSpec
                {
                    Type = "LoadBalancer",
                    ClusterIP = "10.96.0.20",
                    ClusterIPs = ["10.96.0.20", "fd00:96::20"],
                    LoadBalancerIP = specAddress,
                    Ports = ports,
                    LoadBalancerSourceRanges = ranges,
                },
            });

    [Test]
    public void Input_Text_Reaches_The_Script_Only_As_Validated_Values()
    {
        var knownShapes = GoldenFiles.Scenarios()
            .Select(s => File.ReadAllText(Path.Combine(GoldenFiles.Directory(), s, "script.sh")))
            .Concat(TypedPlanScripts())
            .SelectMany(script => script.Split('\n'))
            .Select(Mask)
            .ToHashSet();
        var rendered = 0;

        Service.Sample(service =>
        {
            var script = TryRender(service);
            if (script is null)
            {
                return;
            }
            rendered++;
            foreach (var line in script.Split('\n').Select(Mask))
            {
                knownShapes.Should().Contain(line, "every line of a rendered script has a shape a golden script has");
            }
            ShellSyntax.Check(script).Should().BeEmpty();
            TryRender(WithoutNames(service)).Should().Be(script, "names, uids and port names do not reach the script");
        }, iter: 300, threads: 1);

        rendered.Should().BeGreaterThan(10, "enough random Services were valid to exercise the renderer");
    }

    /// <summary>Scripts of typed plans with every protocol, both families, with and without source ranges.</summary>
    private static IEnumerable<string> TypedPlanScripts()
    {
        var families = GatewayScenarios.DualStackWithSourceRanges().Families;
        ServicePortRule[] ports = [new(PortProtocol.Tcp, 1), new(PortProtocol.Udp, 2), new(PortProtocol.Sctp, 3)];
        yield return GatewayScript.RenderApply(new GatewayPlan(families, ports, []));
        yield return GatewayScript.RenderApply(new GatewayPlan(families, ports, GatewayScenarios.DualStackWithSourceRanges().SourceRanges));
        // Several ports of each protocol: the multiport form.
        ServicePortRule[] several = [.. ports, new(PortProtocol.Tcp, 4), new(PortProtocol.Udp, 5), new(PortProtocol.Sctp, 6)];
        yield return GatewayScript.RenderApply(new GatewayPlan(families, several, []));
    }

    private static string? TryRender(V1Service service)
    {
        var subnet = new V1Subnet
        {
            Metadata = new V1ObjectMeta { Name = "attach-subnet" },
            Spec = new V1SubnetSpec { Provider = Provider, CidrBlock = "172.18.0.0/16,fd00:18::/64" },
        };
        IReadOnlyList<Manifest> manifests =
        [
            new("fuzz", 1, "kubeovn.io/v1", "Subnet", null, "attach-subnet", subnet, null),
            new("fuzz", 2, "v1", "Service", service.Metadata.NamespaceProperty, service.Metadata.Name, service, null),
        ];
        try
        {
            return RenderCommand.Render(manifests, new GatewaySettings(), scriptOnly: true).Single();
        }
        catch (CliException)
        {
            return null;
        }
    }

    private static V1Service WithoutNames(V1Service service)
    {
        var copy = k8s.KubernetesJson.Deserialize<V1Service>(k8s.KubernetesJson.Serialize(service));
        copy.Metadata.Name = "plain";
        copy.Metadata.NamespaceProperty = "default";
        copy.Metadata.Uid = "uid";
        copy.Metadata.Annotations.Remove("free-form");
        foreach (var port in copy.Spec.Ports)
        {
            port.Name = null;
            port.TargetPort = 1;
        }
        return copy;
    }

    /// <summary>
    /// Masks addresses, CIDRs and numbers, which are the only values the renderer writes into a script, and the
    /// comma-separated lists of them after <c>-s</c> and <c>--dports</c>, whose length is the only thing that varies.
    /// </summary>
    private static string Mask(string line) => List().Replace(Number().Replace(Address().Replace(line, "ADDR"), "N"), "LIST");

    [GeneratedRegex(@"(?<=(-s|--dports) )(ADDR|N)(,(ADDR|N))*(?= )")]
    private static partial Regex List();

    [GeneratedRegex(@"(?<![\w-])[0-9a-f]*[.:][0-9a-f.:]*[0-9a-f](/\d{1,3})?(?![\w-])")]
    private static partial Regex Address();

    [GeneratedRegex(@"(?<![\w-])\d+(?![\w-])")]
    private static partial Regex Number();
}
