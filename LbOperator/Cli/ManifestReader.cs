using System.Reflection;
using k8s;
using k8s.Models;
using LbOperator.Entities;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LbOperator.Cli;

/// <summary>A kind the reader turns into a typed object, e.g. <c>kubeovn.io/v1 Subnet</c> → <see cref="V1Subnet"/>.</summary>
public sealed record ManifestKind(string ApiVersion, string Kind, Func<string, IKubernetesObject> Deserialize)
{
    /// <summary>The kind of <typeparamref name="T"/>, read from its <see cref="KubernetesEntityAttribute"/>.</summary>
    public static ManifestKind Of<T>()
        where T : IKubernetesObject
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} has no [KubernetesEntity] attribute");
        var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        // KubernetesClient's own models read best with its own YAML rules (IntOrString, quantities); ours need EntityYaml.
        return typeof(T).Assembly == typeof(V1ObjectMeta).Assembly
            ? new ManifestKind(apiVersion, entity.Kind, yaml => KubernetesYaml.Deserialize<T>(yaml))
            : new ManifestKind(apiVersion, entity.Kind, yaml => EntityYaml.Deserialize<T>(yaml));
    }
}

/// <summary>
/// One YAML document of a manifest file. <see cref="Entity"/> is the typed object when the kind is known and the
/// document could be read; otherwise it is null and <see cref="ReadError"/> says why (null for unknown kinds).
/// </summary>
public sealed record Manifest(
    string Source,
    int Document,
    string ApiVersion,
    string Kind,
    string? Namespace,
    string? Name,
    IKubernetesObject? Entity,
    string? ReadError)
{
    /// <summary><c>kind namespace/name</c> or <c>kind name</c>, the way the CLI names objects in its messages.</summary>
    public string DisplayName => Namespace is null ? $"{Kind} {Name ?? "<unnamed>"}" : $"{Kind} {Namespace}/{Name ?? "<unnamed>"}";
}

/// <summary>
/// Reads manifest files (several YAML documents each, <c>---</c>-separated) into typed Kubernetes objects using
/// KubernetesClient's YAML rules. Unknown kinds are returned untyped rather than rejected, so that a file mixing
/// a NetworkAttachmentDefinition, a Subnet and a Service can be read whole.
/// </summary>
public sealed class ManifestReader(IEnumerable<ManifestKind> kinds)
{
    private readonly Dictionary<(string ApiVersion, string Kind), ManifestKind> _kinds =
        kinds.ToDictionary(k => (k.ApiVersion, k.Kind));

    /// <summary>Subnets, Services, NetworkAttachmentDefinitions and Deployments: what LbOperator's commands read.</summary>
    public static ManifestReader Default { get; } = new(
    [
        ManifestKind.Of<V1Subnet>(),
        ManifestKind.Of<V1NetworkAttachmentDefinition>(),
        ManifestKind.Of<V1Service>(),
        ManifestKind.Of<V1Deployment>(),
    ]);

    /// <summary>Reads every document of every file, in order. A missing file or invalid YAML is a <see cref="CliException"/>.</summary>
    public IReadOnlyList<Manifest> ReadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var manifests = new List<Manifest>();
        foreach (var path in paths)
        {
            string content;
            try
            {
                content = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot read {path}: {e.Message}");
            }

            manifests.AddRange(Read(content, path));
        }

        return manifests;
    }

    /// <summary>Reads the documents of one file's <paramref name="content"/>; <paramref name="source"/> names it in messages.</summary>
    public IReadOnlyList<Manifest> Read(string content, string source)
    {
        ArgumentNullException.ThrowIfNull(content);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlException e)
        {
            throw new CliException($"{source}: not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }

        var manifests = new List<Manifest>();
        var index = 0;
        foreach (var document in stream.Documents)
        {
            index++;
            if (document.RootNode is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (document.RootNode is not YamlMappingNode root)
            {
                throw new CliException($"{source}: document {index} is not a Kubernetes object (expected a mapping with apiVersion and kind)");
            }

            manifests.Add(ReadDocument(root, source, index));
        }

        return manifests;
    }

    private Manifest ReadDocument(YamlMappingNode root, string source, int index)
    {
        var apiVersion = Scalar(root, "apiVersion") ?? "";
        var kind = Scalar(root, "kind") ?? "";
        var metadata = root.Children.TryGetValue(new YamlScalarNode("metadata"), out var node) ? node as YamlMappingNode : null;
        var name = metadata is null ? null : Scalar(metadata, "name");
        var ns = metadata is null ? null : Scalar(metadata, "namespace");
        if (!_kinds.TryGetValue((apiVersion, kind), out var known))
        {
            return new Manifest(source, index, apiVersion, kind, ns, name, null, null);
        }

        var text = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(text, assignAnchors: false);
        try
        {
            return new Manifest(source, index, apiVersion, kind, ns, name, known.Deserialize(text.ToString()), null);
        }
        catch (YamlException e)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            return new Manifest(source, index, apiVersion, kind, ns, name, null,
                $"cannot be read as {apiVersion} {kind} ({source}, document {index}): {reason}");
        }
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
