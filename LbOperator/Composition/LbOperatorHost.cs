using k8s;
using LbOperator.Controllers;
using LbOperator.Framework.Hosting;
using Microsoft.AspNetCore.Builder;

namespace LbOperator.Composition;

/// <summary>Builds the LbOperator process: the framework's host with <see cref="OperatorComposition"/>'s components.</summary>
public static class LbOperatorHost
{
    public static WebApplication Build(KubernetesClientConfiguration configuration, OperatorHostOptions options, LbOperatorSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var withName = options with
        {
            ConfigureSettings = builder =>
            {
                builder.Name = OperatorComposition.OperatorName;
                // Finalizers go only on the Services and Subnets this operator serves (it attaches them itself):
                // other load balancers' Services and Kube-OVN's Subnets are never touched.
                builder.AutoAttachFinalizers = false;
                options.ConfigureSettings?.Invoke(builder);
            },
        };
        return OperatorHost.Build(configuration, withName, builder => builder.AddLbOperator(settings));
    }
}
