using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using Microsoft.AspNetCore.Http;

namespace LbOperator.Sandbox.Discovery;

/// <summary>
/// Serves <c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/apis/{group}</c>, <c>/api/v1</c> and <c>/apis/{group}/{version}</c>
/// from the live resource registry, so CRDs appear as soon as they are established.
/// </summary>
public sealed class DiscoveryEndpoint(Func<HttpContext, ResourceRegistry> registryOf) : ISandboxEndpoint
{
    public async Task<bool> TryHandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return false;
        }

        var segments = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not (["version"] or ["api"] or ["apis"] or ["api", _] or ["apis", _] or ["apis", _, _]))
        {
            return false;
        }

        var descriptors = registryOf(context).All;
        JsonObject? document = segments switch
        {
            ["version"] => DiscoveryDocuments.Version(),
            ["api"] => DiscoveryDocuments.CoreApiVersions($"{context.Request.Host}"),
            ["apis"] => DiscoveryDocuments.ApiGroupList(descriptors),
            ["api", var version] => descriptors.Any(d => d.Group.Length == 0 && d.Version == version)
                ? DiscoveryDocuments.ApiResourceList(version, descriptors)
                : null,
            ["apis", var group] => descriptors.Where(d => d.Group == group).Select(d => d.Version).ToList() is { Count: > 0 } versions
                ? DiscoveryDocuments.ApiGroup(group, versions)
                : null,
            ["apis", var group, var version] => descriptors.Any(d => d.Group == group && d.Version == version)
                ? DiscoveryDocuments.ApiResourceList($"{group}/{version}", descriptors)
                : null,
            _ => null,
        };
        await ApiHandler.WriteDocumentAsync(context, document);
        return true;
    }
}
