using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Entities.Attributes;

namespace LbOperator.Framework.Transpilation;

/// <summary>
/// Maps one entity type to a structural OpenAPI v3 schema and collects the printer columns declared on its
/// properties on the way. One instance per entity: it remembers the classes being mapped (to refuse cycles) and the
/// columns found.
/// </summary>
internal sealed class SchemaMapper
{
    private static readonly HashSet<string> RootPropertiesLeftOut = ["apiVersion", "kind", "metadata"];
    private static readonly Assembly KubernetesModels = typeof(V1ObjectMeta).Assembly;

    private readonly NullabilityInfoContext nullability = new();
    private readonly Stack<Type> classesInProgress = new();
    private readonly List<V1CustomResourceColumnDefinition> columns = [];

    /// <summary>Printer columns from <see cref="AdditionalPrinterColumnAttribute"/>, in schema order.</summary>
    public IReadOnlyList<V1CustomResourceColumnDefinition> PropertyColumns => columns;

    public V1JSONSchemaProps MapEntity(Type entityType)
    {
        var schema = MapClass(entityType, jsonPath: string.Empty, insideArray: false, isRoot: true);
        var spec = entityType.GetProperty("Spec");
        if (spec is not null && IsRequiredSpec(spec.PropertyType))
        {
            schema.Required = [.. (schema.Required ?? []).Append("spec").Distinct().Order(StringComparer.Ordinal)];
        }

        return schema;
    }

    /// <summary>The JSON name of a property, as System.Text.Json writes it for the client.</summary>
    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);

    private static bool IsRequiredSpec(Type specType) =>
        specType.GetCustomAttribute<RequiredAttribute>() is not null
        || SchemaProperties(specType).Any(p => p.GetCustomAttribute<RequiredAttribute>() is not null);

    private static IEnumerable<PropertyInfo> SchemaProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is not null)
            .Where(p => p.GetCustomAttribute<IgnoreAttribute>() is null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Where(p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is null);

    /// <summary>
    /// A class that catches undeclared JSON fields in <c>[JsonExtensionData]</c> is built to keep them, so its schema
    /// keeps them too: otherwise the API server would prune what the class carefully round-trips.
    /// </summary>
    private static bool KeepsUnknownFields(Type type) =>
        type.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null
        || type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetCustomAttribute<JsonExtensionDataAttribute>() is not null);

    private V1JSONSchemaProps MapClass(Type type, string jsonPath, bool insideArray, bool isRoot)
    {
        if (classesInProgress.Contains(type))
        {
            throw new TranspilationException(
                $"type {type.FullName} contains itself (through {string.Join(" -> ", classesInProgress.Reverse().Select(t => t.Name))}); " +
                "a CRD schema cannot be recursive: mark the property [PreserveUnknownFields] or [Ignore]");
        }

        classesInProgress.Push(type);
        var properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new List<string>();
        var named = SchemaProperties(type)
            .Select(p => (Property: p, Name: JsonName(p)))
            .Where(p => !isRoot || !RootPropertiesLeftOut.Contains(p.Name))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        foreach (var duplicate in named.GroupBy(p => p.Name).Where(g => g.Count() > 1))
        {
            throw new TranspilationException(
                $"type {type.FullName}: properties {string.Join(", ", duplicate.Select(p => p.Property.Name))} share the JSON name \"{duplicate.Key}\"");
        }

        foreach (var (property, name) in named)
        {
            properties[name] = MapProperty(property, $"{jsonPath}.{name}", insideArray);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                required.Add(name);
            }
        }

        classesInProgress.Pop();
        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = type.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Properties = properties.Count > 0 ? properties : null,
            Required = required.Count > 0 ? required : null,
        };
        if (KeepsUnknownFields(type))
        {
            schema.XKubernetesPreserveUnknownFields = true;
        }

        schema.XKubernetesValidations = Rules(type.GetCustomAttributes<ValidationRuleAttribute>());
        return schema;
    }

    private V1JSONSchemaProps MapProperty(PropertyInfo property, string jsonPath, bool insideArray)
    {
        var where = $"property {property.DeclaringType?.FullName}.{property.Name}";
        V1JSONSchemaProps schema;
        if (property.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null && IsClassLike(property.PropertyType)
            && classesInProgress.Contains(property.PropertyType))
        {
            // A recursive type marked to be kept as it is: an open object instead of an endless schema.
            schema = new V1JSONSchemaProps { Type = "object" };
        }
        else
        {
            schema = MapType(property.PropertyType, jsonPath, insideArray, where);
        }

        // A required field is there with a value; only optional ones may be written as null.
        if (IsNullable(property) && property.GetCustomAttribute<RequiredAttribute>() is null)
        {
            schema.Nullable = true;
        }

        SchemaAttributes.Apply(property, schema, where);
        var column = property.GetCustomAttribute<AdditionalPrinterColumnAttribute>();
        if (column is not null)
        {
            if (insideArray)
            {
                throw new TranspilationException(
                    $"{where}: [AdditionalPrinterColumn] cannot show a field inside a list; use [GenericAdditionalPrinterColumn] on the entity with an explicit JSON path");
            }

            columns.Add(new V1CustomResourceColumnDefinition
            {
                Name = column.Name ?? property.Name,
                JsonPath = jsonPath,
                Type = PrinterColumnType(schema),
                Description = property.GetCustomAttribute<DescriptionAttribute>()?.Description,
                Priority = column.Priority == PrinterColumnPriority.WideView ? 1 : null,
            });
        }

        return schema;
    }

    private V1JSONSchemaProps MapType(Type type, string jsonPath, bool insideArray, string where)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return MapType(underlying, jsonPath, insideArray, where);
        }

        if (ValueSchema(type) is { } value)
        {
            return value;
        }

        if (type.IsEnum)
        {
            return new V1JSONSchemaProps { Type = "string", EnumProperty = [.. EnumNames(type)] };
        }

        if (type == typeof(object) || type == typeof(JsonElement) || type == typeof(JsonNode))
        {
            return new V1JSONSchemaProps { XKubernetesPreserveUnknownFields = true };
        }

        if (type == typeof(JsonObject) || type == typeof(V1ObjectMeta))
        {
            return new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = type == typeof(JsonObject) ? true : null };
        }

        if (type.Assembly == KubernetesModels && typeof(IKubernetesObject).IsAssignableFrom(type) && !type.IsAbstract)
        {
            return new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true, XKubernetesEmbeddedResource = true };
        }

        if (DictionaryValueType(type) is { } valueType)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = MapType(valueType, jsonPath, insideArray: true, where) };
        }

        if (typeof(IDictionary).IsAssignableFrom(type))
        {
            return new V1JSONSchemaProps { Type = "object", XKubernetesPreserveUnknownFields = true };
        }

        if (EnumerableItemType(type) is { } itemType)
        {
            return new V1JSONSchemaProps { Type = "array", Items = MapType(itemType, jsonPath, insideArray: true, where) };
        }

        if (IsClassLike(type))
        {
            return MapClass(type, jsonPath, insideArray, isRoot: false);
        }

        throw new TranspilationException(
            $"{where}: type {type.FullName} has no schema mapping; use a string, number, bool, enum, list, dictionary or class, or [Ignore] the property");
    }

    private static V1JSONSchemaProps? ValueSchema(Type type) => type switch
    {
        _ when type == typeof(string) => new() { Type = "string" },
        _ when type == typeof(bool) => new() { Type = "boolean" },
        _ when type == typeof(int) || type == typeof(short) || type == typeof(byte) || type == typeof(sbyte) || type == typeof(ushort)
            => new() { Type = "integer", Format = "int32" },
        _ when type == typeof(long) || type == typeof(uint) => new() { Type = "integer", Format = "int64" },
        _ when type == typeof(float) => new() { Type = "number", Format = "float" },
        _ when type == typeof(double) => new() { Type = "number", Format = "double" },
        // "decimal" is no format the API server knows; the number itself is what matters.
        _ when type == typeof(decimal) => new() { Type = "number" },
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => new() { Type = "string", Format = "date-time" },
        _ when type == typeof(Guid) => new() { Type = "string", Format = "uuid" },
        // Quantities ("100m", "1Gi") and int-or-string values are written either way by users.
        _ when type == typeof(IntOrString) || type == typeof(ResourceQuantity) => new() { XKubernetesIntOrString = true },
        _ => null,
    };

    private static IEnumerable<string> EnumNames(Type enumType) =>
        enumType.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name);

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = Implemented(type, typeof(IDictionary<,>)) ?? Implemented(type, typeof(IReadOnlyDictionary<,>));
        if (dictionary is not null)
        {
            return dictionary.GetGenericArguments()[0] == typeof(string)
                ? dictionary.GetGenericArguments()[1]
                : throw new TranspilationException($"type {type} is a dictionary with non-string keys; JSON object keys are strings");
        }

        var pairs = Implemented(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return pairs is { IsGenericType: true } && pairs.GetGenericTypeDefinition() == typeof(KeyValuePair<,>)
            && pairs.GetGenericArguments()[0] == typeof(string)
            ? pairs.GetGenericArguments()[1]
            : null;
    }

    private static Type? EnumerableItemType(Type type) =>
        type == typeof(string) ? null : type.IsArray ? type.GetElementType() : Implemented(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Type? Implemented(Type type, Type genericInterface) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == genericInterface
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == genericInterface);

    private static bool IsClassLike(Type type) =>
        (type.IsClass || (type.IsValueType && !type.IsPrimitive && !type.IsEnum)) && type != typeof(string);

    private bool IsNullable(PropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null
        || (!property.PropertyType.IsValueType && nullability.Create(property).ReadState == NullabilityState.Nullable);

    private static string PrinterColumnType(V1JSONSchemaProps schema) => schema switch
    {
        { Type: "string", Format: "date-time" } => "date",
        { Type: "string" or "integer" or "number" or "boolean" } => schema.Type,
        // Lists and objects print as JSON text, as kubectl does for Kube-OVN's excludeIps column.
        _ => "string",
    };

    internal static IList<V1ValidationRule>? Rules(IEnumerable<ValidationRuleAttribute> attributes)
    {
        var rules = attributes.Select(a => new V1ValidationRule
        {
            Rule = a.Rule,
            FieldPath = a.FieldPath,
            Message = a.Message,
            MessageExpression = a.MessageExpression,
            Reason = a.Reason,
        }).ToList();
        return rules.Count > 0 ? rules : null;
    }
}
