using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// Leases as kube-apiserver 1.32 takes them: <c>leaseDurationSeconds</c> above 0, <c>leaseTransitions</c> not
/// negative, and <c>strategy</c>/<c>preferredHolder</c> dropped because coordinated leader election is an alpha
/// feature that is off by default. The MicroTime fields are checked while decoding.
/// </summary>
public sealed class LeaseAdmission : IAdmissionPlugin
{
    public bool AppliesTo(ResourceDescriptor descriptor) => descriptor == BuiltInResources.Leases;

    public void Admit(AdmissionContext context)
    {
        if (context.NewObject["spec"] is not JsonObject spec)
        {
            return;
        }

        foreach (var gated in new[] { "strategy", "preferredHolder" })
        {
            if (context.OldObject?["spec"]?[gated] is null)
            {
                spec.Remove(gated);
            }
        }

        if (spec["leaseDurationSeconds"] is { } duration && Meta.AsInteger(duration) is <= 0)
        {
            context.Errors.Add(FieldError.Invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"));
        }

        if (spec["leaseTransitions"] is { } transitions && Meta.AsInteger(transitions) is < 0)
        {
            context.Errors.Add(FieldError.Invalid("spec.leaseTransitions", transitions, "must be greater than or equal to 0"));
        }
    }
}
