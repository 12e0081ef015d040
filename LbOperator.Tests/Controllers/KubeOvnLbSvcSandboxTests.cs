using k8s;
using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.Controllers;

/// <summary>While kube-ovn-controller runs with <c>--enable-lb-svc=true</c>, LbOperator serves no Service, and says why.</summary>
[NonParallelizable]
[Category("Sandbox")]
public sealed class KubeOvnLbSvcSandboxTests : OperatorTestBase
{
    // This sandbox serves no Kube-OVN CRD, so the mode is asked for (auto would leave it off).
    protected override LbOperatorSettings OperatorSettings => new() { KubeOvn = KubeOvnSetting.On, KubeOvnCheckInterval = TimeSpan.FromMilliseconds(200) };

    private static V1Deployment KubeOvnController(bool lbSvc) => new()
    {
        Metadata = new V1ObjectMeta { Name = KubeOvnLbSvc.ControllerName, NamespaceProperty = KubeOvnLbSvc.ControllerNamespace },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "kube-ovn-controller" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "kube-ovn-controller" } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "kube-ovn-controller",
                            Image = "docker.io/kubeovn/kube-ovn:v1.14.0",
                            Args = ["/kube-ovn/start-controller.sh", "--default-cidr=10.16.0.0/16", $"--enable-lb-svc={(lbSvc ? "true" : "false")}"],
                        },
                    ],
                },
            },
        },
    };

    [Test]
    public async Task No_Service_Is_Served_While_Kube_Ovns_Lb_Svc_Runs_And_Each_Is_Once_It_Is_Turned_Off()
    {
        await Api.AppsV1.CreateNamespacedDeploymentAsync(KubeOvnController(lbSvc: true), KubeOvnLbSvc.ControllerNamespace);
        try
        {
            await Eventually(() => Task.FromResult(OperatorServices.GetService(typeof(KubeOvnLbSvcCheck)) is KubeOvnLbSvcCheck { Enabled: true }),
                on => on, "the operator to see Kube-OVN's lb-svc running");
            await CreateNadAsync();
            await CreateSubnetAsync("a");
            await CreateServiceAsync(LbService("web"));

            var service = await Eventually(() => GetServiceAsync("web"),
                s => LoadBalancerCondition(s)?.Reason == EventReasons.KubeOvnLbSvcEnabled, "the condition to say why the Service is not served");
            LoadBalancerCondition(service)!.Status.Should().Be("False");
            LoadBalancerCondition(service)!.Message.Should().Contain("--enable-lb-svc=true").And.Contain("--enable-lb-svc=false on kube-ovn-controller");
            var warning = await WaitForEventAsync("web", EventReasons.KubeOvnLbSvcEnabled);
            warning.Type.Should().Be("Warning");
            Ingress(service).Should().BeEmpty();
            (await GetGatewayAsync("web")).Should().BeNull("no gateway beside Kube-OVN's own");

            var controller = await Api.AppsV1.ReadNamespacedDeploymentAsync(KubeOvnLbSvc.ControllerName, KubeOvnLbSvc.ControllerNamespace);
            controller.Spec.Template.Spec.Containers[0].Args = KubeOvnController(lbSvc: false).Spec.Template.Spec.Containers[0].Args;
            await Api.AppsV1.ReplaceNamespacedDeploymentAsync(controller, KubeOvnLbSvc.ControllerName, KubeOvnLbSvc.ControllerNamespace);

            await WaitForIngressAsync("web", "192.168.10.11");
            (await GetGatewayAsync("web")).Should().NotBeNull();
        }
        finally
        {
            await Api.AppsV1.DeleteNamespacedDeploymentAsync(KubeOvnLbSvc.ControllerName, KubeOvnLbSvc.ControllerNamespace);
        }
    }
}
