using System.Reflection;
using k8s;
using k8s.Models;
using LbOperator.Framework.Reconciliation.Controller;
using LbOperator.Framework.Reconciliation.Finalizer;
using LbOperator.Framework.Runtime;

namespace LbOperator.Framework.Builder;

/// <summary>
/// Discovery at start-up of what KubeOps' generator registers at build time: every concrete
/// <see cref="IEntityController{TEntity}"/> and <see cref="IEntityFinalizer{TEntity}"/> (under its derived name) and
/// every <see cref="IOperatorStartupTask"/> in the assembly. Types marked <see cref="IgnoreComponentAttribute"/> are skipped.
/// </summary>
public static class ComponentRegistrar
{
    private static readonly MethodInfo AddControllerMethod = typeof(IOperatorBuilder).GetMethod(nameof(IOperatorBuilder.AddController))!;
    private static readonly MethodInfo AddFinalizerMethod = typeof(IOperatorBuilder).GetMethod(nameof(IOperatorBuilder.AddFinalizer))!;
    private static readonly MethodInfo AddStartupTaskMethod = typeof(IOperatorBuilder).GetMethod(nameof(IOperatorBuilder.AddStartupTask))!;

    /// <summary>Registers the components of <paramref name="assembly"/> (default: the calling assembly).</summary>
    public static IOperatorBuilder RegisterComponents(this IOperatorBuilder builder, Assembly? assembly = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        assembly ??= Assembly.GetCallingAssembly();
        var types = assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false })
            .Where(t => t.GetCustomAttribute<IgnoreComponentAttribute>() is null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in types)
        {
            foreach (var entityType in ClosedArguments(type, typeof(IEntityController<>)))
            {
                AddControllerMethod.MakeGenericMethod(type, entityType).Invoke(builder, null);
            }

            foreach (var entityType in ClosedArguments(type, typeof(IEntityFinalizer<>)))
            {
                var identifier = EntityFinalizerExtensions.GetIdentifierName(type, entityType);
                AddFinalizerMethod.MakeGenericMethod(type, entityType).Invoke(builder, [identifier]);
            }

            if (typeof(IOperatorStartupTask).IsAssignableFrom(type))
            {
                AddStartupTaskMethod.MakeGenericMethod(type).Invoke(builder, null);
            }
        }

        return builder;
    }

    private static IEnumerable<Type> ClosedArguments(Type type, Type openInterface) =>
        type.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == openInterface)
            .Select(i => i.GetGenericArguments()[0])
            .Where(e => typeof(IKubernetesObject<V1ObjectMeta>).IsAssignableFrom(e));
}

/// <summary>Keeps a controller, finalizer or startup task out of <see cref="ComponentRegistrar.RegisterComponents"/> (register it by hand, or not at all).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IgnoreComponentAttribute : Attribute;
