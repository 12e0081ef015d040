using System.Text.Json.Nodes;
using LbOperator.Sandbox;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Cli;

/// <summary>What <c>make deploy</c> and <c>make undeploy</c> run, against the sandbox API server.</summary>
[Category("Kubectl")]
public sealed class DeployTests
{
    [Test]
    public async Task Deploy_Creates_Every_Object_And_Undeploy_Removes_Them()
    {
        KubectlRunner.RequireKubectl();
        var folder = Directory.CreateTempSubdirectory("lbop-deploy-").FullName;
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        try
        {
            var kubeconfig = Path.Combine(folder, "kubeconfig");
            sandbox.WriteKubeconfig(kubeconfig);
            var kubectl = new KubectlRunner(kubeconfig, Path.Combine(folder, "cache"));
            var tree = Path.Combine(RepositoryRoot.Path, "config", "default");

            var applied = await kubectl.RunOkAsync("apply", "-k", tree);
            applied.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().BeEquivalentTo(
                "namespace/lboperator-system created",
                "customresourcedefinition.apiextensions.k8s.io/subnets.kubeovn.io created",
                "customresourcedefinition.apiextensions.k8s.io/ipallocations.lboperator.io created",
                "serviceaccount/lboperator-controller-manager created",
                "role.rbac.authorization.k8s.io/lboperator-leader-election-role created",
                "clusterrole.rbac.authorization.k8s.io/lboperator-manager-role created",
                "rolebinding.rbac.authorization.k8s.io/lboperator-leader-election-rolebinding created",
                "clusterrolebinding.rbac.authorization.k8s.io/lboperator-manager-rolebinding created",
                "deployment.apps/lboperator-controller-manager created");
            var deployment = JsonNode.Parse(await kubectl.RunOkAsync("-n", "lboperator-system", "get", "deployment", "lboperator-controller-manager", "-o", "json"))!;
            deployment["spec"]!["template"]!["spec"]!["serviceAccountName"]!.GetValue<string>().Should().Be("lboperator-controller-manager");

            await kubectl.RunOkAsync("delete", "-k", tree, "--ignore-not-found");
            (await kubectl.RunAsync(["get", "crd", "subnets.kubeovn.io"])).ExitCode.Should().NotBe(0);
            (await kubectl.RunAsync(["get", "crd", "ipallocations.lboperator.io"])).ExitCode.Should().NotBe(0);
            (await kubectl.RunAsync(["get", "clusterrole", "lboperator-manager-role"])).ExitCode.Should().NotBe(0);
            (await kubectl.RunAsync(["get", "namespace", "lboperator-system"])).StdOut.Should().NotContain("Active");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
