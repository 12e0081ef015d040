using k8s.Models;
using LbOperator.Framework.Reconciliation;

namespace LbOperator.Tests.Framework.Reconciliation;

[Category("Unit")]
public sealed class ReconciliationResultTests
{
    private static readonly V1ConfigMap Entity = new() { Metadata = new V1ObjectMeta { Name = "c" } };

    [Test]
    public void Success_Carries_The_Entity_And_The_Requeue()
    {
        var result = ReconciliationResult<V1ConfigMap>.Success(Entity, TimeSpan.FromMinutes(5));

        result.IsSuccess.Should().BeTrue();
        result.Entity.Should().BeSameAs(Entity);
        result.RequeueAfter.Should().Be(TimeSpan.FromMinutes(5));
        result.ErrorMessage.Should().BeNull();
    }

    [Test]
    public void Failure_Carries_Message_And_Error()
    {
        var error = new InvalidOperationException("subnet full");
        var result = ReconciliationResult<V1ConfigMap>.Failure(Entity, "no address left", error);

        result.IsSuccess.Should().BeFalse();
        result.ErrorMessage.Should().Be("no address left");
        result.Error.Should().BeSameAs(error);
        result.RequeueAfter.Should().BeNull();
    }

    [Test]
    public void Failure_Needs_A_Message()
    {
        var act = () => ReconciliationResult<V1ConfigMap>.Failure(Entity, string.Empty);
        act.Should().Throw<ArgumentException>();
    }
}
