namespace LbOperator.Sandbox.Api;

/// <summary>A request path resolved to a resource: <c>/api/v1/namespaces/x/services/y/status</c> and the like.</summary>
public sealed record ApiRequest(ResourceDescriptor Descriptor, string? Namespace, string? Name, string Subresource, bool LegacyWatch)
{
    /// <summary>Resolves a path; null when it names no served resource.</summary>
    public static ApiRequest? Parse(string path, ResourceRegistry registry)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        int rest;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var tail = segments[rest..];
        var legacyWatch = tail is ["watch", _, ..];
        if (legacyWatch)
        {
            tail = tail[1..];
        }

        if (tail is ["namespaces", var ns, var plural, ..] && registry.Find(group, version, plural) is { Namespaced: true } namespaced)
        {
            return tail.Length switch
            {
                3 => new ApiRequest(namespaced, ns, null, "", legacyWatch),
                4 => new ApiRequest(namespaced, ns, tail[3], "", legacyWatch),
                5 => new ApiRequest(namespaced, ns, tail[3], tail[4], legacyWatch),
                _ => null,
            };
        }

        if (registry.Find(group, version, tail[0]) is not { } descriptor)
        {
            return null;
        }

        return tail.Length switch
        {
            1 => new ApiRequest(descriptor, null, null, "", legacyWatch),
            2 when !descriptor.Namespaced => new ApiRequest(descriptor, null, tail[1], "", legacyWatch),
            3 when !descriptor.Namespaced => new ApiRequest(descriptor, null, tail[1], tail[2], legacyWatch),
            _ => null,
        };
    }
}
