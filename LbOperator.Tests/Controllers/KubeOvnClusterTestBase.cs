using LbOperator.Controllers;
using LbOperator.Tests.Sandbox.Kubectl;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// A sandbox installed as a Kube-OVN cluster is: Kube-OVN's Subnet, IP and Vip CRDs first (kubectl), then LbOperator's
/// tree without the Subnet CRD; the operator runs in Kube-OVN mode by <c>auto</c>, and a stand-in of kube-ovn-controller's
/// Vip handling (<see cref="KubeOvnVipStandIn"/>) confirms reservations.
/// </summary>
public abstract class KubeOvnClusterTestBase : OperatorTestBase
{
    private string _directory = "";

    protected KubectlRunner Kubectl { get; private set; } = null!;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Structure", "NUnit1032",
        Justification = "Made by InstallCrdsAsync, which the one-time set-up calls; disposed in the one-time tear-down.")]
    protected KubeOvnVipStandIn KubeOvn { get; private set; } = null!;

    protected override LbOperatorSettings OperatorSettings => new() { KubeOvnReservationGrace = TimeSpan.FromSeconds(1) };

    protected override async Task InstallCrdsAsync()
    {
        KubectlRunner.RequireKubectl();
        _directory = Directory.CreateTempSubdirectory("lbop-kube-ovn-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        Sandbox.WriteKubeconfig(kubeconfig);
        Kubectl = new KubectlRunner(kubeconfig, Path.Combine(_directory, "cache"));
        await Kubectl.RunOkAsync("apply", "-f", KubeOvnFixture.CrdFile);
        await Kubectl.RunOkAsync("apply", "-k", Path.Combine(RepositoryRoot.Path, "config", "kube-ovn", "crd"));
        KubeOvn = KubeOvnVipStandIn.Start(Client);
    }

    [SetUp]
    public void ResumeKubeOvn() => KubeOvn.Paused = false;

    [OneTimeTearDown]
    public async Task StopKubeOvnAndRemoveKubeconfig()
    {
        if (KubeOvn is not null)
        {
            await KubeOvn.DisposeAsync();
        }

        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
