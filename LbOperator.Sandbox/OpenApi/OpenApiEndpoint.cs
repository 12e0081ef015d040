using LbOperator.Sandbox.Api;
using Microsoft.AspNetCore.Http;

namespace LbOperator.Sandbox.OpenApi;

/// <summary>
/// Serves <c>/openapi/v3</c> and <c>/openapi/v3/{api/v1|apis/group/version}</c>. OpenAPI v2 is not served: kubectl
/// uses v3 to learn that the server validates fields itself.
/// </summary>
public sealed class OpenApiEndpoint(Func<HttpContext, ResourceRegistry> registryOf) : ISandboxEndpoint
{
    private const string Prefix = "/openapi/v3";

    public async Task<bool> TryHandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsGet(context.Request.Method) || !path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var descriptors = registryOf(context).All;
        var rest = path[Prefix.Length..].Trim('/');
        var groupVersion = rest switch
        {
            "" => null,
            _ when rest.StartsWith("api/", StringComparison.Ordinal) => rest["api/".Length..],
            _ when rest.StartsWith("apis/", StringComparison.Ordinal) => rest["apis/".Length..],
            _ => "",
        };
        var document = groupVersion switch
        {
            null => OpenApiDocuments.Index(descriptors),
            _ when descriptors.Any(d => d.GroupVersion == groupVersion) => OpenApiDocuments.GroupVersion(groupVersion, descriptors),
            _ => null,
        };
        if (document is not null && groupVersion is not null && context.Request.Query.ContainsKey("hash"))
        {
            context.Response.Headers.CacheControl = "public, immutable";
        }

        await ApiHandler.WriteDocumentAsync(context, document);
        return true;
    }
}
