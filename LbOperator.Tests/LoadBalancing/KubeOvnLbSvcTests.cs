using k8s.Models;
using LbOperator.LoadBalancing;

namespace LbOperator.Tests.LoadBalancing;

[Category("Unit")]
public sealed class KubeOvnLbSvcTests
{
    private static V1Deployment Controller(IList<string>? args, IList<string>? command = null) => new()
    {
        Spec = new V1DeploymentSpec
        {
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container { Name = "sidecar", Args = ["--enable-lb-svc=false"] },
                        new V1Container { Name = "kube-ovn-controller", Args = args, Command = command },
                    ],
                },
            },
        },
    };

    [TestCase(new[] { "--enable-lb-svc=true" }, true)]
    [TestCase(new[] { "--default-cidr=10.16.0.0/16", "--enable-lb-svc" }, true)]
    [TestCase(new[] { "-enable-lb-svc=T" }, true)]
    [TestCase(new[] { "--enable-lb-svc=1" }, true)]
    [TestCase(new[] { "--enable-lb-svc=true", "--enable-lb-svc=false" }, false)]
    [TestCase(new[] { "--enable-lb-svc=false", "--enable-lb-svc" }, true)]
    [TestCase(new[] { "--enable-lb-svc=yes" }, false)]
    [TestCase(new[] { "--enable-lb-svc-extra=true" }, false)]
    [TestCase(new[] { "enable-lb-svc=true" }, false)]
    [TestCase(new string[0], false)]
    public void Reads_The_Flag_As_Gos_Flag_Package_Does(string[] args, bool enabled) =>
        KubeOvnLbSvc.IsEnabled(Controller(args)).Should().Be(enabled);

    [Test]
    public void A_Flag_Inside_A_Shell_Command_Counts_And_No_Deployment_Means_Off()
    {
        KubeOvnLbSvc.IsEnabled(Controller(null, ["sh", "-c", "exec /kube-ovn/kube-ovn-controller --enable-lb-svc=true --v=3"])).Should().BeTrue();
        KubeOvnLbSvc.IsEnabled(null).Should().BeFalse();
        KubeOvnLbSvc.IsEnabled(new V1Deployment()).Should().BeFalse();
    }
}
