using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace LbOperator.Sandbox.Schema;

/// <summary>
/// The JSON shape of the built-in Kubernetes kinds, read by reflection from the KubernetesClient model types
/// (<c>k8s.Models.V1Service</c> and the types of its <see cref="JsonPropertyNameAttribute"/> properties).
/// Shapes are computed once per type and cached; the catalog is safe to share between requests.
/// </summary>
public sealed class KubernetesModelCatalog
{
    private readonly Dictionary<(string Group, string Version, string Kind), Type> kinds;
    private readonly ConcurrentDictionary<Type, ModelShape> shapes = new();

    public KubernetesModelCatalog()
    {
        kinds = [];
        foreach (var type in typeof(V1Service).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is { Kind: { Length: > 0 } kind } entity)
            {
                kinds[(entity.Group ?? "", entity.ApiVersion, kind)] = type;
            }
        }
    }

    /// <summary>The model type of a built-in kind, or null when KubernetesClient has none (custom resources).</summary>
    public Type? ModelTypeFor(string group, string version, string kind) =>
        kinds.GetValueOrDefault((group, version, kind));

    /// <summary>The model type of the kind a descriptor serves, or null for custom resources.</summary>
    public Type? ModelTypeFor(ResourceDescriptor descriptor) =>
        descriptor.IsCustom ? null : ModelTypeFor(descriptor.Group, descriptor.Version, descriptor.Kind);

    public ModelShape Shape(Type modelType) => shapes.GetOrAdd(modelType, Build);

    private static ModelShape Build(Type modelType)
    {
        var fields = new Dictionary<string, FieldShape>(StringComparer.Ordinal);
        foreach (var property in modelType.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is not { } name)
            {
                continue;
            }

            fields[name.Name] = new FieldShape(
                name.Name,
                ShapeOf(property.PropertyType),
                KubernetesPatchStrategies.For(modelType, name.Name));
        }

        return new ModelShape(modelType, fields);
    }

    /// <summary>The shape of a value of CLR type <paramref name="type"/> as it appears in Kubernetes JSON.</summary>
    public static ValueShape ShapeOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return new ScalarShape(ScalarKind.Text);
        }

        if (type == typeof(bool))
        {
            return new ScalarShape(ScalarKind.Boolean);
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new ScalarShape(ScalarKind.WholeNumber);
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return new ScalarShape(ScalarKind.Number);
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new ScalarShape(ScalarKind.Time);
        }

        if (type == typeof(byte[]))
        {
            return new ScalarShape(ScalarKind.Bytes);
        }

        if (type == typeof(IntOrString))
        {
            return new ScalarShape(ScalarKind.IntOrString);
        }

        if (type == typeof(ResourceQuantity))
        {
            return new ScalarShape(ScalarKind.Quantity);
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var arguments = type.GetGenericArguments();
            if (definition == typeof(IDictionary<,>) || definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>))
            {
                return new MapShape(ShapeOf(arguments[1]));
            }

            if (definition == typeof(IList<>) || definition == typeof(List<>) || definition == typeof(IEnumerable<>)
                || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyList<>))
            {
                return new ListShape(ShapeOf(arguments[0]));
            }
        }

        if (type.IsClass && type != typeof(object) && type.Namespace == typeof(V1Service).Namespace)
        {
            return new ObjectShape(type);
        }

        return new AnyShape();
    }
}
