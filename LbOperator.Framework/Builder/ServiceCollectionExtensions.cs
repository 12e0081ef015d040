using LbOperator.Framework.Client;
using LbOperator.Framework.Events;
using LbOperator.Framework.Health;
using LbOperator.Framework.Metrics;
using LbOperator.Framework.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LbOperator.Framework.Builder;

/// <summary>Entry point of the registration (KubeOps' <c>AddKubernetesOperator</c>).</summary>
public static class ServiceCollectionExtensions
{
    private static readonly string UserAgentVersion =
        typeof(ServiceCollectionExtensions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// Adds the operator runtime: client, event publisher, health, leader election and the hosted service that
    /// runs watches and reconciles. Requires a <see cref="k8s.KubernetesClientConfiguration"/> singleton
    /// (<see cref="Hosting.OperatorHost"/> registers one; else <c>BuildDefaultConfig()</c> is used).
    /// </summary>
    public static IOperatorBuilder AddKubernetesOperator(this IServiceCollection services, Action<OperatorSettingsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settingsBuilder = new OperatorSettingsBuilder();
        configure?.Invoke(settingsBuilder);
        var settings = settingsBuilder.Build();
        var model = new OperatorModel();

        services.AddSingleton(settings);
        services.AddSingleton(model);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => k8s.KubernetesClientConfiguration.BuildDefaultConfig());
        services.TryAddSingleton(sp =>
        {
            var kubernetes = new k8s.Kubernetes(
                sp.GetRequiredService<k8s.KubernetesClientConfiguration>(), new RestClientMetricsHandler(sp.GetRequiredService<OperatorMetrics>()));
            // The operator's requests carry its name, so the API server's audit log and metrics can tell them apart.
            kubernetes.HttpClient.DefaultRequestHeaders.UserAgent.Clear();
            kubernetes.HttpClient.DefaultRequestHeaders.UserAgent.ParseAdd($"{settings.Name}/{UserAgentVersion}");
            return kubernetes;
        });
        services.TryAddSingleton<k8s.IKubernetes>(sp => sp.GetRequiredService<k8s.Kubernetes>());
        services.TryAddSingleton<Watcher.OwnWrites>();
        services.TryAdd(ServiceDescriptor.Singleton(typeof(Watcher.IEntityLabelSelector<>), typeof(Watcher.DefaultEntityLabelSelector<>)));
        services.TryAddSingleton<IKubernetesClient, KubernetesClient>();
        services.TryAddSingleton<KubernetesEventPublisher>();
        services.TryAddTransient<EventPublisher>(sp => sp.GetRequiredService<KubernetesEventPublisher>().PublishAsync);
        services.TryAddSingleton<OperatorHealth>();
        services.TryAddSingleton(OperatorRegistry.Create);
        services.TryAddSingleton<OperatorMetrics>();
        services.TryAddSingleton<OperatorSynchronization>();
        services.TryAddSingleton<IOperatorSynchronization>(sp => sp.GetRequiredService<OperatorSynchronization>());
        services.TryAddSingleton<ReconcileSlots>();
        services.TryAddSingleton<OperatorRuntime>();
        services.AddHostedService(sp => sp.GetRequiredService<OperatorRuntime>());
        return new OperatorBuilder(services, settings, model);
    }
}
