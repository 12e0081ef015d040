using System.Text.Json.Nodes;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Printing;

namespace LbOperator.Tests.Sandbox.Printing;

[Category("Unit")]
public sealed class TableBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ResourceDescriptor Services = new("", "v1", "Service", "services", "service", true, ["svc"], ["get"], true, []);

    private static readonly ResourceDescriptor Subnets = new("kubeovn.io", "v1", "Subnet", "subnets", "subnet", false, [], ["get"], true,
        [
            new PrinterColumn("Provider", "string", ".spec.provider"),
            new PrinterColumn("CIDR", "string", ".spec.cidrBlock"),
            new PrinterColumn("V4Used", "number", ".status.v4usingIPs"),
            new PrinterColumn("Ready", "string", ".status.conditions[0].status"),
            new PrinterColumn("Age", "date", ".metadata.creationTimestamp"),
        ],
        new JsonObject { ["type"] = "object" });

    private static JsonObject Service(string type, string ingress = "", string externalIps = "") => JsonNode.Parse("""
        {"metadata":{"name":"test-service","creationTimestamp":"2026-01-01T11:55:00Z","labels":{"app":"dynamic"}},
         "spec":{"type":"TYPE","clusterIP":"10.96.0.10","selector":{"app":"dynamic","tier":"web"},
           "externalIPs":[EXTERNAL],
           "ports":[{"port":80,"protocol":"TCP","nodePort":30056},{"port":53,"protocol":"UDP"}]},
         "status":{"loadBalancer":{"ingress":[INGRESS]}}}
        """.Replace("TYPE", type, StringComparison.Ordinal).Replace("EXTERNAL", externalIps, StringComparison.Ordinal)
        .Replace("INGRESS", ingress, StringComparison.Ordinal))!.AsObject();

    private static List<string?> Cells(JsonObject table, int row = 0) =>
        [.. table["rows"]![row]!["cells"]!.AsArray().Select(c => c is JsonValue v && v.TryGetValue<string>(out var s) ? s : c?.ToJsonString())];

    private static List<string> Columns(JsonObject table) =>
        [.. table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>())];

    [Test]
    public void Prints_Services_Like_Kubectl()
    {
        var table = TableBuilder.Build(Services, [Service("LoadBalancer", """{"ip":"172.18.0.18"}""")], Now, IncludeObject.Metadata);

        Columns(table).Should().Equal("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector");
        Cells(table).Should().Equal("test-service", "LoadBalancer", "10.96.0.10", "172.18.0.18", "80:30056/TCP,53/UDP", "5m", "app=dynamic,tier=web");
        table["kind"]!.GetValue<string>().Should().Be("Table");
        table["rows"]![0]!["object"]!["kind"]!.GetValue<string>().Should().Be("PartialObjectMetadata");
        table["rows"]![0]!["object"]!["metadata"]!["labels"]!["app"]!.GetValue<string>().Should().Be("dynamic");
    }

    [TestCase("LoadBalancer", "", "", "<pending>")]
    [TestCase("LoadBalancer", """{"ip":"172.18.0.18"},{"hostname":"lb.example"}""", "", "172.18.0.18,lb.example")]
    [TestCase("LoadBalancer", "", "\"1.2.3.4\"", "1.2.3.4")]
    [TestCase("ClusterIP", "", "", "<none>")]
    [TestCase("NodePort", "", "\"1.2.3.4\"", "1.2.3.4")]
    public void Shows_External_IP_From_Ingress_Pending_Or_None(string type, string ingress, string externalIps, string expected) =>
        BuiltInPrinters.ServiceExternalIp(Service(type, ingress, externalIps)).Should().Be(expected);

    [Test]
    public void Prints_Pods_With_Ready_Status_Restarts_And_Wide_Columns()
    {
        var pod = JsonNode.Parse("""
            {"metadata":{"name":"p","creationTimestamp":"2026-01-01T09:00:00Z"},
             "spec":{"nodeName":"node-1","containers":[{"name":"a"},{"name":"b"}]},
             "status":{"phase":"Running","podIP":"10.244.0.5","containerStatuses":[
               {"name":"a","ready":true,"restartCount":2,"state":{"running":{}}},
               {"name":"b","ready":false,"restartCount":1,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}
            """)!.AsObject();
        var pods = new ResourceDescriptor("", "v1", "Pod", "pods", "pod", true, ["po"], ["get"], true, []);

        var table = TableBuilder.Build(pods, [pod], Now, IncludeObject.None);

        Columns(table).Should().StartWith(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node"]);
        Cells(table).Take(7).Should().Equal("p", "1/2", "CrashLoopBackOff", "3", "3h", "10.244.0.5", "node-1");
        table["rows"]![0]!.AsObject().ContainsKey("object").Should().BeFalse();
    }

    [Test]
    public void Shows_Terminating_For_A_Pod_Being_Deleted()
    {
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","deletionTimestamp":"2026-01-01T11:00:00Z"},"status":{"phase":"Running"}}""")!.AsObject();

        BuiltInPrinters.PodStatus(pod).Should().Be("Terminating");
    }

    [Test]
    public void Prints_Deployments_With_Ready_Up_To_Date_Available()
    {
        var deployment = JsonNode.Parse("""
            {"metadata":{"name":"dynamic","creationTimestamp":"2026-01-01T11:59:30Z"},
             "spec":{"replicas":2,"selector":{"matchLabels":{"app":"dynamic"}},"template":{"spec":{"containers":[{"name":"qaimages","image":"qaimages:helloworld"}]}}},
             "status":{"readyReplicas":1,"updatedReplicas":2,"availableReplicas":1}}
            """)!.AsObject();
        var deployments = new ResourceDescriptor("apps", "v1", "Deployment", "deployments", "deployment", true, ["deploy"], ["get"], true, []);

        var table = TableBuilder.Build(deployments, [deployment], Now, IncludeObject.WholeObject);

        Columns(table).Should().Equal("Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector");
        Cells(table).Should().Equal("dynamic", "1/2", "2", "1", "30s", "qaimages", "qaimages:helloworld", "app=dynamic");
        table["rows"]![0]!["object"]!["spec"]!["replicas"]!.GetValue<int>().Should().Be(2);
    }

    [Test]
    public void Prints_Custom_Resources_With_Their_Printer_Columns()
    {
        var subnet = JsonNode.Parse("""
            {"metadata":{"name":"attach-subnet","creationTimestamp":"2026-01-01T10:00:00Z"},
             "spec":{"provider":"lb-svc-attachment.kube-system","cidrBlock":"172.18.0.0/16"},
             "status":{"v4usingIPs":3,"conditions":[{"type":"Ready","status":"True"}]}}
            """)!.AsObject();

        var table = TableBuilder.Build(Subnets, [subnet], Now, IncludeObject.Metadata);

        Columns(table).Should().Equal("Name", "Provider", "CIDR", "V4Used", "Ready", "Age");
        Cells(table).Should().Equal("attach-subnet", "lb-svc-attachment.kube-system", "172.18.0.0/16", "3", "True", "120m");
    }

    [Test]
    public void Leaves_A_Cell_Empty_When_The_Path_Matches_Nothing()
    {
        var subnet = JsonNode.Parse("""{"metadata":{"name":"s"},"spec":{}}""")!.AsObject();

        var cells = TableBuilder.Build(Subnets, [subnet], Now, IncludeObject.None)["rows"]![0]!["cells"]!.AsArray();

        cells.Skip(1).Take(4).Should().OnlyContain(c => c == null);
    }

    [Test]
    public void Gives_A_Custom_Resource_Without_Columns_An_Age_Column()
    {
        var widgets = Subnets with { PrinterColumns = [] };

        Columns(TableBuilder.Build(widgets, [], Now, IncludeObject.None)).Should().Equal("Name", "Age");
    }

    [TestCase(0, "0s")]
    [TestCase(119, "119s")]
    [TestCase(310, "5m10s")]
    [TestCase(600, "10m")]
    [TestCase(3 * 3600 + 60, "3h1m")]
    [TestCase(30 * 3600, "30h")]
    [TestCase(3 * 86400 + 3600, "3d1h")]
    [TestCase(40 * 86400, "40d")]
    [TestCase(3 * 365 * 86400 + 86400, "3y1d")]
    public void Formats_Ages_Like_Kubectl(int seconds, string expected) =>
        HumanDuration.Format(TimeSpan.FromSeconds(seconds)).Should().Be(expected);

    [TestCase("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json", "v1")]
    [TestCase("application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json", "v1beta1")]
    [TestCase("application/json", null)]
    [TestCase("application/json, application/json;as=Table;v=v1;g=meta.k8s.io", null)]
    [TestCase("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json", null)]
    [TestCase(null, null)]
    public void Negotiates_The_Table_Format(string? accept, string? expected) =>
        TableNegotiation.RequestedTableVersion(accept).Should().Be(expected);

    [TestCase(".spec.items[*].name", "a,b")]
    [TestCase("{.spec.items[-1].name}", "b")]
    [TestCase(".metadata.labels['app\\.kubernetes\\.io/name']", "web")]
    [TestCase(".metadata.labels.app\\.kubernetes\\.io/name", "web")]
    public void Evaluates_Simple_Json_Paths(string path, string expected)
    {
        var obj = JsonNode.Parse("""{"metadata":{"labels":{"app.kubernetes.io/name":"web"}},"spec":{"items":[{"name":"a"},{"name":"b"}]}}""");

        string.Join(',', SimpleJsonPath.Select(obj, path).Select(n => n.GetValue<string>())).Should().Be(expected);
    }
}

[Category("Unit")]
public sealed class TableBuilderNumberTests
{
    [Test]
    public void Reads_Numbers_Whatever_Dotnet_Type_Backs_Them()
    {
        var service = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "kubernetes" },
            ["spec"] = new JsonObject { ["type"] = "ClusterIP", ["ports"] = new JsonArray(new JsonObject { ["port"] = 443, ["protocol"] = "TCP", ["nodePort"] = (short)0 }) },
        };

        BuiltInPrinters.ServicePorts(service).Should().Be("443/TCP");
    }
}

[Category("Unit")]
public sealed class EventPrinterTests
{
    [Test]
    public void Prints_Core_Events_With_Last_Seen_Object_And_Wide_Columns()
    {
        var now = new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var events = new ResourceDescriptor("", "v1", "Event", "events", "event", true, ["ev"], ["get"], false, []);
        var e = JsonNode.Parse("""
            {"metadata":{"name":"e1"},"involvedObject":{"kind":"Deployment","name":"dynamic"},"reason":"ScalingReplicaSet",
             "message":"Scaled up","type":"Normal","count":2,"firstTimestamp":"2026-01-01T11:55:00Z","lastTimestamp":"2026-01-01T11:59:56Z",
             "source":{"component":"deployment-controller"}}
            """)!.AsObject();

        var table = TableBuilder.Build(events, [e], now, IncludeObject.None);

        table["columnDefinitions"]!.AsArray().Where(c => c!["priority"]!.GetValue<int>() == 0).Select(c => c!["name"]!.GetValue<string>())
            .Should().Equal("Last Seen", "Type", "Reason", "Object", "Message");
        table["rows"]![0]!["cells"]!.AsArray().Select(c => c!.GetValue<string>())
            .Should().Equal("4s", "Normal", "ScalingReplicaSet", "deployment/dynamic", "", "deployment-controller", "Scaled up", "5m", "2", "e1");
    }
}
