using k8s;
using k8s.Models;
using LbOperator.Framework.Client;

namespace LbOperator.Tests.Framework.Client;

[Category("Unit")]
public sealed class WatchEventParserTests
{
    [Test]
    public void Parses_An_Added_Object()
    {
        var (type, entity) = WatchEventParser.Parse<V1ConfigMap>(
            """{"type":"ADDED","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","resourceVersion":"7"},"data":{"k":"v"}}}""");

        type.Should().Be(WatchEventType.Added);
        entity.Metadata.Name.Should().Be("c");
        entity.Data["k"].Should().Be("v");
    }

    [Test]
    public void Parses_A_Bookmark()
    {
        var (type, entity) = WatchEventParser.Parse<V1ConfigMap>(
            """{"type":"BOOKMARK","object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"resourceVersion":"42"}}}""");

        type.Should().Be(WatchEventType.Bookmark);
        entity.ResourceVersion().Should().Be("42");
    }

    [Test]
    public void An_Error_Event_Throws_With_The_Status_Code()
    {
        var act = () => WatchEventParser.Parse<V1ConfigMap>(
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}""");

        act.Should().Throw<KubernetesException>()
            .Where(e => ApiError.StatusCodeOf(e) == System.Net.HttpStatusCode.Gone);
    }
}
