using System.Text.Json.Nodes;
using LbOperator.Sandbox.Storage;

namespace LbOperator.Tests.Sandbox.Storage;

[Category("Unit")]
public sealed class ObjectStoreIndexTests
{
    private const string Pods = "pods";

    [Test]
    public void An_Index_Follows_Adds_Replacements_And_Removals()
    {
        var store = new ObjectStore(100);
        store.AddIndex(StoreIndex.ByLabel);
        store.Write(tx => tx.Add(Pods, Pod("a", "web-1", app: "web")));
        store.Write(tx => tx.Add(Pods, Pod("a", "web-2", app: "web")));
        store.Write(tx => tx.Add(Pods, Pod("b", "web-1", app: "web")));

        Names(store, "a/app=web").Should().Equal("web-1", "web-2");
        Names(store, "b/app=web").Should().Equal("web-1");

        store.Write(tx => tx.Replace(Pods, Pod("a", "web-2", app: "db")));
        Names(store, "a/app=web").Should().Equal("web-1");
        Names(store, "a/app=db").Should().Equal("web-2");

        store.Write(tx => tx.Remove(Pods, "a", "web-1"));
        Names(store, "a/app=web").Should().BeEmpty();
    }

    [Test]
    public void An_Index_Added_Late_Covers_The_Objects_Already_Stored()
    {
        var store = new ObjectStore(100);
        store.Write(tx => tx.Add(Pods, Pod("a", "child", app: "x", ownerUid: "u-1")));

        store.AddIndex(StoreIndex.ByOwner);

        store.Read(tx => tx.ByIndex(StoreIndex.ByOwner.Name, "u-1").Select(x => x.StorageKey).ToList()).Should().Equal(Pods);
        store.Read(tx => tx.ByIndex(StoreIndex.ByOwner.Name, "u-2").ToList()).Should().BeEmpty();
    }

    [Test]
    public void A_Namespaced_List_Holds_Exactly_That_Namespace_In_Name_Order()
    {
        var store = new ObjectStore(100);
        foreach (var (ns, name) in new[] { ("a-b", "z"), ("a", "y"), ("a", "b"), ("ab", "c") })
        {
            store.Write(tx => tx.Add(Pods, Pod(ns, name, app: "x")));
        }

        store.Read(tx => tx.List(Pods, "a").Select(o => o["metadata"]!["name"]!.GetValue<string>()).ToList()).Should().Equal("b", "y");
        store.Write(tx => tx.Remove(Pods, "a", "b"));
        store.Write(tx => tx.Remove(Pods, "a", "y"));
        store.Read(tx => tx.List(Pods, "a").ToList()).Should().BeEmpty();
        store.Read(tx => tx.List(Pods, null).Count()).Should().Be(2);
    }

    [Test]
    public void Asking_An_Unknown_Index_Is_A_Programming_Error()
    {
        var store = new ObjectStore(100);
        var ask = () => store.Read(tx => tx.ByIndex("nope", "x").ToList());
        ask.Should().Throw<InvalidOperationException>().WithMessage("*nope*");
    }

    private static List<string> Names(ObjectStore store, string value) =>
        store.Read(tx => tx.ByIndex(StoreIndex.ByLabel.Name, value).Select(x => x.Object["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList());

    private static JsonObject Pod(string ns, string name, string app, string? ownerUid = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["app"] = app } };
        if (ownerUid is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject { ["uid"] = ownerUid, ["controller"] = true });
        }

        return new JsonObject { ["metadata"] = metadata };
    }
}
