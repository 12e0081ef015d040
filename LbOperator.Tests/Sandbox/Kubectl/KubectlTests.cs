using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace LbOperator.Tests.Sandbox.Kubectl;

[Category("Kubectl")]
public sealed class KubectlTests : KubectlTestBase
{
    private static string Service(string name, params (string Name, int Port)[] ports) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          annotations:
            ovn.kubernetes.io/attachmentprovider: lb-svc-attachment.kube-system
        spec:
          type: LoadBalancer
          selector:
            app: web
          ports:
        {string.Join("\n", ports.Select(p => $"  - name: {p.Name}\n    protocol: TCP\n    port: {p.Port}\n    targetPort: {p.Port}"))}
        """;

    private const string Deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: web
          template:
            metadata:
              labels:
                app: web
            spec:
              containers:
              - name: web
                image: nginx:1
                env:
                - name: A
                  value: "1"
              - name: sidecar
                image: busybox
        """;

    private async Task<JsonNode> GetJson(params string[] target) =>
        JsonNode.Parse(await Kubectl.RunOkAsync([.. target, "-n", Ns, "-o", "json"]))!;

    [Test]
    public async Task Api_Resources_Lists_The_Served_Kinds()
    {
        var output = await Kubectl.RunOkAsync("api-resources");

        output.Should().MatchRegex(@"(?m)^services\s+svc\s+v1\s+true\s+Service\s*$");
        output.Should().MatchRegex(@"(?m)^deployments\s+deploy\s+apps/v1\s+true\s+Deployment\s*$");
        output.Should().MatchRegex(@"(?m)^namespaces\s+ns\s+v1\s+false\s+Namespace\s*$");
    }

    [Test]
    public async Task Version_Reports_The_Server_As_1_32()
    {
        var output = await Kubectl.RunOkAsync("version");

        output.Should().Contain("Server Version: v1.32.");
    }

    [Test]
    public async Task Seed_Service_And_Deployment_Apply_Unchanged_And_Reapply_Unchanged()
    {
        foreach (var file in new[] { "service.yaml", "deployment.yaml" })
        {
            var first = await Kubectl.RunOkAsync("apply", "-f", Example(file));
            first.Should().MatchRegex("(created|configured|unchanged)");
            var again = await Kubectl.RunOkAsync("apply", "-f", Example(file));
            again.Should().Contain("unchanged");
        }

        var service = await Client.CoreV1.ReadNamespacedServiceAsync("test-service", "default");
        service.Spec.LoadBalancerIP.Should().Be("172.18.0.18");
        service.Metadata.Annotations.Should().ContainKey("kubectl.kubernetes.io/last-applied-configuration");
        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("dynamic", "default");
        deployment.Spec.Template.Spec.Containers.Should().ContainSingle().Which.Image.Should().Be("qaimages:helloworld");
    }

    [Test]
    public async Task Seed_NetworkAttachmentDefinition_Applies_Unchanged()
    {
        var output = await Kubectl.RunOkAsync("apply", "-f", Example("nad.yaml"));

        output.Should().Contain("networkattachmentdefinition.k8s.cni.cncf.io/lb-svc-attachment");
        var nad = JsonNode.Parse(await Kubectl.RunOkAsync("get", "network-attachment-definitions", "lb-svc-attachment", "-n", "kube-system", "-o", "json"))!;
        nad["spec"]!["config"]!.GetValue<string>().Should().Contain("macvlan");
    }

    [Test]
    public async Task Reapplying_An_Edited_Service_Changes_Adds_And_Removes_Ports()
    {
        await Kubectl.RunOkWithInputAsync(Service("svc", ("http", 80)), "apply", "-n", Ns, "-f", "-");

        await Kubectl.RunOkWithInputAsync(Service("svc", ("http", 8080), ("tls", 443)), "apply", "-n", Ns, "-f", "-");
        var ports = (await GetJson("get", "service", "svc"))["spec"]!["ports"]!.AsArray();
        ports.Select(p => (p!["name"]!.GetValue<string>(), p["port"]!.GetValue<int>())).Should().Equal(("http", 8080), ("tls", 443));

        await Kubectl.RunOkWithInputAsync(Service("svc", ("tls", 443)), "apply", "-n", Ns, "-f", "-");
        ports = (await GetJson("get", "service", "svc"))["spec"]!["ports"]!.AsArray();
        ports.Select(p => p!["port"]!.GetValue<int>()).Should().Equal(443);
    }

    [Test]
    public async Task Reapplying_An_Edited_Deployment_Merges_Containers_By_Name()
    {
        await Kubectl.RunOkWithInputAsync(Deployment, "apply", "-n", Ns, "-f", "-");
        // Another writer adds an env var to the sidecar; apply must keep it (three-way merge by container name).
        await Kubectl.RunOkAsync("patch", "deployment", "web", "-n", Ns, "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","env":[{"name":"EXTRA","value":"x"}]}]}}}}""");

        await Kubectl.RunOkWithInputAsync(Deployment.Replace("nginx:1", "nginx:2", StringComparison.Ordinal).Replace("""
                    env:
                    - name: A
                      value: "1"

            """, "", StringComparison.Ordinal), "apply", "-n", Ns, "-f", "-");

        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns);
        var containers = deployment.Spec.Template.Spec.Containers;
        containers.Select(c => c.Name).Should().Equal("web", "sidecar");
        containers[0].Image.Should().Be("nginx:2");
        containers[0].Env.Should().BeNullOrEmpty();
        containers[1].Env.Should().ContainSingle().Which.Name.Should().Be("EXTRA");
    }

    [Test]
    public async Task Apply_Rejects_Unknown_Fields_Like_Kube_Apiserver()
    {
        var result = await Kubectl.RunAsync(["apply", "-n", Ns, "-f", "-"], Service("svc", ("http", 80)).Replace("  type: LoadBalancer", "  type: LoadBalancer\n  colour: red", StringComparison.Ordinal));

        result.ExitCode.Should().NotBe(0);
        result.StdErr.Should().Contain("strict decoding error: unknown field \"spec.colour\"");
        (await Client.CoreV1.ListNamespacedServiceAsync(Ns)).Items.Should().BeEmpty();
    }

    [Test]
    public async Task Apply_With_Validate_Warn_Creates_And_Warns()
    {
        var result = await Kubectl.RunAsync(["apply", "--validate=warn", "-n", Ns, "-f", "-"], Service("svc", ("http", 80)).Replace("  type: LoadBalancer", "  type: LoadBalancer\n  colour: red", StringComparison.Ordinal));

        result.ExitCode.Should().Be(0, result.ToString());
        result.StdErr.Should().Contain("unknown field \"spec.colour\"");
        (await Client.CoreV1.ReadNamespacedServiceAsync("svc", Ns)).Spec.Type.Should().Be("LoadBalancer");
    }

    [Test]
    public async Task Get_Prints_Service_Columns_As_Kubectl_Users_Know_Them()
    {
        await Kubectl.RunOkWithInputAsync(Service("svc", ("http", 80), ("dns", 53)), "apply", "-n", Ns, "-f", "-");
        await Client.CoreV1.PatchNamespacedServiceStatusAsync(
            new V1Patch("""{"status":{"loadBalancer":{"ingress":[{"ip":"172.18.0.18"}]}}}""", V1Patch.PatchType.MergePatch), "svc", Ns);

        var output = await Kubectl.RunOkAsync("get", "svc", "-n", Ns);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().MatchRegex(@"^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s*$");
        lines[1].Should().MatchRegex(@"^svc\s+LoadBalancer\s+\S+\s+172\.18\.0\.18\s+80(:\d+)?/TCP,53(:\d+)?/TCP\s+\d+s\s*$");
        var wide = await Kubectl.RunOkAsync("get", "svc", "svc", "-n", Ns, "-o", "wide", "--show-labels");
        wide.Should().MatchRegex(@"SELECTOR\s+LABELS").And.Contain("app=web");
    }

    [Test]
    public async Task Get_Prints_Yaml_Json_Name_And_Jsonpath()
    {
        await Kubectl.RunOkWithInputAsync(Service("svc", ("http", 80)), "apply", "-n", Ns, "-f", "-");

        (await Kubectl.RunOkAsync("get", "svc", "svc", "-n", Ns, "-o", "yaml")).Should().Contain("kind: Service").And.Contain("name: svc");
        (await GetJson("get", "svc", "svc"))["spec"]!["type"]!.GetValue<string>().Should().Be("LoadBalancer");
        (await Kubectl.RunOkAsync("get", "svc", "-n", Ns, "-o", "name")).Trim().Should().Be("service/svc");
        (await Kubectl.RunOkAsync("get", "svc", "svc", "-n", Ns, "-o", "jsonpath={.spec.ports[0].port}")).Should().Be("80");
    }

    [Test]
    public async Task Get_Prints_Deployment_And_Namespace_Columns()
    {
        await Kubectl.RunOkWithInputAsync(Deployment, "apply", "-n", Ns, "-f", "-");

        var deployments = await Kubectl.RunOkAsync("get", "deploy", "-n", Ns);
        deployments.Should().MatchRegex(@"^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s*\n").And.MatchRegex(@"(?m)^web\s+\d/1\s+\d\s+\d\s+\d+s\s*$");
        var namespaces = await Kubectl.RunOkAsync("get", "ns", Ns);
        namespaces.Should().MatchRegex($@"(?m)^{Ns}\s+Active\s+\d+s\s*$");
    }

    [Test]
    public async Task Describe_Shows_Service_Deployment_And_Pod()
    {
        await Kubectl.RunOkWithInputAsync(Service("svc", ("http", 80)), "apply", "-n", Ns, "-f", "-");
        await Kubectl.RunOkWithInputAsync(Deployment, "apply", "-n", Ns, "-f", "-");
        await Kubectl.RunOkWithInputAsync("""
            apiVersion: v1
            kind: Pod
            metadata:
              name: solo
              labels:
                app: web
            spec:
              containers:
              - name: main
                image: busybox
            """, "apply", "-n", Ns, "-f", "-");

        var service = await Kubectl.RunOkAsync("describe", "service", "svc", "-n", Ns);
        service.Should().MatchRegex(@"Name:\s+svc").And.MatchRegex(@"Type:\s+LoadBalancer").And.MatchRegex(@"Port:\s+http\s+80/TCP");
        var deployment = await Kubectl.RunOkAsync("describe", "deployment", "web", "-n", Ns);
        deployment.Should().MatchRegex(@"Name:\s+web").And.MatchRegex(@"Replicas:\s+1 desired").And.Contain("nginx:1");
        var pod = await Kubectl.RunOkAsync("describe", "pod", "solo", "-n", Ns);
        pod.Should().MatchRegex(@"Name:\s+solo").And.MatchRegex(@"Image:\s+busybox");
    }

    [Test]
    public async Task Label_And_Annotate_Change_Metadata()
    {
        await Kubectl.RunOkWithInputAsync(Service("svc", ("http", 80)), "apply", "-n", Ns, "-f", "-");

        await Kubectl.RunOkAsync("label", "service", "svc", "-n", Ns, "tier=web");
        await Kubectl.RunOkAsync("annotate", "service", "svc", "-n", Ns, "note=hello");
        var service = await Client.CoreV1.ReadNamespacedServiceAsync("svc", Ns);
        service.Metadata.Labels.Should().Contain("tier", "web");
        service.Metadata.Annotations.Should().Contain("note", "hello");

        await Kubectl.RunOkAsync("label", "service", "svc", "-n", Ns, "tier-");
        (await Kubectl.RunOkAsync("get", "svc", "-n", Ns, "-l", "tier=web", "-o", "name")).Should().BeEmpty();
        (await Client.CoreV1.ReadNamespacedServiceAsync("svc", Ns)).Metadata.Labels.Should().NotContainKey("tier");
    }

    [Test]
    public async Task Patch_Accepts_Merge_Json_And_Strategic_Patches_And_Scale_Scales()
    {
        await Kubectl.RunOkWithInputAsync(Deployment, "apply", "-n", Ns, "-f", "-");

        await Kubectl.RunOkAsync("patch", "deployment", "web", "-n", Ns, "--type", "merge", "-p", """{"spec":{"replicas":3}}""");
        await Kubectl.RunOkAsync("patch", "deployment", "web", "-n", Ns, "--type", "json", "-p", """[{"op":"replace","path":"/spec/template/spec/containers/1/image","value":"busybox:2"}]""");
        await Kubectl.RunOkAsync("patch", "deployment", "web", "-n", Ns, "--type", "strategic", "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:3"}]}}}}""");

        var deployment = await Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns);
        deployment.Spec.Replicas.Should().Be(3);
        deployment.Spec.Template.Spec.Containers.Select(c => c.Image).Should().Equal("nginx:3", "busybox:2");
        deployment.Spec.Template.Spec.Containers[0].Env.Should().ContainSingle("a strategic patch merges containers by name");

        await Kubectl.RunOkAsync("scale", "deployment", "web", "-n", Ns, "--replicas=2");
        (await Client.AppsV1.ReadNamespacedDeploymentAsync("web", Ns)).Spec.Replicas.Should().Be(2);
    }

    [Test]
    public async Task Delete_Removes_An_Object_And_Waits_For_Finalizers_Only_When_Asked()
    {
        await Kubectl.RunOkWithInputAsync("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: free
            data: {a: b}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: held
              finalizers: [example.com/hold]
            data: {a: b}
            """, "apply", "-n", Ns, "-f", "-");

        (await Kubectl.RunOkAsync("delete", "configmap", "free", "-n", Ns)).Should().Contain("configmap \"free\" deleted");
        (await Kubectl.RunAsync(["get", "configmap", "free", "-n", Ns])).StdErr.Should().Contain("NotFound");

        await Kubectl.RunOkAsync("delete", "configmap", "held", "-n", Ns, "--wait=false");
        var held = await Client.CoreV1.ReadNamespacedConfigMapAsync("held", Ns);
        held.Metadata.DeletionTimestamp.Should().NotBeNull();

        var blocked = await Kubectl.RunAsync(["delete", "configmap", "held", "-n", Ns, "--timeout=1s"]);
        blocked.ExitCode.Should().NotBe(0, "kubectl delete waits for the finalizer to go: " + blocked);
        blocked.StdErr.Should().Contain("timed out");

        await Kubectl.RunOkAsync("patch", "configmap", "held", "-n", Ns, "--type", "json", "-p", """[{"op":"remove","path":"/metadata/finalizers"}]""");
        (await Kubectl.RunAsync(["get", "configmap", "held", "-n", Ns])).StdErr.Should().Contain("NotFound");
    }

    [Test]
    public async Task Wait_For_Jsonpath_Returns_When_The_Value_Appears()
    {
        await Kubectl.RunOkWithInputAsync("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: gate
            data: {state: closed}
            """, "apply", "-n", Ns, "-f", "-");

        var waiting = Kubectl.RunAsync(["wait", "-n", Ns, "configmap/gate", "--for=jsonpath={.data.state}=open", "--timeout=20s"]);
        await Task.Delay(500);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"state":"open"}}""", V1Patch.PatchType.MergePatch), "gate", Ns);

        var result = await waiting;
        result.ExitCode.Should().Be(0, result.ToString());
        result.StdOut.Should().Contain("condition met");
    }

    [Test]
    public async Task Wait_For_Delete_Returns_When_The_Object_Is_Gone()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("bye"), Ns);

        var waiting = Kubectl.RunAsync(["wait", "-n", Ns, "configmap/bye", "--for=delete", "--timeout=20s"]);
        await Task.Delay(500);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("bye", Ns);

        var result = await waiting;
        result.ExitCode.Should().Be(0, result.ToString());
    }

    private const string WidgetCrd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd], categories: [all]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Colour, type: string, jsonPath: .spec.colour}
            - {name: Phase, type: string, jsonPath: '.status.conditions[0].type'}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer}
                      colour: {type: string}
                  status:
                    type: object
                    properties:
                      conditions:
                        type: array
                        items: {type: object, properties: {type: {type: string}}}
        """;

    private static string Widget(int size, string extra = "") => $"""
        apiVersion: example.com/v1
        kind: Widget
        metadata:
          name: w1
        spec:
          size: {size}
          colour: red
        {extra}
        """;

    [Test]
    public async Task Custom_Resources_Print_Their_Columns_And_Apply_With_Merge_Patches()
    {
        await Kubectl.RunOkWithInputAsync(WidgetCrd, "apply", "-f", "-");
        await Kubectl.RunOkAsync("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=20s");
        (await Kubectl.RunOkAsync("api-resources", "--api-group=example.com")).Should().MatchRegex(@"(?m)^widgets\s+wd\s+example.com/v1\s+true\s+Widget\s*$");

        await Kubectl.RunOkWithInputAsync(Widget(3), "apply", "-n", Ns, "-f", "-");
        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"conditions":[{"type":"Ready"}]}}""", V1Patch.PatchType.MergePatch), "example.com", "v1", Ns, "widgets", "w1");
        var reapplied = await Kubectl.RunAsync(["apply", "-n", Ns, "-f", "-"], Widget(4));
        reapplied.ExitCode.Should().Be(0, reapplied.ToString());
        reapplied.StdErr.Should().BeEmpty("kubectl computes a merge patch for custom resources without complaint");

        var table = await Kubectl.RunOkAsync("get", "wd", "-n", Ns);
        table.Should().MatchRegex(@"^NAME\s+SIZE\s+COLOUR\s+PHASE\s+AGE\s*\n").And.MatchRegex(@"(?m)^w1\s+4\s+red\s+Ready\s+\d+s\s*$");
        (await Kubectl.RunOkAsync("get", "all", "-n", Ns)).Should().Contain("widget.example.com/w1");
        (await Kubectl.RunOkAsync("describe", "widget", "w1", "-n", Ns)).Should().MatchRegex(@"Size:\s+4");
        (await Kubectl.RunOkAsync("explain", "widget.spec")).Should().Contain("colour").And.Contain("size");
    }

    [Test]
    public async Task Custom_Resources_Reject_Unknown_Fields_Unless_Validation_Is_Off()
    {
        await Kubectl.RunOkWithInputAsync(WidgetCrd, "apply", "-f", "-");
        await Kubectl.RunOkAsync("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=20s");
        var unknownField = Widget(5, "  shape: round");

        var rejected = await Kubectl.RunAsync(["apply", "-n", Ns, "-f", "-"], unknownField);
        rejected.ExitCode.Should().NotBe(0);
        rejected.StdErr.Should().Contain("strict decoding error: unknown field \"spec.shape\"");

        await Kubectl.RunOkWithInputAsync(unknownField, "apply", "--validate=false", "-n", Ns, "-f", "-");
        var widget = JsonNode.Parse(await Kubectl.RunOkAsync("get", "widget", "w1", "-n", Ns, "-o", "json"))!;
        widget["spec"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(["size", "colour"], "unknown fields are pruned");
    }

    [Test]
    public async Task Get_Watch_Prints_Rows_As_Objects_Change()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("first"), Ns);

        var watching = Kubectl.RunAsync(["get", "configmaps", "-n", Ns, "-w", "--request-timeout=3s"]);
        await Task.Delay(1000);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("second"), Ns);

        var result = await watching;
        result.StdOut.Should().MatchRegex(@"^NAME\s+DATA\s+AGE\s*\n").And.MatchRegex(@"(?m)^first\s+1\s+").And.MatchRegex(@"(?m)^second\s+1\s+");
    }

    [Test]
    public async Task Create_Generators_Fail_With_The_Workaround_In_The_Message()
    {
        var result = await Kubectl.RunFailingAsync("create", "configmap", "generated", "-n", Ns, "--from-literal=a=b");

        result.StdErr.Should().Contain("accepts only application/json").And.Contain("--dry-run=client -o yaml | kubectl apply -f -");
        var generated = await Kubectl.RunOkAsync("create", "configmap", "generated", "-n", Ns, "--from-literal=a=b", "--dry-run=client", "-o", "yaml");
        await Kubectl.RunOkWithInputAsync(generated, "apply", "-n", Ns, "-f", "-");
        (await Client.CoreV1.ReadNamespacedConfigMapAsync("generated", Ns)).Data.Should().Contain("a", "b");
    }
}
