using LbOperator.Sandbox.Admission;

namespace LbOperator.Sandbox.CustomResources;

/// <summary>Custom resources: pruned, defaulted and validated against their version's openAPIV3Schema.</summary>
public sealed class CustomResourceAdmission : IAdmissionPlugin
{
    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor.IsCustom;

    public void Admit(AdmissionContext context) =>
        SchemaValidator.Admit(context.NewObject, context.Descriptor.Schema!, context.Errors);
}
