using LbOperator.Cli;

namespace LbOperator.Tests.Cli;

[Category("Unit")]
public sealed class ValidateCommandTests
{
    private static readonly string Examples = Path.Combine(FindRepositoryRoot(), "examples");

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LbOperatorCli.InvokeAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LbOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("LbOperator.sln not found above the test directory");
    }

    private static string TempManifest(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"lbop-validate-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, content);
        return path;
    }

    [Test]
    public async Task Seed_Examples_Validate()
    {
        var (code, stdout, _) = await Run("validate", "-f", Path.Combine(Examples, "subnet.yaml"),
            "-f", Path.Combine(Examples, "nad.yaml"), "-f", Path.Combine(Examples, "service.yaml"));
        code.Should().Be(0);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("subnet attach-subnet: ok, IPv4 172.18.0.0/16, 65524 available");
        lines.Should().Contain(l => l.StartsWith("NetworkAttachmentDefinition kube-system/lb-svc-attachment: skipped", StringComparison.Ordinal));
    }

    [Test]
    public async Task Invalid_Subnet_Fails_With_One_Line_Per_Problem_And_Other_Documents_Still_Checked()
    {
        var path = TempManifest("""
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata:
              name: attach-subnet
            spec:
              cidrBlock: 172.18.0.0/16
              gateway: 10.0.0.1
              excludeIps: ["172.18.0.9..172.18.0.5"]
            ---
            apiVersion: example.com/v1
            kind: Widget
            metadata:
              name: w
            ---
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata:
              name: dual
            spec:
              cidrBlock: 10.0.0.0/24,fd00::/120
              provider: lb.default
            """);
        try
        {
            var (code, stdout, _) = await Run("validate", "-f", path);
            code.Should().Be(1);
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
                "subnet attach-subnet: spec.gateway \"10.0.0.1\" is not inside spec.cidrBlock 172.18.0.0/16; use an address of 172.18.0.1-172.18.255.254",
                "subnet attach-subnet: spec.excludeIps[0] \"172.18.0.9..172.18.0.5\" ends before it starts; write the lower address first (172.18.0.5..172.18.0.9)",
                "Widget w: skipped (example.com/v1 Widget is not checked by validate)",
                "subnet dual: ok, Dual 10.0.0.0/24,fd00::/120, 253 IPv4 + 253 IPv6 available");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Subnet_Of_Kube_Ovn_Is_Flagged_As_Not_Managed()
    {
        var path = TempManifest("""
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: pods}
            spec: {cidrBlock: 10.16.0.0/16}
            """);
        try
        {
            var (code, stdout, _) = await Run("validate", "-f", path);
            code.Should().Be(0);
            stdout.Trim().Should().Be(
                "subnet pods: ok, IPv4 10.16.0.0/16, 65533 available (provider ovn belongs to Kube-OVN: LbOperator leaves this Subnet alone)");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Unreadable_Document_Is_Reported_As_Invalid()
    {
        var path = TempManifest("""
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: s}
            spec: {cidrBlock: 10.0.0.0/24, excludeIps: {a: b}}
            """);
        try
        {
            var (code, stdout, _) = await Run("validate", "-f", path);
            code.Should().Be(1);
            stdout.Should().StartWith("subnet s: cannot be read as kubeovn.io/v1 Subnet");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Second_Subnet_Of_The_Same_Name_Is_Reported()
    {
        var path = TempManifest("""
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: s}
            spec: {cidrBlock: 10.0.0.0/24, provider: a.b}
            ---
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: s}
            spec: {cidrBlock: 10.1.0.0/24, provider: a.b}
            """);
        try
        {
            var (code, stdout, _) = await Run("validate", "-f", path);
            code.Should().Be(1);
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().Equal(
                "subnet s: ok, IPv4 10.0.0.0/24, 253 available",
                $"subnet s: metadata.name \"s\" is already used by the Subnet in {path} (document 1); Subnet names are cluster-wide, rename one of them");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Overlapping_Subnets_Are_Reported_On_The_Later_One()
    {
        var first = TempManifest("""
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: pool-a}
            spec: {cidrBlock: 172.18.0.0/16, provider: lb.default}
            """);
        var second = TempManifest("""
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: pool-b}
            spec: {cidrBlock: 172.18.128.0/17, provider: lb.default}
            ---
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: pool-c}
            spec: {cidrBlock: 172.18.0.0/24, provider: lb.default, vlan: vlan10}
            ---
            apiVersion: kubeovn.io/v1
            kind: Subnet
            metadata: {name: pool-d}
            spec: {cidrBlock: 172.19.0.0/24, provider: lb.default}
            """);
        try
        {
            var (code, stdout, _) = await Run("validate", "-f", first, "-f", second);
            code.Should().Be(1);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines.Should().HaveCount(4);
            lines[0].Should().StartWith("subnet pool-a: ok");
            lines[1].Should().StartWith("subnet pool-b: spec.cidrBlock \"172.18.128.0/17\" overlaps")
                .And.Contain("172.18.0.0/16 of subnet pool-a").And.Contain($"{first} (document 1)");
            lines[2].Should().StartWith("subnet pool-c: ok", "another vlan is another network");
            lines[3].Should().StartWith("subnet pool-d: ok");
        }
        finally
        {
            File.Delete(first);
            File.Delete(second);
        }
    }

    [Test]
    public async Task Missing_File_Is_A_One_Line_Error()
    {
        var (code, _, stderr) = await Run("validate", "-f", "/nonexistent/subnet.yaml");
        code.Should().NotBe(0);
        stderr.Trim().Should().StartWith("error: cannot read /nonexistent/subnet.yaml:");
    }

    [Test]
    public async Task Broken_Yaml_Names_The_File_And_Line()
    {
        var path = TempManifest("apiVersion: v1\nkind: [unclosed\n");
        try
        {
            var (code, _, stderr) = await Run("validate", "-f", path);
            code.Should().NotBe(0);
            stderr.Should().Contain(path).And.Contain("not valid YAML at line");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task File_Option_Is_Required()
    {
        var (code, _, _) = await Run("validate");
        code.Should().NotBe(0);
    }
}
