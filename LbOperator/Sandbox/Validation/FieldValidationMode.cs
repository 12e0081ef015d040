namespace LbOperator.Sandbox.Validation;

/// <summary>The <c>fieldValidation</c> query parameter of create, update and patch requests.</summary>
public enum FieldValidationMode
{
    /// <summary>Drop unknown fields silently.</summary>
    Ignore,

    /// <summary>Drop unknown fields and report each in a <c>Warning</c> response header (the server default).</summary>
    Warn,

    /// <summary>Reject the request when it has unknown or duplicate fields.</summary>
    Strict,
}

public static class FieldValidationModes
{
    /// <summary>Parses the query parameter; absent means <see cref="FieldValidationMode.Warn"/>, as in kube-apiserver.</summary>
    /// <exception cref="ArgumentException">The value is not Ignore, Warn or Strict.</exception>
    public static FieldValidationMode Parse(string? value) => value switch
    {
        null or "" => FieldValidationMode.Warn,
        _ when value.Equals("Strict", StringComparison.OrdinalIgnoreCase) => FieldValidationMode.Strict,
        _ when value.Equals("Warn", StringComparison.OrdinalIgnoreCase) => FieldValidationMode.Warn,
        _ when value.Equals("Ignore", StringComparison.OrdinalIgnoreCase) => FieldValidationMode.Ignore,
        _ => throw new ArgumentException(
            $"invalid fieldValidation directive \"{value}\": accepted values are Ignore, Warn and Strict", nameof(value)),
    };
}
