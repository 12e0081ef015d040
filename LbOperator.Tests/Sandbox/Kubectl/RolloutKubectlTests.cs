namespace LbOperator.Tests.Sandbox.Kubectl;

/// <summary>kubectl against the sandbox's Deployment rollouts and PodDisruptionBudgets.</summary>
[Category("Kubectl")]
public sealed class RolloutKubectlTests : KubectlTestBase
{
    private const string Gateway = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: gw
        spec:
          replicas: 2
          strategy:
            type: RollingUpdate
            rollingUpdate:
              maxSurge: 1
              maxUnavailable: 0
          selector:
            matchLabels:
              app: gw
          template:
            metadata:
              labels:
                app: gw
            spec:
              containers:
              - name: gw
                image: nginx:1
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: gw
        spec:
          minAvailable: 1
          selector:
            matchLabels:
              app: gw
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata:
          name: gw-share
        spec:
          maxUnavailable: 50%
          selector:
            matchLabels:
              app: gw
        """;

    [Test]
    public async Task Get_Pdb_Prints_Its_Columns()
    {
        await Kubectl.RunOkWithInputAsync(Gateway, "apply", "-n", Ns, "-f", "-");
        // The disruption controller fills ALLOWED DISRUPTIONS once both pods are Ready.
        var output = await Eventually(() => Kubectl.RunOkAsync("get", "pdb", "-n", Ns),
            o => System.Text.RegularExpressions.Regex.IsMatch(o, @"(?m)^gw-share\s+N/A\s+50%\s+1\s"), "both budgets to allow a disruption", timeoutSeconds: 15);

        output.Should().MatchRegex(@"^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE\s*\n");
        output.Should().MatchRegex(@"(?m)^gw\s+1\s+N/A\s+1\s+\d+s\s*$");
        output.Should().MatchRegex(@"(?m)^gw-share\s+N/A\s+50%\s+1\s+\d+s\s*$");
        (await Kubectl.RunOkAsync("api-resources", "--api-group=policy")).Should().MatchRegex(@"(?m)^poddisruptionbudgets\s+pdb\s+policy/v1\s+true\s+PodDisruptionBudget\s*$");
    }

    [Test]
    public async Task Rollout_Status_Waits_For_A_Rolling_Update_To_Finish()
    {
        await Kubectl.RunOkWithInputAsync(Gateway, "apply", "-n", Ns, "-f", "-");
        (await Kubectl.RunOkAsync("rollout", "status", "deployment/gw", "-n", Ns, "--timeout=20s")).Should().Contain("deployment \"gw\" successfully rolled out");

        await Kubectl.RunOkAsync("set", "image", "deployment/gw", "gw=nginx:2", "-n", Ns);
        (await Kubectl.RunOkAsync("rollout", "status", "deployment/gw", "-n", Ns, "--timeout=20s")).Should().Contain("deployment \"gw\" successfully rolled out");
        (await Kubectl.RunOkAsync("get", "deploy", "gw", "-n", Ns, "-o", "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision} {.status.updatedReplicas} {.status.availableReplicas}"))
            .Should().Be("2 2 2");
        (await Kubectl.RunOkAsync("get", "rs", "-n", Ns, "-o", "jsonpath={range .items[*]}{.spec.replicas}{\" \"}{end}")).Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Should().BeEquivalentTo(["2", "0"]);
    }
}
