using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>
/// Requests KubernetesClient cannot send as written (malformed base64 or timestamps, server-side apply) or whose
/// status code it hides, sent as raw HTTP to the sandbox.
/// </summary>
internal sealed class RawApi(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    public async Task<(HttpStatusCode Code, JsonObject Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    public Task<(HttpStatusCode Code, JsonObject Body)> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public void Dispose() => _http.Dispose();
}
