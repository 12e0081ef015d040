using System.Text.Json;
using System.Text.Json.Nodes;

namespace LbOperator.Sandbox.Api;

/// <summary>One validation failure, rendered as kube-apiserver renders field.Error.</summary>
public sealed record FieldError(FieldErrorType Type, string Field, JsonNode? Value, string Detail)
{
    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, null, detail);

    public static FieldError Invalid(string field, JsonNode? value, string detail) => new(FieldErrorType.Invalid, field, value?.DeepClone(), detail);

    public static FieldError Invalid(string field, string? value, string detail) => Invalid(field, value is null ? null : JsonValue.Create(value), detail);

    public static FieldError Immutable(string field, JsonNode? value) => Invalid(field, value, "field is immutable");

    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, null, detail);

    public static FieldError Duplicate(string field, JsonNode? value) => new(FieldErrorType.Duplicate, field, value?.DeepClone(), "");

    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new(FieldErrorType.NotSupported, field, value?.DeepClone(), "supported values: " + string.Join(", ", supported.Select(s => $"\"{s}\"")));

    public static FieldError TooLong(string field, int max) => new(FieldErrorType.TooLong, field, null, $"may not be more than {max} bytes");

    public static FieldError TooMany(string field, int actual, int max) => new(FieldErrorType.TooMany, field, JsonValue.Create(actual), $"must have at most {max} items");

    public static FieldError TypeInvalid(string field, JsonNode? value, string detail) => new(FieldErrorType.TypeInvalid, field, value?.DeepClone(), detail);

    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        _ => "FieldValueTypeInvalid",
    };

    /// <summary>The message without the field path: what kube-apiserver puts in a StatusCause.</summary>
    public string CauseMessage
    {
        get
        {
            var (title, showValue) = Type switch
            {
                FieldErrorType.Required => ("Required value", false),
                FieldErrorType.Forbidden => ("Forbidden", false),
                FieldErrorType.Duplicate => ("Duplicate value", true),
                FieldErrorType.NotSupported => ("Unsupported value", true),
                FieldErrorType.TooLong => ("Too long", false),
                FieldErrorType.TooMany => ("Too many", true),
                _ => ("Invalid value", true),
            };
            var text = showValue ? $"{title}: {Render(Value)}" : title;
            return Detail.Length == 0 ? text : $"{text}: {Detail}";
        }
    }

    public override string ToString() => $"{Field}: {CauseMessage}";

    private static string Render(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => GoQuote(v.GetValue<string>()),
        _ => value.ToJsonString(),
    };

    /// <summary>Go's <c>%q</c>: quotes, backslashes and control characters escaped, everything else as is.</summary>
    private static string GoQuote(string text)
    {
        var quoted = new System.Text.StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\v' => "\\v",
                < ' ' or '\u007f' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}

public enum FieldErrorType
{
    Required,
    Invalid,
    Forbidden,
    Duplicate,
    NotSupported,
    TooLong,
    TooMany,
    TypeInvalid,
}
