using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// ConfigMaps as kube-apiserver validates them (ValidateConfigMap, ValidateConfigMapUpdate): keys of <c>data</c> and
/// <c>binaryData</c> are config keys and unique across both, everything together at most 1 MiB, and
/// <c>immutable: true</c> freezes both maps.
/// </summary>
public sealed class ConfigMapAdmission : IAdmissionPlugin
{
    private static readonly string[] ImmutableFields = ["data", "binaryData"];

    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.ConfigMaps;

    public void Admit(AdmissionContext context)
    {
        var configMap = context.NewObject;
        var errors = context.Errors;
        DataMaps.CheckImmutable(configMap, context.OldObject, ImmutableFields, errors);

        var data = DataMaps.Entries(configMap["data"], base64: false);
        var binary = DataMaps.Entries(configMap["binaryData"], base64: true);
        var binaryKeys = binary.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in data)
        {
            DataMaps.CheckKeys([entry], "data", errors);
            if (binaryKeys.Contains(entry.Key))
            {
                errors.Add(FieldError.Invalid($"data[{entry.Key}]", entry.Key, "duplicate of key present in binaryData"));
            }
        }

        DataMaps.CheckKeys(binary, "binaryData", errors);
        if (data.Concat(binary).Sum(e => e.Size) > DataMaps.MaxSize)
        {
            // kube-apiserver names no field: the limit is the whole object's.
            errors.Add(FieldError.TooLong("", DataMaps.MaxSize));
        }
    }
}
