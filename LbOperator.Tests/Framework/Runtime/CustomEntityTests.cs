using k8s.Models;
using LbOperator.Framework.Client;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Reconciliation.Finalizer;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Tests.Framework.Runtime;

/// <summary>A custom entity with a status subresource, written the KubeOps way, against the sandbox.</summary>
[Category("Sandbox")]
public sealed class CustomEntityTests
{
    private const string FinalizerName = "framework.test/widget";

    [Test]
    public async Task Should_Reconcile_A_Custom_Entity_Write_Its_Status_Once_And_Finalize_It()
    {
        await using var env = await OperatorTestEnvironment.StartAsync();
        await env.Client.CreateAsync(V1TestWidget.Crd());
        await Eventually.HoldsAsync(
            async () => (await env.Client.GetAsync<V1CustomResourceDefinition>("widgets.framework.test"))?.Status?.Conditions?
                .Any(c => c.Type == "Established" && c.Status == "True") == true,
            "the CRD is established");

        var log = new CallLog();
        await env.StartOperatorAsync(b =>
        {
            b.Services.AddSingleton(log);
            b.AddController<WidgetController, V1TestWidget>();
            b.AddFinalizer<WidgetFinalizer, V1TestWidget>(FinalizerName);
        });

        await env.Client.CreateAsync(new V1TestWidget
        {
            Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = env.Namespace },
            Spec = new V1TestWidget.WidgetSpec { Size = 3 },
        });
        await Eventually.HoldsAsync(
            async () => (await env.Client.GetAsync<V1TestWidget>("w", env.Namespace))?.Status?.ObservedSize == 3,
            "the controller writes the status");
        var widget = (await env.Client.GetAsync<V1TestWidget>("w", env.Namespace))!;
        widget.Finalizers().Should().Contain(FinalizerName);

        widget.Spec.Size = 5;
        await env.Client.UpdateAsync(widget);
        await Eventually.HoldsAsync(
            async () => (await env.Client.GetAsync<V1TestWidget>("w", env.Namespace))?.Status?.ObservedSize == 5,
            "a spec change is reconciled");
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        // Watch events may arrive after a fresh read already saw their change, which costs a reconcile that
        // finds nothing to do, never a write.
        log.Count("StatusWrite", "w").Should().Be(2, "one status write per spec value, none caused by its own status writes");

        await env.Client.DeleteAsync<V1TestWidget>("w", env.Namespace);
        await Eventually.HoldsAsync(async () => await env.Client.GetAsync<V1TestWidget>("w", env.Namespace) is null, "the widget is finalized and gone");
        log.Count("Finalize", "w").Should().Be(1);
    }

    internal sealed class WidgetController(IKubernetesClient client, CallLog log) : IEntityController<V1TestWidget>
    {
        public async Task<ReconciliationResult<V1TestWidget>> ReconcileAsync(V1TestWidget entity, CancellationToken cancellationToken)
        {
            log.Add("widget", "Reconcile", entity.Name());
            if (entity.Status.ObservedSize == entity.Spec.Size)
            {
                return ReconciliationResult<V1TestWidget>.Success(entity);
            }

            entity.Status.ObservedSize = entity.Spec.Size;
            log.Add("widget", "StatusWrite", entity.Name());
            return ReconciliationResult<V1TestWidget>.Success(await client.UpdateStatusAsync(entity, cancellationToken));
        }

        public Task<ReconciliationResult<V1TestWidget>> DeletedAsync(V1TestWidget entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1TestWidget>.Success(entity));
    }

    internal sealed class WidgetFinalizer(CallLog log) : IEntityFinalizer<V1TestWidget>
    {
        public Task<ReconciliationResult<V1TestWidget>> FinalizeAsync(V1TestWidget entity, CancellationToken cancellationToken)
        {
            log.Add("widget", "Finalize", entity.Name());
            return Task.FromResult(ReconciliationResult<V1TestWidget>.Success(entity));
        }
    }
}
