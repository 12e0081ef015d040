using System.Net;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>Events as kube-apiserver validates them: legacy rules for every Event, strict ones through events.k8s.io/v1.</summary>
[Category("Sandbox")]
public sealed class EventsV1Tests : SandboxTestBase
{
    // A fraction, because KubernetesClient writes whole seconds in a form MicroTime refuses.
    private static readonly DateTime Now = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc).AddTicks(5_000);

    private Eventsv1Event Event(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        EventTime = Now,
        ReportingController = "example.com/controller",
        ReportingInstance = "controller-0",
        Action = "Reconcile",
        Reason = "Synced",
        Note = "all good",
        Type = "Normal",
        Regarding = new V1ObjectReference { Kind = "ConfigMap", Name = "cm", NamespaceProperty = Ns },
    };

    [Test]
    public async Task A_Complete_Event_Is_Accepted_And_Read_Back_In_Both_Versions()
    {
        var created = await Client.EventsV1.CreateNamespacedEventAsync(Event("e"), Ns);

        created.EventTime.Should().Be(Now);
        var core = await Client.CoreV1.ReadNamespacedEventAsync("e", Ns);
        core.ReportingComponent.Should().Be("example.com/controller");
        core.Message.Should().Be("all good");
    }

    [Test]
    public async Task The_Reporting_Fields_Action_And_Reason_Are_Required()
    {
        var incomplete = Event("e");
        incomplete.ReportingController = null;
        incomplete.ReportingInstance = null;
        incomplete.Action = null;
        incomplete.Reason = null;

        var e = await Fails(() => Client.EventsV1.CreateNamespacedEventAsync(incomplete, Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        CrudTests.Status(e).Details.Causes.Select(c => (c.Field, c.Message)).Should().Equal(
            ("reportingController", "Required value"),
            ("reportingController", "Invalid value: \"\": name part must be non-empty"),
            ("reportingController", "Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
            ("reportingInstance", "Required value"),
            ("action", "Required value"),
            ("reason", "Required value"));
    }

    [Test]
    public async Task EventTime_Is_Required()
    {
        var untimed = Event("e");
        untimed.EventTime = null;

        var e = await Fails(() => Client.EventsV1.CreateNamespacedEventAsync(untimed, Ns));

        // Without eventTime the legacy rules apply (the namespaces agree), then the strict one fails.
        CrudTests.Status(e).Details.Causes.Should().ContainSingle().Which.Field.Should().Be("eventTime");
    }

    [Test]
    public async Task The_Type_Must_Be_Normal_Or_Warning_And_Deprecated_Fields_Unset()
    {
        var odd = Event("e");
        odd.Type = "Info";
        odd.DeprecatedCount = 3;
        odd.DeprecatedSource = new V1EventSource { Component = "old" };
        odd.Series = new Eventsv1EventSeries { Count = 1, LastObservedTime = Now };

        var e = await Fails(() => Client.EventsV1.CreateNamespacedEventAsync(odd, Ns));

        CrudTests.Status(e).Details.Causes.Select(c => (c.Field, c.Message)).Should().Equal(
            ("series.count", "Invalid value: \"\": should be at least 2"),
            ("type", "Invalid value: \"\": has invalid value: Info"),
            ("count", "Invalid value: \"\": needs to be unset"),
            ("source", "Invalid value: \"\": needs to be unset"));
    }

    [Test]
    public async Task Most_Fields_Are_Immutable_Through_EventsV1()
    {
        var created = await Client.EventsV1.CreateNamespacedEventAsync(Event("e"), Ns);
        created.Note = "changed";
        created.Series = new Eventsv1EventSeries { Count = 2, LastObservedTime = Now.AddSeconds(1) };

        var e = await Fails(() => Client.EventsV1.ReplaceNamespacedEventAsync(created, "e", Ns));

        CrudTests.Status(e).Details.Causes.Should().ContainSingle().Which.Message.Should().Be("Invalid value: \"changed\": field is immutable");
        created.Note = "all good";
        (await Client.EventsV1.ReplaceNamespacedEventAsync(created, "e", Ns)).Series.Count.Should().Be(2);
    }

    [Test]
    public async Task A_Core_Event_With_An_EventTime_Needs_The_Reporting_Fields_Too()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "e" },
            InvolvedObject = new V1ObjectReference { Kind = "ConfigMap", Name = "cm", NamespaceProperty = Ns },
            EventTime = Now,
            Reason = "Synced",
        }, Ns));

        CrudTests.Status(e).Details.Causes.Select(c => c.Field).Distinct().Should().Equal("reportingController", "reportingInstance", "action");
    }

    [Test]
    public async Task A_Core_Event_Without_An_EventTime_Must_Agree_On_The_Namespace()
    {
        var e = await Fails(() => Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "e" },
            InvolvedObject = new V1ObjectReference { Kind = "ConfigMap", Name = "cm", NamespaceProperty = "elsewhere" },
            Reason = "Synced",
        }, Ns));

        CrudTests.Status(e).Details.Causes.Should().ContainSingle().Which.Message.Should().Be("Invalid value: \"elsewhere\": does not match event.namespace");
    }
}
