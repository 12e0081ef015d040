using LbOperator.Sandbox;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;
using NodeCommands = LbOperator.Sandbox.Nodes.CommandRunner;

namespace LbOperator.Tests.Images;

/// <summary>
/// <c>make install</c>, <c>make uninstall</c> and <c>make undeploy</c> on a cluster that runs Kube-OVN (its own
/// Subnet, IP and Vip CRDs, a Subnet of it) and on one that does not: LbOperator installs, changes and deletes only
/// its own CRDs, recognised by its label.
/// </summary>
[Category("Kubectl")]
public sealed class KubeOvnInstallTests
{
    private string _folder = "";
    private string _kubeconfig = "";
    private KubectlRunner _kubectl = null!;
    private RunningSandbox _sandbox = null!;

    [SetUp]
    public async Task StartSandbox()
    {
        KubectlRunner.RequireKubectl();
        _folder = Directory.CreateTempSubdirectory("lbop-install-").FullName;
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        _kubeconfig = Path.Combine(_folder, "kubeconfig");
        _sandbox.WriteKubeconfig(_kubeconfig);
        _kubectl = new KubectlRunner(_kubeconfig, Path.Combine(_folder, "cache"));
    }

    [TearDown]
    public async Task StopSandbox()
    {
        await _sandbox.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task Beside_Kube_Ovn_Install_Uninstall_And_Undeploy_Leave_Its_Crds_And_Subnets_As_They_Are()
    {
        await _kubectl.RunOkAsync("apply", "-f", KubeOvnFixture.CrdFile);
        await _kubectl.RunOkAsync("apply", "-f", Path.Combine(RepositoryRoot.Path, "examples", "subnet.yaml"));
        var before = await SubnetCrdAsync();

        var install = await MakeAsync("install");
        install.Error.Should().Contain("subnets.kubeovn.io is served and is not LbOperator's (Kube-OVN installed it): left as it is");
        (await SubnetCrdAsync()).Should().Be(before, "the Subnet CRD is not applied over Kube-OVN's");
        (await LabelOfAsync("ipallocations.lboperator.io")).Should().Be("lboperator");
        (await CrdsScriptAsync("tree")).Output.Trim().Should().Be("kube-ovn", "make deploy applies the tree without the Subnet CRD");

        await MakeAsync("uninstall");
        (await CrdNamesAsync()).Should().Contain(["subnets.kubeovn.io", "ips.kubeovn.io", "vips.kubeovn.io"]).And.NotContain("ipallocations.lboperator.io");
        (await SubnetCrdAsync()).Should().Be(before);
        (await _kubectl.RunOkAsync("get", "subnet", "attach-subnet", "-o", "name")).Trim().Should().Be("subnet.kubeovn.io/attach-subnet");

        // What make deploy applies here, then make undeploy.
        await _kubectl.RunOkAsync("apply", "-k", Path.Combine(RepositoryRoot.Path, "config", "kube-ovn"));
        (await SubnetCrdAsync()).Should().Be(before);
        await MakeAsync("undeploy");
        (await CrdNamesAsync()).Should().Contain(["subnets.kubeovn.io", "ips.kubeovn.io", "vips.kubeovn.io"]).And.NotContain("ipallocations.lboperator.io");
        (await _kubectl.RunOkAsync("get", "subnet", "attach-subnet", "-o", "name")).Trim().Should().Be("subnet.kubeovn.io/attach-subnet");
        (await _kubectl.RunOkAsync("get", "deployments", "-A", "-o", "name")).Should().NotContain("lboperator-controller-manager");
    }

    [Test]
    public async Task Without_Kube_Ovn_Install_Brings_Both_Crds_With_The_Label_And_Uninstall_Takes_Both()
    {
        (await CrdsScriptAsync("tree")).Output.Trim().Should().Be("default");
        await MakeAsync("install");
        (await LabelOfAsync("subnets.kubeovn.io")).Should().Be("lboperator");
        (await LabelOfAsync("ipallocations.lboperator.io")).Should().Be("lboperator");
        (await CrdsScriptAsync("tree")).Output.Trim().Should().Be("default", "a Subnet CRD of LbOperator's own is not someone else's");

        // Installing again (an upgrade) still applies LbOperator's own Subnet CRD.
        await MakeAsync("install");
        await MakeAsync("uninstall");
        (await CrdNamesAsync()).Should().NotContain("subnets.kubeovn.io").And.NotContain("ipallocations.lboperator.io")
            .And.Contain("network-attachment-definitions.k8s.cni.cncf.io", "Multus' CRD is not LbOperator's");
    }

    private Task<string> SubnetCrdAsync() =>
        _kubectl.RunOkAsync("get", "crd", "subnets.kubeovn.io", "-o", "jsonpath={.metadata.resourceVersion} {.metadata.labels} {.spec.versions[0].additionalPrinterColumns[*].name}");

    private async Task<string> LabelOfAsync(string crd) =>
        (await _kubectl.RunOkAsync("get", "crd", crd, "-o", "jsonpath={.metadata.labels.app\\.kubernetes\\.io/name}")).Trim();

    private async Task<IReadOnlyList<string>> CrdNamesAsync() =>
        [.. (await _kubectl.RunOkAsync("get", "crd", "-o", "jsonpath={.items[*].metadata.name}")).Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private Task<(string Output, string Error)> MakeAsync(string target) =>
        RunAsync(["make", "-s", "-C", RepositoryRoot.Path, target, $"KUBECTL={KubectlRunner.RequireKubectl()}"]);

    private Task<(string Output, string Error)> CrdsScriptAsync(string command) =>
        RunAsync([Path.Combine(RepositoryRoot.Path, "hack", "crds.sh"), command]);

    private async Task<(string Output, string Error)> RunAsync(IReadOnlyList<string> command)
    {
        var environment = new Dictionary<string, string> { ["KUBECONFIG"] = _kubeconfig, ["KUBECTL"] = KubectlRunner.RequireKubectl() };
        var result = await NodeCommands.RunAsync(command, CancellationToken.None, timeout: TimeSpan.FromSeconds(60), environment: environment);
        result.ExitCode.Should().Be(0, $"{string.Join(' ', command)}: {result.StandardError}");
        return (result.StandardOutput, result.StandardError);
    }
}
