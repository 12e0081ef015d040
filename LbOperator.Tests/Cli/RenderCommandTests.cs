using System.Runtime.CompilerServices;
using k8s;
using k8s.Models;
using LbOperator.Cli;

namespace LbOperator.Tests.Cli;

[Category("Unit")]
public sealed class RenderCommandTests
{
    private static string Examples([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", "examples"));

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LbOperatorCli.InvokeAsync(args, stdout, stderr, CancellationToken.None);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string SeedServiceWithClusterIp()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lbop-render-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(Examples(), "service.yaml")).Replace("spec:\n", "spec:\n  clusterIP: 10.109.201.193\n", StringComparison.Ordinal));
        return path;
    }

    [Test]
    public async Task The_Seed_Examples_Render_The_Gateway_Deployment_With_The_Requested_Address()
    {
        var service = SeedServiceWithClusterIp();
        try
        {
            var (code, stdout, stderr) = await Run("render", "-f", Path.Combine(Examples(), "subnet.yaml"), "-f", service, "-f", Path.Combine(Examples(), "nad.yaml"));

            code.Should().Be(0, stderr);
            var deployment = KubernetesYaml.Deserialize<V1Deployment>(stdout);
            deployment.Metadata.Name.Should().Be("lb-svc-test-service");
            deployment.Spec.Template.Metadata.Annotations["lb-svc-attachment.kube-system.kubernetes.io/ip_address"].Should().Be("172.18.0.18");
            deployment.Spec.Template.Spec.InitContainers[0].Command[2].Should().Contain("--to-destination 10.109.201.193:80");
        }
        finally
        {
            File.Delete(service);
        }
    }

    [Test]
    public async Task Script_Prints_Only_The_Script()
    {
        var service = SeedServiceWithClusterIp();
        try
        {
            var (code, stdout, _) = await Run("render", "--script", "-f", Path.Combine(Examples(), "subnet.yaml"), "-f", service);
            code.Should().Be(0);
            stdout.Should().StartWith("#!/bin/sh\n").And.Contain("ip -4 addr replace 172.18.0.18/16 dev net1");
        }
        finally
        {
            File.Delete(service);
        }
    }

    [Test]
    public async Task A_Service_Without_ClusterIP_Is_An_Error_That_Says_How_To_Give_One()
    {
        var (code, stdout, stderr) = await Run("render", "-f", Path.Combine(Examples(), "subnet.yaml"), "-f", Path.Combine(Examples(), "service.yaml"));

        code.Should().NotBe(0);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith("error: Service default/test-service has no spec.clusterIP")
            .And.Contain("add spec.clusterIP to the file")
            .And.Contain("kubectl get svc test-service -n default");
        stderr.TrimEnd().Split('\n').Should().ContainSingle("a user error is one line, not a stack trace");
    }

    [Test]
    public async Task A_Service_That_Is_Not_Ours_Is_Reported()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lbop-render-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {type: LoadBalancer, clusterIP: 10.96.0.1, ports: [{port: 80}]}\n");
        try
        {
            var (code, _, stderr) = await Run("render", "-f", Path.Combine(Examples(), "subnet.yaml"), "-f", path);
            code.Should().NotBe(0);
            stderr.Should().Contain("Service default/web is left alone by LbOperator: it has no annotation ovn.kubernetes.io/attachmentprovider");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Services_In_One_Render_Get_Distinct_Lowest_Free_Addresses()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lbop-render-{Guid.NewGuid():N}.yaml");
        const string service = "apiVersion: v1\nkind: Service\nmetadata: {{name: {0}, namespace: default, annotations: {{ovn.kubernetes.io/attachmentprovider: lb-svc-attachment.kube-system}}}}\nspec: {{type: LoadBalancer, clusterIP: 10.96.0.{1}, ports: [{{port: 80}}]}}\n";
        File.WriteAllText(path, string.Format(System.Globalization.CultureInfo.InvariantCulture, service, "one", 1) + "---\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, service, "two", 2));
        try
        {
            var (code, stdout, stderr) = await Run("render", "-f", Path.Combine(Examples(), "subnet.yaml"), "-f", path);
            code.Should().Be(0, stderr);
            stdout.Should().Contain("ip_address: 172.18.0.11").And.Contain("ip_address: 172.18.0.12");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task Validate_Checks_Services_Against_The_Subnets_Given()
    {
        var (code, stdout, _) = await Run("validate", "-f", Path.Combine(Examples(), "subnet.yaml"), "-f", Path.Combine(Examples(), "service.yaml"));

        code.Should().Be(0);
        stdout.Should().Contain("service default/test-service: ok, provider lb-svc-attachment.kube-system, subnet attach-subnet, address 172.18.0.18 (requested), ports 80/TCP");
    }

    [Test]
    public async Task Validate_Reports_A_Service_Address_Outside_Its_Subnet()
    {
        var path = Path.Combine(Path.GetTempPath(), $"lbop-validate-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(Examples(), "service.yaml")).Replace("172.18.0.18", "172.19.0.18", StringComparison.Ordinal));
        try
        {
            var (code, stdout, _) = await Run("validate", "-f", Path.Combine(Examples(), "subnet.yaml"), "-f", path);
            code.Should().Be(1);
            stdout.Should().Contain("Service default/test-service: spec.loadBalancerIP: 172.19.0.18 is outside Subnet attach-subnet (172.18.0.0/16)");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
