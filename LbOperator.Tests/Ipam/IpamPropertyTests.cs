using System.Net;
using CsCheck;
using LbOperator.Ipam;
using static LbOperator.Tests.Ipam.TestSubnets;

namespace LbOperator.Tests.Ipam;

/// <summary>
/// Long random sequences of allocate, static allocate, release (also by re-created Services with a new uid),
/// Subnet edits and restarts (rebuild from the
/// recorded state), run against the IPAM and against <see cref="IpamModel"/>; after every step: same outcome, no
/// address held twice, none lost, none outside its Subnet, status figures equal to the model's.
/// </summary>
[Category("Unit")]
public sealed class IpamPropertyTests
{
    private const int OwnerCount = 10;

    /// <summary>Small Subnets, so that exhaustion, excludes at the edges and point-to-point prefixes come up often.</summary>
    private static readonly Dictionary<string, SubnetDefinition[]> Variants = new()
    {
        ["a"] =
        [
            Define("a", "10.0.0.0/28", null, "10.0.0.0..10.0.0.3"),
            Define("a", "10.0.0.0/28", "10.0.0.14", "10.0.0.5", "10.0.0.9..10.0.0.10"),
            Define("a", "10.0.0.0/28"),
            Define("a", "10.0.1.0/29"),
        ],
        ["d"] =
        [
            Define("d", "10.1.0.0/29,fd00::/125"),
            Define("d", "10.1.0.0/29,fd00::/125", "10.1.0.6,fd00::6", "fd00::2..fd00::3", "10.1.0.1..10.1.0.2"),
            Define("d", "10.1.0.0/30,fd00::/125"),
        ],
        ["p"] =
        [
            Define("p", "10.2.0.0/31"),
            Define("p", "fd01::/127", "fd01::1"),
        ],
    };

    private static readonly string[] SubnetNames = ["a", "d", "p", "missing"];

    private static readonly IPAddress[] StaticCandidates =
    [
        .. Enumerable.Range(0, 17).Select(i => Ip($"10.0.0.{i}")),
        .. Enumerable.Range(0, 9).Select(i => Ip($"10.0.1.{i}")),
        .. Enumerable.Range(0, 9).Select(i => Ip($"10.1.0.{i}")),
        .. Enumerable.Range(0, 9).Select(i => Ip($"fd00::{i}")),
        .. Enumerable.Range(0, 3).Select(i => Ip($"10.2.0.{i}")),
        .. Enumerable.Range(0, 3).Select(i => Ip($"fd01::{i}")),
        Ip("192.168.0.1"),
    ];

    private abstract record Step;

    /// <summary>Owner <c>svc-N</c>; generation 1 is the same Service deleted and created again (new uid).</summary>
    private sealed record OwnerRef(int Index, int Generation)
    {
        public IpamOwner ToOwner() => new("ns", $"svc-{Index}", $"uid-{Index}-{Generation}");

        public override string ToString() => $"svc-{Index}/{Generation}";
    }

    private sealed record AllocateStep(OwnerRef Owner, string Subnet, IPAddress[] Statics) : Step
    {
        public override string ToString() => $"allocate {Owner} {Subnet} [{string.Join<IPAddress>(",", Statics)}]";
    }

    private sealed record ReleaseStep(OwnerRef Owner) : Step;

    private sealed record EditStep(string Subnet, int Variant) : Step;

    private sealed record RestartStep : Step;

    private static readonly Gen<OwnerRef> GenOwner = Gen.Select(
        Gen.Int[0, OwnerCount - 1], Gen.Frequency((4, Gen.Const(0)), (1, Gen.Const(1))), (i, g) => new OwnerRef(i, g));

    private static readonly Gen<Step> GenStep = Gen.Frequency(
        (6, Gen.Select(GenOwner, Gen.OneOfConst(SubnetNames), (o, s) => (Step)new AllocateStep(o, s, []))),
        (4, Gen.Select(GenOwner, Gen.OneOfConst(SubnetNames), Gen.OneOfConst(StaticCandidates).Array[1, 2],
            (o, s, a) => (Step)new AllocateStep(o, s, a))),
        (3, GenOwner.Select(o => (Step)new ReleaseStep(o))),
        (2, Gen.Select(Gen.OneOfConst("a", "d", "p"), Gen.Int[0, 3], (s, v) => (Step)new EditStep(s, v % Variants[s].Length))),
        (1, Gen.Const((Step)new RestartStep())));

    [Test]
    public void Ipam_Agrees_With_The_Reference_Model_After_Every_Step()
    {
        GenStep.Array[50, 200].Sample(Run, iter: 40, threads: 1,
            print: steps => string.Join("\n", steps.Select(s => s.ToString())));
    }

    private static void Run(Step[] steps)
    {
        var ipam = new IpamService();
        var model = new IpamModel();
        foreach (var name in Variants.Keys)
        {
            ipam.ApplySubnet(Variants[name][0]);
            model.Apply(Variants[name][0]);
        }

        for (var i = 0; i < steps.Length; i++)
        {
            var step = steps[i];
            switch (step)
            {
                case AllocateStep allocate:
                    var owner = allocate.Owner.ToOwner();
                    var expected = model.Allocate(allocate.Subnet, owner, allocate.Statics);
                    var actual = ipam.Allocate(allocate.Subnet, owner,
                        allocate.Statics.Length == 0 ? AddressRequest.Dynamic : AddressRequest.Static(allocate.Statics));
                    SameOutcome(actual, expected, $"step {i}: {step}");
                    break;
                case ReleaseStep release:
                    (ipam.Release(release.Owner.ToOwner()) is not null).Should().Be(model.Release(release.Owner.ToOwner()), $"step {i}: {step}");
                    break;
                case EditStep edit:
                    var definition = Variants[edit.Subnet][edit.Variant];
                    var expectedChange = model.Apply(definition);
                    var actualChange = ipam.ApplySubnet(definition);
                    actualChange.GetType().Should().Be(expectedChange.GetType(), $"step {i}: {step}");
                    if (actualChange is SubnetChange.Accepted accepted)
                    {
                        accepted.Overlaps.Should().BeEquivalentTo(((SubnetChange.Accepted)expectedChange).Overlaps, $"step {i}: {step}");
                    }
                    else
                    {
                        model.Apply(ipam.GetSubnet(edit.Subnet)!);
                    }

                    break;
                case RestartStep:
                    ipam = Restart(model);
                    break;
            }

            CheckInvariants(ipam, model, $"after step {i}: {step}");
        }
    }

    private static readonly Gen<RecordedAllocation> GenRecord = Gen.Select(
        GenOwner, Gen.OneOfConst(SubnetNames), Gen.OneOfConst(StaticCandidates).Array[0, 2], Gen.Int[0, 5],
        Gen.OneOfConst(RecordSource.OperatorRecord, RecordSource.ServiceAnnotation, RecordSource.GatewayDeployment),
        (owner, subnet, addresses, minutes, source) =>
            new RecordedAllocation(owner.ToOwner(), subnet, addresses, DateTimeOffset.UnixEpoch.AddMinutes(minutes), source));

    /// <summary>
    /// Records of every kind, forged ones included (another Service's address, the gateway, the network or broadcast
    /// address, outside the CIDR, unknown Subnets, one address claimed many times): the rebuild accounts for each
    /// record once, adopts only usable addresses that are not the gateway, each for one holder, and never lets a less
    /// trusted claim take an address from a more trusted one.
    /// </summary>
    [Test]
    public void Rebuild_From_Any_Records_Holds_Each_Usable_Address_Once_And_Prefers_Trusted_Records()
    {
        Gen.Select(Gen.Int[0, 3].Array[3], GenRecord.Array[0, 30]).Sample((variants, records) =>
        {
            var ipam = new IpamService();
            var definitions = Variants.Keys.Select((name, i) => Variants[name][variants[i] % Variants[name].Length]).ToList();
            foreach (var definition in definitions)
            {
                ipam.ApplySubnet(definition);
            }

            var report = ipam.Rebuild(records);
            (report.Adopted.Count + report.Conflicts.Count + report.Rejected.Count).Should().Be(records.Length, "every record is accounted for once");
            foreach (var definition in definitions)
            {
                var held = report.Adopted.Where(h => h.Subnet == definition.Name).SelectMany(h => h.Addresses).ToList();
                held.Should().OnlyHaveUniqueItems("no address is held twice");
                foreach (var address in held)
                {
                    var family = definition.Family(address.AddressFamily);
                    family.Should().NotBeNull();
                    family!.Usable.Contains(address).Should().BeTrue($"{address} is usable in {definition.Name}");
                    address.Should().NotBe(family.Gateway, "the gateway is never adopted");
                }
            }

            foreach (var conflict in report.Conflicts.Where(c => c.Address is not null))
            {
                ipam.HolderOf(conflict.Record.Subnet, conflict.Address!).Should().Be(conflict.Holder);
                ((int)conflict.HolderSource).Should().BeLessThanOrEqualTo((int)conflict.Record.Source, "a less trusted claim never wins");
            }
        }, iter: 400, threads: 1);
    }

    private static IpamService Restart(IpamModel model)
    {
        var ipam = new IpamService();
        foreach (var definition in model.Subnets.Values)
        {
            ipam.ApplySubnet(definition);
        }

        var records = model.Holdings.Select(h => new RecordedAllocation(h.Owner, h.Subnet, h.Addresses,
            DateTimeOffset.UnixEpoch.AddMinutes(int.Parse(h.Owner.Name["svc-".Length..], System.Globalization.CultureInfo.InvariantCulture))));
        var report = ipam.Rebuild(records);
        report.Conflicts.Should().BeEmpty();

        // A holder of an address its Subnet has since made the gateway keeps it until a restart; then its record is
        // refused (the router's address is never adopted) and it must ask again.
        var onGateway = model.Holdings
            .Where(h => h.Addresses.Any(a => a.Equals(model.Subnets[h.Subnet].Family(a.AddressFamily)!.Gateway)))
            .Select(h => h.Owner).ToList();
        report.Rejected.Select(r => r.Record.Owner).Should().BeEquivalentTo(onGateway);
        foreach (var owner in onGateway)
        {
            model.Release(owner);
        }

        report.Adopted.Should().HaveCount(model.HolderCount);
        return ipam;
    }

    private static void SameOutcome(AllocationResult actual, AllocationResult expected, string because)
    {
        actual.GetType().Should().Be(expected.GetType(), because + $" (actual: {actual.Message})");
        switch (actual, expected)
        {
            case (AllocationResult.Allocated a, AllocationResult.Allocated e):
                a.Addresses.Should().Equal(e.Addresses, because);
                a.Changed.Should().Be(e.Changed, because);
                break;
            case (AllocationResult.Conflict a, AllocationResult.Conflict e):
                a.Holder.Should().Be(e.Holder, because);
                break;
            case (AllocationResult.Exhausted a, AllocationResult.Exhausted e):
                a.Family.Should().Be(e.Family, because);
                break;
        }
    }

    /// <summary>Plain comparisons first (the test runs thousands of steps); assertions only to report a difference.</summary>
    private static void CheckInvariants(IpamService ipam, IpamModel model, string because)
    {
        foreach (var (name, definition) in model.Subnets)
        {
            var holders = ipam.Holders(name);
            var addresses = holders.SelectMany(h => h.Addresses).ToList();
            if (addresses.Distinct().Count() != addresses.Count)
            {
                addresses.Should().OnlyHaveUniqueItems(because + ": no address is held twice");
            }

            if (addresses.Any(a => definition.Family(a.AddressFamily)?.Usable.Contains(a) != true))
            {
                Assert.Fail($"{because}: an address outside subnet {name}: {string.Join<IPAddress>(",", addresses)}");
            }

            var actual = holders.Select(h => $"{h.Owner.Key}/{h.Owner.Uid}={string.Join<IPAddress>(",", h.Addresses)}").ToList();
            var expected = model.Holdings.Where(h => h.Subnet == name).OrderBy(h => h.Owner.Key, StringComparer.Ordinal)
                .Select(h => $"{h.Owner.Key}/{h.Owner.Uid}={string.Join<IPAddress>(",", h.Addresses)}").ToList();
            if (!actual.SequenceEqual(expected))
            {
                actual.Should().Equal(expected, because + ": none lost");
            }

            var status = ipam.GetStatus(name)!;
            var expectedV4 = definition.V4 is null ? null : model.Usage(name, definition.V4);
            var expectedV6 = definition.V6 is null ? null : model.Usage(name, definition.V6);
            if (status.V4 != expectedV4 || status.V6 != expectedV6)
            {
                status.Should().Be(new SubnetUsage(name, expectedV4, expectedV6), because);
            }
        }

        if (ipam.HolderCount != model.HolderCount)
        {
            ipam.HolderCount.Should().Be(model.HolderCount, because);
        }
    }
}
