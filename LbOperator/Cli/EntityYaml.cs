using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace LbOperator.Cli;

/// <summary>
/// YAML for LbOperator's own entities (e.g. <see cref="Entities.V1Subnet"/>). KubernetesClient's KubernetesYaml maps
/// <c>[JsonPropertyName]</c> to YAML keys only for its own model types; for other types it camel-cases the C# name,
/// which turns <c>V4AvailableIPRange</c> into <c>v4AvailableIPRange</c> instead of Kube-OVN's <c>v4availableIPrange</c>.
/// Here every <c>[JsonPropertyName]</c> of both assemblies names the YAML key, so YAML and JSON agree.
/// </summary>
public static class EntityYaml
{
    private static readonly Lazy<IDeserializer> Deserializer = new(() =>
        WithJsonPropertyNames(new DeserializerBuilder())
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .IgnoreUnmatchedProperties()
            .Build());

    private static readonly Lazy<ISerializer> Serializer = new(() =>
        WithJsonPropertyNames(new SerializerBuilder())
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .DisableAliases()
            .ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull)
            .Build());

    public static T Deserialize<T>(string yaml) => Deserializer.Value.Deserialize<T>(yaml);

    public static string Serialize(object value) => Serializer.Value.Serialize(value);

    private static TBuilder WithJsonPropertyNames<TBuilder>(TBuilder builder)
        where TBuilder : BuilderSkeleton<TBuilder>
    {
        var types = typeof(V1ObjectMeta).Assembly.ExportedTypes.Where(t => t.Namespace == typeof(V1ObjectMeta).Namespace)
            .Concat(typeof(EntityYaml).Assembly.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false } || t.IsAbstract);
        foreach (var type in types)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is { } json)
                {
                    builder.WithAttributeOverride(type, property.Name,
                        new YamlMemberAttribute { Alias = json.Name, ApplyNamingConventions = false });
                }
            }
        }

        return builder;
    }
}
