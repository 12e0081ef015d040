using System.Text.Json.Nodes;
using k8s.Models;
using LbOperator.Sandbox.Patch;
using LbOperator.Sandbox.Schema;

namespace LbOperator.Tests.Sandbox.Patch;

[Category("Unit")]
public sealed class StrategicMergePatcherTests
{
    private static readonly KubernetesModelCatalog Catalog = new();

    public sealed record PatchCase(string Name, Type ModelType, string Original, string Patch, string Expected)
    {
        public override string ToString() => Name;
    }

    private const string AppliedService = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"test-service","namespace":"default",
          "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"old","ovn.kubernetes.io/attachmentprovider":"lb-svc-attachment.kube-system"}},
         "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","selector":{"app":"dynamic"},
           "ports":[{"name":"test","protocol":"TCP","port":80,"targetPort":80,"nodePort":30056}]}}
        """;

    private const string AppliedDeployment = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dynamic","namespace":"default","finalizers":["a","b"]},
         "spec":{"replicas":2,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
           "template":{"metadata":{"labels":{"app":"dynamic"}},"spec":{
             "containers":[{"name":"qaimages","image":"qaimages:helloworld","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                            "ports":[{"containerPort":80,"protocol":"TCP"}]},
                           {"name":"sidecar","image":"busybox"}],
             "volumes":[{"name":"data","emptyDir":{}}]}}}}
        """;

    private static IEnumerable<PatchCase> Cases() =>
    [
        new("kubectl apply of a Service whose port changed and gained a second port", typeof(V1Service), AppliedService,
            """
            {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new"}},
             "spec":{"$setElementOrder/ports":[{"port":8080},{"port":443}],
               "ports":[{"name":"test","port":8080,"protocol":"TCP","targetPort":80},
                        {"name":"tls","port":443,"protocol":"TCP","targetPort":8443},
                        {"$patch":"delete","port":80}]}}
            """,
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"test-service","namespace":"default",
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"new","ovn.kubernetes.io/attachmentprovider":"lb-svc-attachment.kube-system"}},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","selector":{"app":"dynamic"},
               "ports":[{"name":"test","port":8080,"protocol":"TCP","targetPort":80},
                        {"name":"tls","port":443,"protocol":"TCP","targetPort":8443}]}}
            """),
        new("kubectl apply of a Service whose targetPort changed keeps the allocated nodePort", typeof(V1Service), AppliedService,
            """{"spec":{"$setElementOrder/ports":[{"port":80}],"ports":[{"port":80,"targetPort":8080}]}}""",
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"test-service","namespace":"default",
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"old","ovn.kubernetes.io/attachmentprovider":"lb-svc-attachment.kube-system"}},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","selector":{"app":"dynamic"},
               "ports":[{"name":"test","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30056}]}}
            """),
        new("null deletes a field and an annotation", typeof(V1Service), AppliedService,
            """{"metadata":{"annotations":{"ovn.kubernetes.io/attachmentprovider":null}},"spec":{"selector":null}}""",
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"test-service","namespace":"default",
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"old"}},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10",
               "ports":[{"name":"test","protocol":"TCP","port":80,"targetPort":80,"nodePort":30056}]}}
            """),
        new("$patch replace on a list replaces it whole", typeof(V1Service), AppliedService,
            """{"spec":{"ports":[{"$patch":"replace"},{"port":53,"protocol":"UDP"}]}}""",
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"test-service","namespace":"default",
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"old","ovn.kubernetes.io/attachmentprovider":"lb-svc-attachment.kube-system"}},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","selector":{"app":"dynamic"},
               "ports":[{"port":53,"protocol":"UDP"}]}}
            """),
        new("$patch replace on a map replaces it whole", typeof(V1Service), AppliedService,
            """{"spec":{"selector":{"$patch":"replace","tier":"web"}}}""",
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"test-service","namespace":"default",
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"old","ovn.kubernetes.io/attachmentprovider":"lb-svc-attachment.kube-system"}},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10","selector":{"tier":"web"},
               "ports":[{"name":"test","protocol":"TCP","port":80,"targetPort":80,"nodePort":30056}]}}
            """),
        new("$patch delete on a map deletes the field", typeof(V1Service), AppliedService,
            """{"spec":{"selector":{"$patch":"delete"}}}""",
            """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"test-service","namespace":"default",
              "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"old","ovn.kubernetes.io/attachmentprovider":"lb-svc-attachment.kube-system"}},
             "spec":{"type":"LoadBalancer","clusterIP":"10.96.0.10",
               "ports":[{"name":"test","protocol":"TCP","port":80,"targetPort":80,"nodePort":30056}]}}
            """),
        new("kubectl apply of a Deployment: new image, env var removed, strategy switched to Recreate with $retainKeys",
            typeof(V1Deployment), AppliedDeployment,
            """
            {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},
              "template":{"spec":{"$setElementOrder/containers":[{"name":"qaimages"},{"name":"sidecar"}],
                "containers":[{"$setElementOrder/env":[{"name":"A"}],"env":[{"$patch":"delete","name":"B"}],"image":"qaimages:v2","name":"qaimages"}]}}}}
            """,
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dynamic","namespace":"default","finalizers":["a","b"]},
             "spec":{"replicas":2,"strategy":{"type":"Recreate"},
               "template":{"metadata":{"labels":{"app":"dynamic"}},"spec":{
                 "containers":[{"name":"qaimages","image":"qaimages:v2","env":[{"name":"A","value":"1"}],
                                "ports":[{"containerPort":80,"protocol":"TCP"}]},
                               {"name":"sidecar","image":"busybox"}],
                 "volumes":[{"name":"data","emptyDir":{}}]}}}}
            """),
        new("containers merge by name, container ports by containerPort, and $setElementOrder reorders",
            typeof(V1Deployment), AppliedDeployment,
            """
            {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"qaimages"}],
                "containers":[{"name":"qaimages","ports":[{"containerPort":80,"name":"http"},{"containerPort":9090}]}]}}}}
            """,
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dynamic","namespace":"default","finalizers":["a","b"]},
             "spec":{"replicas":2,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
               "template":{"metadata":{"labels":{"app":"dynamic"}},"spec":{
                 "containers":[{"name":"sidecar","image":"busybox"},
                               {"name":"qaimages","image":"qaimages:helloworld","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                                "ports":[{"containerPort":80,"protocol":"TCP","name":"http"},{"containerPort":9090}]}],
                 "volumes":[{"name":"data","emptyDir":{}}]}}}}
            """),
        new("finalizers merge as a set and $deleteFromPrimitiveList removes entries", typeof(V1Deployment), AppliedDeployment,
            """{"metadata":{"finalizers":["b","c"],"$deleteFromPrimitiveList/finalizers":["a"]}}""",
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dynamic","namespace":"default","finalizers":["b","c"]},
             "spec":{"replicas":2,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
               "template":{"metadata":{"labels":{"app":"dynamic"}},"spec":{
                 "containers":[{"name":"qaimages","image":"qaimages:helloworld","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                                "ports":[{"containerPort":80,"protocol":"TCP"}]},
                               {"name":"sidecar","image":"busybox"}],
                 "volumes":[{"name":"data","emptyDir":{}}]}}}}
            """),
        new("volumes merge by name; a list without a strategy (args) is replaced", typeof(V1Deployment), AppliedDeployment,
            """
            {"spec":{"template":{"spec":{"volumes":[{"name":"cache","emptyDir":{"medium":"Memory"}}],
              "containers":[{"name":"sidecar","args":["sleep","1"]}]}}}}
            """,
            """
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"dynamic","namespace":"default","finalizers":["a","b"]},
             "spec":{"replicas":2,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
               "template":{"metadata":{"labels":{"app":"dynamic"}},"spec":{
                 "containers":[{"name":"qaimages","image":"qaimages:helloworld","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                                "ports":[{"containerPort":80,"protocol":"TCP"}]},
                               {"name":"sidecar","image":"busybox","args":["sleep","1"]}],
                 "volumes":[{"name":"data","emptyDir":{}},{"name":"cache","emptyDir":{"medium":"Memory"}}]}}}}
            """),
        new("a new container gets a clean copy without directives or nulls", typeof(V1Pod),
            """{"spec":{"containers":[{"name":"a","image":"x"}]}}""",
            """{"spec":{"containers":[{"name":"b","image":"y","command":null,"$setElementOrder/env":[{"name":"E"}],"env":[{"name":"E","value":"1"}]}]}}""",
            """{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y","env":[{"name":"E","value":"1"}]}]}}"""),
        new("ownerReferences merge by uid, conditions by type, hostAliases by ip", typeof(V1Pod),
            """
            {"metadata":{"ownerReferences":[{"uid":"1","name":"rs"}]},"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["a"]}]},
             "status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Initialized","status":"True"}]}}
            """,
            """
            {"metadata":{"ownerReferences":[{"uid":"2","name":"other"}]},"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["b"]}]},
             "status":{"conditions":[{"type":"Ready","status":"True"}]}}
            """,
            """
            {"metadata":{"ownerReferences":[{"uid":"1","name":"rs"},{"uid":"2","name":"other"}]},"spec":{"hostAliases":[{"ip":"10.0.0.1","hostnames":["b"]}]},
             "status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Initialized","status":"True"}]}}
            """),
        new("labels merge like a map", typeof(V1ConfigMap),
            """{"metadata":{"labels":{"a":"1","b":"2"}},"data":{"k":"v"}}""",
            """{"metadata":{"labels":{"b":null,"c":"3"}},"data":{"k2":"v2"}}""",
            """{"metadata":{"labels":{"a":"1","c":"3"}},"data":{"k":"v","k2":"v2"}}"""),
    ];

    [TestCaseSource(nameof(Cases))]
    public void Applies_Patch_Like_Kube_Apiserver(PatchCase testCase)
    {
        var patcher = new StrategicMergePatcher(Catalog);
        var original = JsonNode.Parse(testCase.Original)!.AsObject();
        var before = original.ToJsonString();

        var result = patcher.Apply(original, JsonNode.Parse(testCase.Patch)!.AsObject(), testCase.ModelType);

        var expected = JsonNode.Parse(testCase.Expected)!;
        JsonNode.DeepEquals(result, expected).Should().BeTrue($"expected {expected.ToJsonString()}\n but got {result.ToJsonString()}");
        original.ToJsonString().Should().Be(before, "the original must not be modified");
    }

    [Test]
    public void Keeps_The_Order_Given_By_SetElementOrder()
    {
        var patcher = new StrategicMergePatcher(Catalog);
        var original = JsonNode.Parse("""{"spec":{"ports":[{"port":1},{"port":2},{"port":3}]}}""")!.AsObject();

        var result = patcher.Apply(original, JsonNode.Parse("""{"spec":{"$setElementOrder/ports":[{"port":3},{"port":1},{"port":2}]}}""")!.AsObject(), typeof(V1Service));

        result["spec"]!["ports"]!.AsArray().Select(p => p!["port"]!.GetValue<int>()).Should().Equal(3, 1, 2);
    }

    [Test]
    public void Rejects_A_Merge_List_Element_Without_Its_Merge_Key()
    {
        var patcher = new StrategicMergePatcher(Catalog);

        var act = () => patcher.Apply(JsonNode.Parse(AppliedService)!.AsObject(), JsonNode.Parse("""{"spec":{"ports":[{"targetPort":81}]}}""")!.AsObject(), typeof(V1Service));

        act.Should().Throw<PatchException>().WithMessage("*spec.ports[0]*merge key \"port\"*");
    }

    [Test]
    public void Rejects_An_Unknown_Patch_Directive()
    {
        var patcher = new StrategicMergePatcher(Catalog);

        var act = () => patcher.Apply(JsonNode.Parse(AppliedService)!.AsObject(), JsonNode.Parse("""{"spec":{"$patch":"shuffle"}}""")!.AsObject(), typeof(V1Service));

        act.Should().Throw<PatchException>().WithMessage("*\"shuffle\"*spec*");
    }
}
