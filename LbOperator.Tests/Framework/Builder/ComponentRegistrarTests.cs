using k8s;
using k8s.Models;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Events;
using LbOperator.Framework.Queue;
using LbOperator.Framework.Reconciliation;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Reconciliation.Finalizer;
using LbOperator.Framework.Watcher;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Tests.Framework.Builder;

[Category("Unit")]
public sealed class ComponentRegistrarTests
{
    [Test]
    public void Registers_Controllers_And_Finalizers_Found_In_The_Assembly()
    {
        var services = new ServiceCollection();
        services.AddKubernetesOperator().RegisterComponents(typeof(ComponentRegistrarTests).Assembly);

        services.Should().Contain(d => d.ServiceType == typeof(IEntityController<V1Secret>) && d.ImplementationType == typeof(SecretController));
        services.Should().Contain(d => d.ServiceType == typeof(IEntityFinalizer<V1Secret>)
            && d.IsKeyedService && (string)d.ServiceKey! == "secretcleanupfinalizer" && d.KeyedImplementationType == typeof(SecretCleanupFinalizer));
        services.Should().NotContain(d => d.ImplementationType == typeof(IgnoredSecretController));
    }

    [Test]
    public void Registered_Components_Resolve_With_Their_Capabilities()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        services.AddKubernetesOperator(s => s.WithName("Registration_Test")).AddController<SecretController, V1Secret>().Owns<V1ConfigMap>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        provider.GetRequiredService<OperatorSettings>().Name.Should().Be("registration-test");
        provider.GetRequiredService<EntityQueue<V1Secret>>().Should().NotBeNull();
        provider.GetRequiredService<EventPublisher>().Should().NotBeNull();
        provider.GetRequiredService<IEntityCache<V1ConfigMap>>().IsSynced.Should().BeFalse();
        using var scope = provider.CreateScope();
        scope.ServiceProvider.GetServices<IEntityController<V1Secret>>().Should().ContainSingle().Which.Should().BeOfType<SecretController>();
    }

    [Test]
    public void A_Finalizer_Name_Cannot_Be_Registered_Twice()
    {
        var builder = new ServiceCollection().AddKubernetesOperator();
        builder.AddFinalizer<SecretCleanupFinalizer, V1Secret>("example.com/cleanup");

        var again = () => builder.AddFinalizer<SecretCleanupFinalizer, V1Secret>("example.com/cleanup");
        again.Should().Throw<InvalidOperationException>().WithMessage("*example.com/cleanup*V1Secret*");
    }

    [Test]
    public void Settings_Reject_A_Renew_Deadline_Not_Shorter_Than_The_Lease()
    {
        var act = () => new ServiceCollection().AddKubernetesOperator(s => s.WithLeaderElectionTimings(
            TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)));
        act.Should().Throw<ArgumentException>().WithMessage("*renew deadline*lease duration*");
    }

    internal sealed class SecretController : IEntityController<V1Secret>
    {
        public Task<ReconciliationResult<V1Secret>> ReconcileAsync(V1Secret entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1Secret>.Success(entity));

        public Task<ReconciliationResult<V1Secret>> DeletedAsync(V1Secret entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1Secret>.Success(entity));
    }

    [IgnoreComponent]
    internal sealed class IgnoredSecretController : IEntityController<V1Secret>
    {
        public Task<ReconciliationResult<V1Secret>> ReconcileAsync(V1Secret entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1Secret>.Success(entity));

        public Task<ReconciliationResult<V1Secret>> DeletedAsync(V1Secret entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1Secret>.Success(entity));
    }

    internal sealed class SecretCleanupFinalizer : IEntityFinalizer<V1Secret>
    {
        public Task<ReconciliationResult<V1Secret>> FinalizeAsync(V1Secret entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1Secret>.Success(entity));
    }
}
