using LbOperator.Framework.Health;

namespace LbOperator.Tests.Framework.Health;

[Category("Unit")]
public sealed class OperatorHealthTests
{
    [Test]
    public void A_Standby_Replica_Is_Ready()
    {
        var health = new OperatorHealth();
        health.Readiness().Healthy.Should().BeTrue();
        health.Readiness().Detail.Should().Contain("standby");
    }

    [Test]
    public void The_Leader_Is_Ready_Only_When_Every_Watch_Is_Synced_And_Startup_Is_Done()
    {
        var health = new OperatorHealth();
        health.BeginTerm(["v1/Service", "kubeovn.io/v1/Subnet"]);
        health.Readiness().Healthy.Should().BeFalse();

        health.WatchSynced("v1/Service");
        health.WatchSynced("kubeovn.io/v1/Subnet");
        health.Readiness().Healthy.Should().BeFalse("startup tasks have not run");

        health.MarkStartupComplete();
        health.Readiness().Should().Be(new HealthReport(true, "ok"));
    }

    [Test]
    public void A_Watch_Down_Makes_The_Leader_Unready_Until_It_Is_Back()
    {
        var health = new OperatorHealth();
        health.BeginTerm(["v1/Service"]);
        health.WatchSynced("v1/Service");
        health.MarkStartupComplete();

        health.WatchDown("v1/Service", "connection refused");
        var report = health.Readiness();
        report.Healthy.Should().BeFalse();
        report.Detail.Should().Contain("v1/Service").And.Contain("connection refused");

        health.WatchSynced("v1/Service");
        health.Readiness().Healthy.Should().BeTrue();
        health.Liveness().Healthy.Should().BeTrue();
    }
}
