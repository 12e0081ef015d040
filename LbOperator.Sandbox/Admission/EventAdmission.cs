using System.Text;
using System.Text.Json.Nodes;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Resources;

namespace LbOperator.Sandbox.Admission;

/// <summary>
/// Events as kube-apiserver validates them (ValidateEventCreate, ValidateEventUpdate). Every Event passes the legacy
/// rules: without <c>eventTime</c> its namespace matches the involved object's; with one it names its
/// reportingController, reportingInstance, action and reason. Through events.k8s.io/v1 the strict rules apply on
/// top: eventTime required, type Normal or Warning, the deprecated fields unset, a series of at least 2, and on
/// update most fields immutable. Field paths are those of the internal (core/v1) Event, as kube-apiserver reports them.
/// </summary>
public sealed class EventAdmission : IAdmissionPlugin
{
    private const int ReportingInstanceLengthLimit = 128;
    private const int ActionLengthLimit = 128;
    private const int ReasonLengthLimit = 128;
    private const int NoteLengthLimit = 1024;

    private static readonly string[] ImmutableOnUpdate =
    [
        "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count",
        "reason", "type", "eventTime", "action", "related", "reportingComponent", "reportingInstance",
    ];

    public bool AppliesTo(ResourceDescriptor descriptor) =>
        descriptor == BuiltInResources.Events || descriptor == BuiltInResources.EventsV1;

    public void Admit(AdmissionContext context)
    {
        var strict = context.Descriptor == BuiltInResources.EventsV1;
        var core = strict ? EventConversion.ToCoreV1(context.NewObject) : context.NewObject;
        var errors = context.Errors;
        Legacy(core, errors);
        if (!strict)
        {
            return;
        }

        if (context.OldObject is { } oldObject)
        {
            var old = EventConversion.ToCoreV1(oldObject);
            if (!Meta.JsonEquals(core["series"], old["series"]))
            {
                Series(core, errors);
            }

            foreach (var field in ImmutableOnUpdate)
            {
                if (!Meta.JsonEquals(core[field], old[field]))
                {
                    errors.Add(FieldError.Immutable(field == "reportingComponent" ? "reportingController" : field, core[field]));
                }
            }

            return;
        }

        Series(core, errors);
        if (IsZeroTime(core["eventTime"]))
        {
            errors.Add(FieldError.Required("eventTime"));
        }

        if (Text(core["type"]) is not ("Normal" or "Warning"))
        {
            errors.Add(FieldError.Invalid("type", "", $"has invalid value: {Text(core["type"])}"));
        }

        foreach (var field in new[] { "firstTimestamp", "lastTimestamp" })
        {
            if (!IsZeroTime(core[field]))
            {
                errors.Add(FieldError.Invalid(field, "", "needs to be unset"));
            }
        }

        if (Meta.AsInteger(core["count"]) is { } count && count != 0)
        {
            errors.Add(FieldError.Invalid("count", "", "needs to be unset"));
        }

        if (Text(core["source"]?["component"]).Length > 0 || Text(core["source"]?["host"]).Length > 0)
        {
            errors.Add(FieldError.Invalid("source", "", "needs to be unset"));
        }
    }

    private static void Legacy(JsonObject e, List<FieldError> errors)
    {
        var ns = Meta.Namespace(e) ?? "";
        var involvedNamespace = Text(e["involvedObject"]?["namespace"]);
        if (IsZeroTime(e["eventTime"]))
        {
            // Old-style Events: the namespace must agree with the involved object's ("default" for cluster objects).
            var agrees = involvedNamespace.Length == 0 ? ns is "" or "default" : ns == involvedNamespace;
            if (!agrees)
            {
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
            }
        }
        else
        {
            if (involvedNamespace.Length == 0 && ns is not ("default" or "kube-system"))
            {
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
            }

            var controller = Text(e["reportingComponent"]);
            if (controller.Length == 0)
            {
                errors.Add(FieldError.Required("reportingController"));
            }

            foreach (var problem in NameRules.QualifiedName(controller))
            {
                errors.Add(FieldError.Invalid("reportingController", controller, problem));
            }

            RequiredAndShort(e, "reportingInstance", ReportingInstanceLengthLimit, errors);
            RequiredAndShort(e, "action", ActionLengthLimit, errors);
            RequiredAndShort(e, "reason", ReasonLengthLimit, errors);
            if (Encoding.UTF8.GetByteCount(Text(e["message"])) > NoteLengthLimit)
            {
                errors.Add(FieldError.Invalid("message", "", $"can have at most {NoteLengthLimit} characters"));
            }
        }

        foreach (var problem in NameRules.Dns1123Subdomain(ns))
        {
            errors.Add(FieldError.Invalid("namespace", ns, problem));
        }
    }

    private static void RequiredAndShort(JsonObject e, string field, int limit, List<FieldError> errors)
    {
        var length = Encoding.UTF8.GetByteCount(Text(e[field]));
        if (length == 0)
        {
            errors.Add(FieldError.Required(field));
        }

        if (length > limit)
        {
            errors.Add(FieldError.Invalid(field, "", $"can have at most {limit} characters"));
        }
    }

    private static void Series(JsonObject e, List<FieldError> errors)
    {
        if (e["series"] is not JsonObject series)
        {
            return;
        }

        if ((Meta.AsInteger(series["count"]) ?? 0) < 2)
        {
            errors.Add(FieldError.Invalid("series.count", "", "should be at least 2"));
        }

        if (IsZeroTime(series["lastObservedTime"]))
        {
            errors.Add(FieldError.Required("series.lastObservedTime"));
        }
    }

    /// <summary>Unset, null or Go's zero time (decoding has already normalised MicroTimes).</summary>
    private static bool IsZeroTime(JsonNode? value) =>
        Meta.AsString(value) is not { Length: > 0 } text || text.StartsWith("0001-01-01T00:00:00", StringComparison.Ordinal);

    private static string Text(JsonNode? value) => Meta.AsString(value) ?? "";
}
