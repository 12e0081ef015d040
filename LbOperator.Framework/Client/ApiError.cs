using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace LbOperator.Framework.Client;

/// <summary>Reads the API server's error answers (a V1Status body) and classifies failures.</summary>
public static class ApiError
{
    /// <summary>The HTTP status of a failed API call (or of a watch ERROR event), if the exception carries one.</summary>
    public static HttpStatusCode? StatusCodeOf(Exception exception) => exception switch
    {
        HttpOperationException { Response: not null } http => http.Response.StatusCode,
        KubernetesException { Status.Code: { } code } => (HttpStatusCode)code,
        _ => null,
    };

    /// <summary>True when <paramref name="exception"/> is the answer <paramref name="code"/>.</summary>
    public static bool Is(this Exception exception, HttpStatusCode code) => StatusCodeOf(exception) == code;

    internal static V1Status? StatusOf(string content)
    {
        try
        {
            return content.Length == 0 ? null : KubernetesJson.Deserialize<V1Status>(content);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static string MessageOf(string content) =>
        StatusOf(content)?.Message is { Length: > 0 } message ? message : content.Length <= 200 ? content : content[..200];
}
