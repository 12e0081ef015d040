using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Rollout;

[Category("Sandbox")]
public sealed class StrategyValidationTests : SandboxTestBase
{
    private static V1Deployment WithStrategy(string name, V1DeploymentStrategy strategy)
    {
        var d = LifecycleTests.Deployment(name);
        d.Spec.Strategy = strategy;
        return d;
    }

    [Test]
    public async Task RollingUpdate_May_Not_Have_Both_MaxSurge_And_MaxUnavailable_Zero()
    {
        var e = await Fails(() => Client.AppsV1.CreateNamespacedDeploymentAsync(WithStrategy("zero", new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "0%", MaxUnavailable = 0 },
        }), Ns));
        e.Response.StatusCode.Should().Be(System.Net.HttpStatusCode.UnprocessableEntity);
        var status = CrudTests.Status(e);
        status.Reason.Should().Be("Invalid");
        status.Message.Should().Be("Deployment.apps \"zero\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0");
    }

    [Test]
    public async Task Recreate_Takes_No_RollingUpdate_Block()
    {
        var e = await Fails(() => Client.AppsV1.CreateNamespacedDeploymentAsync(WithStrategy("re", new V1DeploymentStrategy
        {
            Type = "Recreate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1 },
        }), Ns));
        CrudTests.Status(e).Message.Should().Be("Deployment.apps \"re\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
    }

    [Test]
    public async Task Strategy_Values_Are_Counts_Or_Percents_And_Types_Are_Known()
    {
        var bad = await Fails(() => Client.AppsV1.CreateNamespacedDeploymentAsync(WithStrategy("bad", new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "one", MaxUnavailable = "120%" },
        }), Ns));
        var message = CrudTests.Status(bad).Message;
        message.Should().Contain("spec.strategy.rollingUpdate.maxSurge: Invalid value: \"one\": a valid percent string must be a numeric string followed by an ending '%'");
        message.Should().Contain("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%");

        var unknown = await Fails(() => Client.AppsV1.CreateNamespacedDeploymentAsync(WithStrategy("odd", new V1DeploymentStrategy { Type = "BlueGreen" }), Ns));
        CrudTests.Status(unknown).Message.Should().Contain("spec.strategy.type: Unsupported value: \"BlueGreen\": supported values: \"Recreate\", \"RollingUpdate\"");
    }

    [Test]
    public async Task Recreate_Without_A_Block_And_Explicit_Rolling_Values_Are_Taken()
    {
        var re = await Client.AppsV1.CreateNamespacedDeploymentAsync(WithStrategy("re-ok", new V1DeploymentStrategy { Type = "Recreate" }), Ns);
        re.Spec.Strategy.RollingUpdate.Should().BeNull();
        var rolling = await Client.AppsV1.CreateNamespacedDeploymentAsync(WithStrategy("roll-ok", new V1DeploymentStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = 1, MaxUnavailable = 0 },
        }), Ns);
        rolling.Spec.Strategy.RollingUpdate.MaxSurge.Value.Should().Be("1");
        rolling.Spec.Strategy.RollingUpdate.MaxUnavailable.Value.Should().Be("0");
    }
}
