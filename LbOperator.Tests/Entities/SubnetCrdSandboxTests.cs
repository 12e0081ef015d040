using System.Text.Json.Nodes;
using LbOperator.Sandbox;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;
using YamlDotNet.RepresentationModel;

namespace LbOperator.Tests.Entities;

/// <summary>
/// The committed Subnet CRD against the sandbox API server, driven by the real kubectl as a user would:
/// <c>kubectl apply -k config/crd</c>, then Subnet manifests, then <c>kubectl get subnets</c>.
/// </summary>
[Category("Kubectl")]
public sealed class SubnetCrdSandboxTests
{
    private static readonly string SeedSubnet = Path.Combine(RepositoryRoot.Path, "examples", "subnet.yaml");
    private static readonly string KubeOvnSubnet = Path.Combine(RepositoryRoot.Path, "LbOperator.Tests", "Entities", "Fixtures", "kube-ovn-subnet.yaml");

    private RunningSandbox sandbox = null!;
    private string folder = string.Empty;
    private KubectlRunner kubectl = null!;

    [OneTimeSetUp]
    public async Task StartSandboxAndInstallCrds()
    {
        KubectlRunner.RequireKubectl();
        folder = Directory.CreateTempSubdirectory("lbop-crd-").FullName;
        sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var kubeconfig = Path.Combine(folder, "kubeconfig");
        sandbox.WriteKubeconfig(kubeconfig);
        kubectl = new KubectlRunner(kubeconfig, Path.Combine(folder, "cache"));

        // What `make install` runs.
        await kubectl.RunOkAsync("apply", "-k", Path.Combine(RepositoryRoot.Path, "config", "crd"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (sandbox.Registry.Find("kubeovn.io", "v1", "subnets") is null)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "subnets.kubeovn.io was not served 10 s after kubectl apply");
            await Task.Delay(20);
        }
    }

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        if (sandbox is not null)
        {
            await sandbox.DisposeAsync();
        }

        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task The_Generated_Crd_Is_Accepted_As_Generated()
    {
        var crd = JsonNode.Parse(await kubectl.RunOkAsync("get", "crd", "subnets.kubeovn.io", "-o", "json"))!;
        crd["spec"]!["scope"]!.GetValue<string>().Should().Be("Cluster");
        crd["spec"]!["names"]!["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal("subnet");
        var version = crd["spec"]!["versions"]!.AsArray().Should().ContainSingle().Subject!;
        version["subresources"]!["status"].Should().NotBeNull();
        version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["x-kubernetes-preserve-unknown-fields"]!.GetValue<bool>().Should().BeTrue();
        await kubectl.RunOkAsync("get", "subnets");
    }

    [Test]
    public async Task The_Seed_Subnet_Applies_Unchanged_And_Reads_Back_Whole()
    {
        await kubectl.RunOkAsync("apply", "-f", SeedSubnet);
        await ShouldReadBackWhole(SeedSubnet, "attach-subnet");
    }

    [Test]
    public async Task A_Kube_Ovn_Subnet_With_Extra_Fields_Applies_Unchanged_And_Keeps_Them()
    {
        await kubectl.RunOkAsync("apply", "-f", KubeOvnSubnet);
        await ShouldReadBackWhole(KubeOvnSubnet, "kube-ovn-style");
        var stored = JsonNode.Parse(await kubectl.RunOkAsync("get", "subnet", "kube-ovn-style", "-o", "json"))!;
        stored["spec"]!["futureField"]!["nested"]!.GetValue<string>().Should().Be("kept", "fields no schema declares are preserved, not pruned");
    }

    [Test]
    public async Task Kubectl_Get_Subnets_Shows_Kube_Ovns_Columns()
    {
        await kubectl.RunOkAsync("apply", "-f", SeedSubnet);
        var lines = (await kubectl.RunOkAsync("get", "subnets")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Words(lines[0]).Should().Equal(
            "NAME", "PROVIDER", "VPC", "VLAN", "PROTOCOL", "CIDR", "PRIVATE", "NAT", "DEFAULT", "GATEWAYTYPE",
            "V4USED", "V4AVAILABLE", "V6USED", "V6AVAILABLE", "EXCLUDEIPS");
        var row = lines.Should().ContainSingle(l => l.StartsWith("attach-subnet ", StringComparison.Ordinal)).Subject;
        Words(row).Should().Equal("attach-subnet", "lb-svc-attachment.kube-system", "IPv4", "172.18.0.0/16", "[\"172.18.0.0..172.18.0.10\"]");

        // The short name reaches the same resource.
        (await kubectl.RunOkAsync("get", "subnet", "attach-subnet", "-o", "name")).Trim().Should().Be("subnet.kubeovn.io/attach-subnet");
    }

    [TestCase("cidrBlock: 172.18.0.0", "spec.cidrBlock", "should match")]
    [TestCase("cidrBlock: 10.0.0.0/24;fd00::/64", "spec.cidrBlock", "should match")]
    [TestCase("cidrBlock: 10.0.0.0/24\n  gateway: 10.0.0.1/24", "spec.gateway", "should match")]
    [TestCase("cidrBlock: 10.0.0.0/24\n  excludeIps: [\"10.0.0.5-10.0.0.9\"]", "spec.excludeIps[0]", "should match")]
    [TestCase("cidrBlock: 10.0.0.0/24\n  protocol: ipv4", "spec.protocol", "Unsupported value")]
    [TestCase("gateway: 10.0.0.1", "spec.cidrBlock", "Required value")]
    [TestCase("cidrBlock: 10.0.0.0/24\n  private: maybe", "spec.private", "boolean")]
    public async Task Malformed_Subnets_Are_Rejected_At_Apply(string spec, string field, string message)
    {
        var manifest = Path.Combine(folder, $"bad-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(manifest, $"apiVersion: kubeovn.io/v1\nkind: Subnet\nmetadata:\n  name: malformed\nspec:\n  {spec}\n");
        var result = await kubectl.RunFailingAsync("apply", "-f", manifest);
        result.StdErr.Should().Contain("malformed").And.Contain(field).And.Contain(message);
        (await kubectl.RunAsync(["get", "subnet", "malformed"])).ExitCode.Should().NotBe(0, "nothing was stored");
    }

    /// <summary>Every field of the manifest's spec comes back from the server with the same value.</summary>
    private async Task ShouldReadBackWhole(string manifestPath, string name)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(await File.ReadAllTextAsync(manifestPath)))
        {
            stream.Load(reader);
        }

        var written = Comparable(((YamlMappingNode)stream.Documents[0].RootNode)["spec"]);
        var stored = JsonNode.Parse(await kubectl.RunOkAsync("get", "subnet", name, "-o", "json"))!["spec"]!;
        Comparable(stored).ToJsonString().Should().Be(written.ToJsonString());
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // Both sides as JSON with every scalar as text and keys sorted: YAML's 1400 and JSON's 1400 compare equal.
    private static JsonNode Comparable(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children
            .OrderBy(c => ((YamlScalarNode)c.Key).Value, StringComparer.Ordinal)
            .Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (JsonNode?)Comparable(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(Comparable)]),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? string.Empty),
        _ => throw new NotSupportedException(node.NodeType.ToString()),
    };

    private static JsonNode Comparable(JsonNode node) => node switch
    {
        JsonObject map => new JsonObject(map
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Comparable(p.Value!)))),
        JsonArray list => new JsonArray([.. list.Select(n => Comparable(n!))]),
        _ => JsonValue.Create(node.ToString()),
    };
}
