using System.Reflection;
using k8s.Models;
using LbOperator.Framework.Entities.Attributes;

namespace LbOperator.Framework.Transpilation;

/// <summary>
/// Applies a property's schema attributes to its mapped schema, refusing the combinations the API server would
/// refuse (a pattern on a number, item limits on a string, …) with a message naming the property.
/// </summary>
internal static class SchemaAttributes
{
    public static void Apply(PropertyInfo property, V1JSONSchemaProps schema, string where)
    {
        if (property.GetCustomAttribute<DescriptionAttribute>() is { } description)
        {
            schema.Description = description.Description;
        }

        // String constraints on a list of strings constrain each item.
        var text = schema is { Type: "array", Items: V1JSONSchemaProps { Type: "string" } itemSchema } ? itemSchema : schema;
        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern)
        {
            Expect(text, "string", "[Pattern]", where);
            text.Pattern = pattern.RegexPattern;
        }

        if (property.GetCustomAttribute<EnumValuesAttribute>() is { } values)
        {
            Expect(text, "string", "[EnumValues]", where);
            if (values.Values.Count == 0)
            {
                throw new TranspilationException($"{where}: [EnumValues] lists no value");
            }

            text.EnumProperty = [.. values.Values];
        }

        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            Expect(text, "string", "[Length]", where);
            text.MinLength = length.MinLength >= 0 ? length.MinLength : null;
            text.MaxLength = length.MaxLength >= 0 ? length.MaxLength : null;
            CheckBounds(text.MinLength, text.MaxLength, "[Length]", where);
        }

        if (property.GetCustomAttribute<ItemsAttribute>() is { } items)
        {
            Expect(schema, "array", "[Items]", where);
            schema.MinItems = items.MinItems >= 0 ? items.MinItems : null;
            schema.MaxItems = items.MaxItems >= 0 ? items.MaxItems : null;
            CheckBounds(schema.MinItems, schema.MaxItems, "[Items]", where);
        }

        if (property.GetCustomAttribute<RangeMinimumAttribute>() is { } minimum)
        {
            ExpectNumber(schema, "[RangeMinimum]", where);
            schema.Minimum = minimum.Minimum;
            schema.ExclusiveMinimum = minimum.ExclusiveMinimum ? true : null;
        }

        if (property.GetCustomAttribute<RangeMaximumAttribute>() is { } maximum)
        {
            ExpectNumber(schema, "[RangeMaximum]", where);
            schema.Maximum = maximum.Maximum;
            schema.ExclusiveMaximum = maximum.ExclusiveMaximum ? true : null;
        }

        if (schema.Minimum > schema.Maximum)
        {
            throw new TranspilationException($"{where}: minimum {schema.Minimum} is above maximum {schema.Maximum}");
        }

        if (property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null)
        {
            if (schema.Type is not (null or "object"))
            {
                throw new TranspilationException(
                    $"{where}: [PreserveUnknownFields] applies to objects, but the schema type is {schema.Type}");
            }

            schema.XKubernetesPreserveUnknownFields = true;
        }

        var rules = SchemaMapper.Rules(property.GetCustomAttributes<ValidationRuleAttribute>());
        if (rules is not null)
        {
            schema.XKubernetesValidations = [.. schema.XKubernetesValidations ?? [], .. rules];
        }
    }

    private static void Expect(V1JSONSchemaProps schema, string type, string attribute, string where)
    {
        if (schema.Type != type)
        {
            throw new TranspilationException(
                $"{where}: {attribute} applies to {type}s, but the schema type is {schema.Type ?? "untyped"}");
        }
    }

    private static void ExpectNumber(V1JSONSchemaProps schema, string attribute, string where)
    {
        if (schema.Type is not ("integer" or "number"))
        {
            throw new TranspilationException(
                $"{where}: {attribute} applies to integers and numbers, but the schema type is {schema.Type ?? "untyped"}");
        }
    }

    private static void CheckBounds(long? minimum, long? maximum, string attribute, string where)
    {
        if (minimum > maximum)
        {
            throw new TranspilationException($"{where}: {attribute} minimum {minimum} is above maximum {maximum}");
        }
    }
}
