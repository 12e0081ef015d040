namespace LbOperator.Sandbox.Printing;

/// <summary>Reads an Accept header to find whether the client wants a Table, and which version of it.</summary>
public static class TableNegotiation
{
    /// <summary>
    /// <c>v1</c> or <c>v1beta1</c> when the first acceptable media type naming <c>as=Table;g=meta.k8s.io</c> comes before
    /// any plain JSON; null when plain JSON is wanted.
    /// </summary>
    public static string? RequestedTableVersion(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return null;
        }

        foreach (var mediaRange in accept.Split(','))
        {
            var parts = mediaRange.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                continue;
            }

            var parameters = parts.Skip(1).Select(p => p.Split('=', 2)).Where(kv => kv.Length == 2)
                .ToDictionary(kv => kv[0].ToLowerInvariant(), kv => kv[1], StringComparer.Ordinal);
            var asKind = parameters.GetValueOrDefault("as");
            if (asKind is null)
            {
                if (parts[0] is "application/json" or "*/*" or "application/*")
                {
                    return null;
                }

                continue;
            }

            if (asKind == "Table" && parameters.GetValueOrDefault("g") == "meta.k8s.io"
                && parameters.GetValueOrDefault("v") is "v1" or "v1beta1")
            {
                return parameters["v"];
            }
        }

        return null;
    }
}
