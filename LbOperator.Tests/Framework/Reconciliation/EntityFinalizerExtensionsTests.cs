using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Finalizer;

namespace LbOperator.Tests.Framework.Reconciliation;

[Category("Unit")]
public sealed class EntityFinalizerExtensionsTests
{
    [Test]
    public void Appends_Finalizer_And_Prefixes_The_Group() =>
        EntityFinalizerExtensions.GetIdentifierName(typeof(FinalizerOne), typeof(V1TestWidget))
            .Should().Be("testing.dev/finalizeronefinalizer");

    [Test]
    public void Does_Not_Append_Finalizer_Twice() =>
        EntityFinalizerExtensions.GetIdentifierName(typeof(WidgetFinalizer), typeof(V1TestWidget))
            .Should().Be("testing.dev/widgetfinalizer");

    [Test]
    public void Core_Kinds_Have_No_Group_Prefix() =>
        EntityFinalizerExtensions.GetIdentifierName(typeof(WidgetFinalizer), typeof(V1ConfigMap))
            .Should().Be("widgetfinalizer");

    [Test]
    public void Names_Are_Cut_To_63_Characters()
    {
        var name = EntityFinalizerExtensions.GetIdentifierName(
            typeof(AFinalizerWithAVeryLongClassNameThatGoesOnAndOnForeverAndEverFinalizer), typeof(V1TestWidget));
        name.Should().HaveLength(63).And.StartWith("testing.dev/afinalizerwithaverylong");
    }

    [Test]
    public void The_Instance_Form_Gives_The_Same_Name() =>
        new WidgetFinalizer().GetIdentifierName(new V1TestWidget()).Should().Be("testing.dev/widgetfinalizer");

    [KubernetesEntity(Group = "testing.dev", ApiVersion = "v1", Kind = "TestWidget", PluralName = "testwidgets")]
    private sealed class V1TestWidget : CustomKubernetesEntity;

    private sealed class FinalizerOne : IEntityFinalizer<V1TestWidget>
    {
        public Task<ReconciliationResult<V1TestWidget>> FinalizeAsync(V1TestWidget entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1TestWidget>.Success(entity));
    }

    private sealed class WidgetFinalizer : IEntityFinalizer<V1TestWidget>
    {
        public Task<ReconciliationResult<V1TestWidget>> FinalizeAsync(V1TestWidget entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1TestWidget>.Success(entity));
    }

    private sealed class AFinalizerWithAVeryLongClassNameThatGoesOnAndOnForeverAndEverFinalizer : IEntityFinalizer<V1TestWidget>
    {
        public Task<ReconciliationResult<V1TestWidget>> FinalizeAsync(V1TestWidget entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1TestWidget>.Success(entity));
    }
}
