using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Storage;

namespace LbOperator.Sandbox.Admission;

public enum AdmissionOperation
{
    Create,
    Update,
}

/// <summary>
/// One write on its way into the store: plugins default fields of <see cref="NewObject"/> in place and add
/// <see cref="Errors"/>; any error fails the write with 422 Invalid. Runs inside the store's lock, so
/// <see cref="Store"/> reads are consistent with the write (allocation checks rely on that).
/// </summary>
public sealed class AdmissionContext(
    AdmissionOperation operation, ResourceDescriptor descriptor, JsonObject obj, JsonObject? oldObject, IStoreReader store, string subresource)
{
    public AdmissionOperation Operation { get; } = operation;

    public ResourceDescriptor Descriptor { get; } = descriptor;

    public JsonObject NewObject { get; } = obj;

    public JsonObject? OldObject { get; } = oldObject;

    public IStoreReader Store { get; } = store;

    /// <summary>Empty for the main resource, <c>status</c> for the status subresource.</summary>
    public string Subresource { get; } = subresource;

    public List<FieldError> Errors { get; } = [];

    public bool IsCreate => Operation == AdmissionOperation.Create;
}

/// <summary>Defaulting and validation for the kinds it handles, applied on create and update.</summary>
public interface IAdmissionPlugin
{
    bool AppliesTo(ResourceDescriptor descriptor);

    void Admit(AdmissionContext context);
}
