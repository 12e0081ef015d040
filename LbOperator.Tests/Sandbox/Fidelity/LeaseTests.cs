using System.Net;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Fidelity;

/// <summary>Leases: MicroTime fields parsed and answered as kube-apiserver does, durations validated.</summary>
[Category("Sandbox")]
public sealed class LeaseTests : SandboxTestBase
{
    private RawApi _raw = null!;

    [OneTimeSetUp]
    public void CreateRawApi() => _raw = new RawApi(Sandbox.BaseAddress);

    [OneTimeTearDown]
    public void DisposeRawApi() => _raw.Dispose();

    private string LeasesPath => $"/apis/coordination.k8s.io/v1/namespaces/{Ns}/leases";

    private static string Lease(string name, string renewTime) =>
        $$$"""{"metadata":{"name":"{{{name}}}"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15,"renewTime":"{{{renewTime}}}"}}""";

    [Test]
    public async Task Times_Come_Back_In_Utc_With_Six_Digits()
    {
        var (code, body) = await _raw.PostAsync(LeasesPath, Lease("l", "2024-05-01T12:00:00.500000+02:00"));

        code.Should().Be(HttpStatusCode.Created);
        body["spec"]!["renewTime"]!.GetValue<string>().Should().Be("2024-05-01T10:00:00.500000Z");
    }

    [Test]
    public async Task A_Time_Through_KubernetesClient_Round_Trips_To_The_Microsecond()
    {
        var renew = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc).AddTicks(1_234_560);
        var created = await Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", RenewTime = renew, AcquireTime = renew },
        }, Ns);

        created.Spec.RenewTime.Should().Be(renew);
        var (_, raw) = await _raw.SendAsync(HttpMethod.Get, $"{LeasesPath}/l");
        raw["spec"]!["acquireTime"]!.GetValue<string>().Should().Be("2024-05-01T10:00:00.123456Z");
    }

    [TestCase("2024-05-01T10:00:00.123456", "cannot parse \"\" as \"Z07:00\"")]
    [TestCase("2024-05-01T10:00:00Z", "cannot parse \"Z\" as \".000000\"")]
    [TestCase("2024-05-01T10:00:00.123Z", "cannot parse \".123Z\" as \".000000\"")]
    public async Task A_Time_Kube_Apiserver_Cannot_Parse_Is_A_Bad_Request(string renewTime, string why)
    {
        var (code, body) = await _raw.PostAsync(LeasesPath, Lease("l", renewTime));

        code.Should().Be(HttpStatusCode.BadRequest);
        body["message"]!.GetValue<string>().Should().Be(
            $"Lease in version \"v1\" cannot be handled as a Lease: parsing time \"{renewTime}\" as \"2006-01-02T15:04:05.000000Z07:00\": {why}");
    }

    [Test]
    public async Task KubernetesClients_Whole_Second_Form_Is_Refused_As_Kube_Apiserver_Refuses_It()
    {
        // KubernetesClient writes a DateTime without a fraction as "...:00Z", which MicroTime cannot parse.
        var e = await Fails(() => Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l" },
            Spec = new V1LeaseSpec { RenewTime = new DateTime(2024, 5, 1, 10, 0, 0, DateTimeKind.Utc) },
        }, Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        CrudTests.Status(e).Message.Should().EndWith("cannot parse \"Z\" as \".000000\"");
    }

    [Test]
    public async Task A_Patch_With_A_Bad_Time_Is_Invalid_On_Field_Patch()
    {
        await _raw.PostAsync(LeasesPath, Lease("l", "2024-05-01T10:00:00.000000Z"));

        var e = await Fails(() => Client.CoordinationV1.PatchNamespacedLeaseAsync(
            new V1Patch("""{"spec":{"acquireTime":"yesterday"}}""", V1Patch.PatchType.MergePatch), "l", Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        CrudTests.Status(e).Details.Causes.Should().ContainSingle().Which.Field.Should().Be("patch");
    }

    [Test]
    public async Task Negative_Durations_And_Transitions_Are_Refused()
    {
        var e = await Fails(() => Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l" },
            Spec = new V1LeaseSpec { LeaseDurationSeconds = -5, LeaseTransitions = -1 },
        }, Ns));

        e.Response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        CrudTests.Status(e).Details.Causes.Select(c => (c.Field, c.Message)).Should().Equal(
            ("spec.leaseDurationSeconds", "Invalid value: -5: must be greater than 0"),
            ("spec.leaseTransitions", "Invalid value: -1: must be greater than or equal to 0"));
        var zero = await Fails(() => Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "z" },
            Spec = new V1LeaseSpec { LeaseDurationSeconds = 0 },
        }, Ns));
        CrudTests.Status(zero).Details.Causes.Should().ContainSingle().Which.Field.Should().Be("spec.leaseDurationSeconds");
    }

    [Test]
    public async Task Coordinated_Leader_Election_Fields_Are_Dropped()
    {
        var created = await Client.CoordinationV1.CreateNamespacedLeaseAsync(new V1Lease
        {
            Metadata = new V1ObjectMeta { Name = "l" },
            Spec = new V1LeaseSpec { HolderIdentity = "a", Strategy = "OldestEmulationVersion", PreferredHolder = "b" },
        }, Ns);

        created.Spec.Strategy.Should().BeNull();
        created.Spec.PreferredHolder.Should().BeNull();
    }
}
