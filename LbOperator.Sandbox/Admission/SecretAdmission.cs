using System.Text.Json;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// Secrets as kube-apiserver validates them (ValidateSecret, ValidateSecretUpdate): <c>type</c> defaults to Opaque and
/// is immutable, keys are config keys, the data together at most 1 MiB, typed Secrets carry their keys
/// (<c>kubernetes.io/tls</c> needs <c>tls.crt</c> and <c>tls.key</c>, ...), and <c>immutable: true</c> freezes data.
/// </summary>
public sealed class SecretAdmission : IAdmissionPlugin
{
    private static readonly string[] ImmutableFields = ["data"];

    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.Secrets;

    public void Admit(AdmissionContext context)
    {
        var secret = context.NewObject;
        if (Meta.AsString(secret["type"]) is null or "")
        {
            secret["type"] = "Opaque";
        }

        var type = Meta.AsString(secret["type"]);
        var errors = context.Errors;
        if (context.OldObject is { } old)
        {
            if ((Meta.AsString(old["type"]) ?? "Opaque") != type)
            {
                errors.Add(FieldError.Immutable("type", secret["type"]));
            }

            DataMaps.CheckImmutable(secret, old, ImmutableFields, errors);
        }

        var entries = DataMaps.Entries(secret["data"], base64: true);
        DataMaps.CheckKeys(entries, "data", errors);
        if (entries.Sum(e => e.Size) > DataMaps.MaxSize)
        {
            errors.Add(FieldError.TooLong("data", DataMaps.MaxSize));
        }

        var data = secret["data"] as JsonObject ?? [];
        switch (type)
        {
            case "kubernetes.io/service-account-token":
                // The token controller fills in the rest; only the account's name is required.
                if (Meta.AsString(secret["metadata"]?["annotations"]?["kubernetes.io/service-account.name"]) is null or "")
                {
                    errors.Add(FieldError.Required("metadata.annotations[kubernetes.io/service-account.name]"));
                }

                break;
            case "kubernetes.io/dockercfg":
                RequireJson(data, ".dockercfg", errors);
                break;
            case "kubernetes.io/dockerconfigjson":
                RequireJson(data, ".dockerconfigjson", errors);
                break;
            case "kubernetes.io/basic-auth":
                // Either may be empty, but one of the two must be there.
                if (!data.ContainsKey("username") && !data.ContainsKey("password"))
                {
                    errors.Add(FieldError.Required("data[username]"));
                    errors.Add(FieldError.Required("data[password]"));
                }

                break;
            case "kubernetes.io/ssh-auth":
                if (Meta.AsString(data["ssh-privatekey"]) is null or "")
                {
                    errors.Add(FieldError.Required("data[ssh-privatekey]"));
                }

                break;
            case "kubernetes.io/tls":
                foreach (var key in new[] { "tls.crt", "tls.key" })
                {
                    if (!data.ContainsKey(key))
                    {
                        errors.Add(FieldError.Required($"data[{key}]"));
                    }
                }

                break;
        }
    }

    /// <summary>The key must be there and hold a JSON object (the contents are never echoed).</summary>
    private static void RequireJson(JsonObject data, string key, List<FieldError> errors)
    {
        if (Meta.AsString(data[key]) is not { } encoded)
        {
            errors.Add(FieldError.Required($"data[{key}]"));
            return;
        }

        if (JsonObjectProblem(Convert.FromBase64String(encoded)) is { } problem)
        {
            errors.Add(FieldError.Invalid($"data[{key}]", "<secret contents redacted>", problem));
        }
    }

    /// <summary>Why the bytes are not a JSON object (or null), worded like Go's encoding/json where it can be.</summary>
    private static string? JsonObjectProblem(byte[] bytes)
    {
        var text = System.Text.Encoding.UTF8.GetString(bytes).Trim(' ', '\t', '\r', '\n');
        if (text.Length == 0)
        {
            return "unexpected end of JSON input";
        }

        if (!"{[\"-0123456789tfn".Contains(text[0], StringComparison.Ordinal))
        {
            return $"invalid character '{text[0]}' looking for beginning of value";
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var kind = document.RootElement.ValueKind switch
            {
                JsonValueKind.Object or JsonValueKind.Null => null,
                JsonValueKind.Array => "array",
                JsonValueKind.String => "string",
                JsonValueKind.Number => "number",
                _ => "bool",
            };
            return kind is null ? null : $"json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}";
        }
        catch (JsonException e)
        {
            return e.Message.Contains("end of", StringComparison.OrdinalIgnoreCase) ? "unexpected end of JSON input" : $"invalid JSON: {e.Message}";
        }
    }
}
