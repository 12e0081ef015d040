using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LbOperator.Sandbox.Api;

/// <summary>
/// Serves a path outside the resource API (discovery, OpenAPI, health, test hooks). Endpoints are asked in order
/// before resource routing; the first that returns true has answered the request.
/// </summary>
public interface ISandboxEndpoint
{
    Task<bool> TryHandleAsync(HttpContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Turns a get/list answer into another representation the client asked for through Accept (e.g. a Table).
/// Returns null to send the object as it is.
/// </summary>
public interface IResponseRenderer
{
    JsonObject? Render(HttpRequest request, ResourceDescriptor descriptor, JsonObject body);
}

/// <summary>Applies an <c>application/strategic-merge-patch+json</c> patch to a built-in kind.</summary>
public interface IStrategicMergePatcher
{
    /// <summary>Returns the patched object; throws <see cref="ApiException"/> for a malformed patch.</summary>
    JsonObject Apply(ResourceDescriptor descriptor, JsonObject original, JsonObject patch);
}

/// <summary>
/// Checks a request body for unknown or duplicate fields (<c>fieldValidation=Strict|Warn|Ignore</c>). Throws a
/// 400 <see cref="ApiException"/> in Strict mode; returns the warnings to send in Warn mode.
/// </summary>
public interface IFieldValidator
{
    /// <param name="rawBody">The request body as sent (an object for create/update, the patch for a patch).</param>
    /// <param name="patchContentType">The patch media type, or null for a create or update.</param>
    IReadOnlyList<string> Validate(ResourceDescriptor descriptor, string rawBody, string? patchContentType, FieldValidationMode mode);
}

public enum FieldValidationMode
{
    Ignore,
    Warn,
    Strict,
}

/// <summary>The pieces a composer may plug into the sandbox's request pipeline.</summary>
public sealed record SandboxExtensions
{
    public IReadOnlyList<ISandboxEndpoint> Endpoints { get; init; } = [];

    public IResponseRenderer? Renderer { get; init; }

    public IStrategicMergePatcher? StrategicMergePatcher { get; init; }

    public IFieldValidator? FieldValidator { get; init; }
}
