using k8s.Models;
using LbOperator.Framework.Watcher;

namespace LbOperator.Controllers;

/// <summary>
/// What the operator keeps of a gateway Deployment in its cache: everything but the pod spec, which it replaces with
/// the <see cref="GatewayDrift.Digest"/> of the whole Deployment spec. The pod spec carries the gateway's scripts and
/// is most of the Deployment's size (about 13 of 14 KB); a reconcile only needs to know whether it still equals what
/// the builder makes, and reads the Deployment once from the API server when it does not (to name what changed and to
/// restore it from the current object).
/// </summary>
public static class GatewayCache
{
    /// <summary>
    /// Where the cached copy holds the digest: a pod-template annotation, which exists only in the operator's memory
    /// (a restore replaces the whole template with the builder's, so it is never written back).
    /// </summary>
    public const string SpecDigestAnnotation = "lboperator.io/cached-spec-digest";

    public static EntityCacheTransform<V1Deployment> Transform { get; } = new("gateway-pod-spec-digest", Trim);

    /// <summary>The digest of the Deployment's spec: the one the cache kept, or one taken from the whole spec.</summary>
    public static string SpecDigestOf(V1Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return IsTrimmed(deployment, out var digest) ? digest : GatewayDrift.Digest(deployment.Spec);
    }

    /// <summary>
    /// True when <paramref name="deployment"/> is a cached copy, whose pod spec was replaced by its digest. The
    /// annotation alone proves nothing (anyone who may edit the Deployment may set it); a pod without containers is
    /// one the API server never accepts, so only the cache makes it.
    /// </summary>
    public static bool IsTrimmed(V1Deployment deployment) => IsTrimmed(deployment, out _);

    private static bool IsTrimmed(V1Deployment deployment, out string digest)
    {
        digest = string.Empty;
        var template = deployment.Spec?.Template;
        return template?.Spec?.Containers is not { Count: > 0 }
            && template?.Metadata?.Annotations?.TryGetValue(SpecDigestAnnotation, out digest!) == true;
    }

    // The digest is taken from the spec as delivered, whatever annotation it carries (a copy already trimmed stays as it
    // is). The API server raises metadata.generation with every change of a Deployment's spec and no one else can set
    // it, so a new version of the same generation (a status update, a label) keeps the digest the cache has.
    private static void Trim(V1Deployment deployment, V1Deployment? kept)
    {
        var template = deployment.Spec?.Template;
        if (template is null || IsTrimmed(deployment))
        {
            return;
        }

        var digest = kept is not null && IsTrimmed(kept, out var keptDigest)
            && kept.Metadata.Uid == deployment.Metadata.Uid && kept.Metadata.Generation is { } generation && generation == deployment.Metadata.Generation
            ? keptDigest
            : GatewayDrift.Digest(deployment.Spec);
        template.Spec = new V1PodSpec { Containers = [] };
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Annotations ??= new Dictionary<string, string>();
        template.Metadata.Annotations[SpecDigestAnnotation] = digest;
    }
}
