using k8s.Models;
using LbOperator.Framework.Entities;
using LbOperator.Framework.Watcher;
using Microsoft.Extensions.Time.Testing;

namespace LbOperator.Tests.Framework.Watcher;

/// <summary>The watch cache: copies on every read, the operator's own writes visible at once, and indexes.</summary>
[Category("Unit")]
public sealed class EntityCacheTests
{
    private static readonly EntityIndex<V1ConfigMap> ByOwner = new("owner", c => c.Data is { } data && data.TryGetValue("owner", out var owner) ? owner : null);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Test]
    public void Every_Read_Is_A_Copy_The_Caller_May_Change()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1", owner: "x"));

        var read = cache.Get("a", "ns")!;
        read.Data["owner"] = "changed";
        read.Metadata.Labels = new Dictionary<string, string> { ["k"] = "v" };

        cache.Get("a", "ns")!.Data["owner"].Should().Be("x");
        cache.Get("a", "ns")!.Metadata.Labels.Should().BeNull();
        cache.List().Single().Data["owner"].Should().Be("x");
    }

    [Test]
    public void Drops_Managed_Fields()
    {
        var cache = NewCache();
        var map = Map("a", "1");
        map.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "kubectl", Operation = "Update" }];
        cache.Upsert(map);

        cache.Get("a", "ns")!.Metadata.ManagedFields.Should().BeNull();
    }

    [Test]
    public void A_Transform_Trims_What_The_Watch_Delivers_And_What_A_Write_Answered_But_Not_The_Writers_Copy()
    {
        var trim = new EntityCacheTransform<V1ConfigMap>("drop-value", (c, _) => c.Data.Remove("value"));
        var cache = new EntityCache<V1ConfigMap>([ByOwner], [trim], _time);
        var watched = Map("a", "1", owner: "x", value: "big");
        cache.Upsert(watched);
        cache.Get("a", "ns")!.Data.Should().NotContainKey("value").And.Contain("owner", "x");

        var answer = Map("b", "1", owner: "y", value: "big");
        answer.Metadata.ManagedFields = [new V1ManagedFieldsEntry { Manager = "lb-operator", Operation = "Update" }];
        cache.Wrote(answer);

        answer.Data.Should().Contain("value", "big", "the writer keeps the whole answer");
        answer.Metadata.ManagedFields.Should().ContainSingle();
        var kept = cache.Get("b", "ns")!;
        kept.Data.Should().NotContainKey("value");
        kept.Metadata.ManagedFields.Should().BeNull();
        cache.Find("owner", "y").Should().ContainSingle();
    }

    [Test]
    public void A_Transform_Is_Handed_The_Version_The_Cache_Keeps()
    {
        var handed = new List<string?>();
        var trim = new EntityCacheTransform<V1ConfigMap>("note-kept", (_, kept) => handed.Add(kept?.Metadata.ResourceVersion));
        var cache = new EntityCache<V1ConfigMap>([], [trim], _time);

        cache.Upsert(Map("a", "1"));
        cache.Upsert(Map("a", "2"));
        cache.Wrote(Map("a", "3"));
        cache.Upsert(Map("a", "4"));

        handed.Should().Equal(null, "1", "2", "3");
    }

    [Test]
    public void An_Own_Write_Is_Read_Until_The_Watch_Delivers_That_Version()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1", value: "old"));

        cache.Wrote(Map("a", "2", value: "written"));
        cache.Get("a", "ns")!.Data["value"].Should().Be("written", "the watch has not brought version 2 yet");

        // An older event still in flight does not hide the write.
        cache.Upsert(Map("a", "1b", value: "in flight"));
        cache.Get("a", "ns")!.Data["value"].Should().Be("written");

        cache.Upsert(Map("a", "2", value: "written"));
        cache.Upsert(Map("a", "3", value: "someone else"));
        cache.Get("a", "ns")!.Data["value"].Should().Be("someone else", "once the watch confirmed the write, newer versions show");
    }

    [Test]
    public void An_Answer_Read_After_Its_Watch_Event_Hides_Nothing_Newer()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "2", value: "written"));
        cache.Upsert(Map("a", "3", value: "someone else"));

        cache.Wrote(Map("a", "2", value: "written"));

        cache.Get("a", "ns")!.Data["value"].Should().Be("someone else");
    }

    [Test]
    public void A_List_Ends_Own_Writes()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1"));
        cache.Wrote(Map("a", "2", value: "written"));

        cache.Upsert(Map("a", "5", value: "listed"), fromList: true);

        cache.Get("a", "ns")!.Data["value"].Should().Be("listed");
    }

    [Test]
    public void An_Own_Write_Expires_When_The_Watch_Never_Confirms_It()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1", value: "old"));
        cache.Wrote(Map("a", "2", value: "written"));

        _time.Advance(TimeSpan.FromMinutes(1));

        cache.Get("a", "ns")!.Data["value"].Should().Be("old");
        cache.List().Select(m => m.Data["value"]).Should().Equal("old");
    }

    [Test]
    public void A_Created_Object_Is_Listed_And_Found_Before_Its_Watch_Event()
    {
        var cache = NewCache();
        cache.Wrote(Map("new", "7", owner: "x"));

        cache.Get("new", "ns").Should().NotBeNull();
        cache.List().Select(m => m.Metadata.Name).Should().Equal("new");
        cache.Find("owner", "x").Select(m => m.Metadata.Name).Should().Equal("new");
        cache.Keys().Should().Equal(new EntityKey("ns", "new"));
    }

    [Test]
    public void A_Deleted_Object_Is_Gone_Before_Its_Watch_Event_And_A_New_One_Of_That_Name_Shows()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1", uid: "u1", owner: "x"));

        cache.Deleted(new EntityKey("ns", "a"), "u1");
        cache.Get("a", "ns").Should().BeNull();
        cache.List().Should().BeEmpty();
        cache.Find("owner", "x").Should().BeEmpty();

        cache.Upsert(Map("a", "9", uid: "u2", owner: "x"));
        cache.Get("a", "ns")!.Metadata.Uid.Should().Be("u2", "an object created anew under the name ends the tombstone");
    }

    [Test]
    public void The_Watch_Reporting_A_Deletion_Keeps_An_Own_Create_Of_A_New_Object()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1", uid: "old"));
        cache.Wrote(Map("a", "2", uid: "new"));

        cache.Remove(new EntityKey("ns", "a"));

        cache.Get("a", "ns")!.Metadata.Uid.Should().Be("new");
    }

    [Test]
    public void An_Answer_Read_After_The_Deletion_It_Led_To_Does_Not_Revive_The_Object()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1", uid: "u1"));
        cache.Remove(new EntityKey("ns", "a"));

        cache.Wrote(Map("a", "2", uid: "u1"));

        cache.Get("a", "ns").Should().BeNull("the watch reported that object deleted");
    }

    [Test]
    public void A_Write_Removing_The_Last_Finalizer_Of_A_Deleted_Object_Is_Not_Kept()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1", uid: "u1"));
        var finalized = Map("a", "2", uid: "u1");
        finalized.Metadata.DeletionTimestamp = DateTime.UtcNow;

        cache.Wrote(finalized);

        cache.Get("a", "ns")!.Metadata.ResourceVersion.Should().Be("1", "the server deletes it at once; the watch will say so");
    }

    [Test]
    public void The_Index_Follows_Changes_And_Deletions()
    {
        var cache = NewCache();
        cache.Upsert(Map("a", "1", owner: "x"));
        cache.Upsert(Map("b", "1", owner: "x"));
        cache.Upsert(Map("c", "1", owner: "y"));
        cache.Find("owner", "x").Select(m => m.Metadata.Name).Should().BeEquivalentTo("a", "b");

        cache.Upsert(Map("b", "2", owner: "y"));
        cache.Remove(new EntityKey("ns", "a"));

        cache.Find("owner", "x").Should().BeEmpty();
        cache.Find("owner", "y").Select(m => m.Metadata.Name).Should().BeEquivalentTo("b", "c");
        cache.Invoking(c => c.Find("nope", "x")).Should().Throw<ArgumentException>();
    }

    private EntityCache<V1ConfigMap> NewCache() => new([ByOwner], [], _time);

    private static V1ConfigMap Map(string name, string version, string? owner = null, string value = "v", string? uid = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", ResourceVersion = version, Uid = uid ?? $"uid-{name}" },
        Data = owner is null ? new Dictionary<string, string> { ["value"] = value } : new Dictionary<string, string> { ["value"] = value, ["owner"] = owner },
    };
}
