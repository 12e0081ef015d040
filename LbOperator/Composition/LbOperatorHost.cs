using k8s;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Hosting;
using Microsoft.AspNetCore.Builder;

namespace LbOperator.Composition;

/// <summary>Builds the LbOperator process: the framework's host with <see cref="OperatorComposition"/>'s components.</summary>
public static class LbOperatorHost
{
    public static WebApplication Build(KubernetesClientConfiguration configuration, OperatorHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var withName = options with
        {
            ConfigureSettings = settings =>
            {
                settings.Name = OperatorComposition.OperatorName;
                options.ConfigureSettings?.Invoke(settings);
            },
        };
        return OperatorHost.Build(configuration, withName, builder => builder.AddLbOperator());
    }
}
