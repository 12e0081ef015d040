namespace LbOperator.Tests.Testing;

/// <summary>Kube-OVN's own CRDs as a Kube-OVN cluster serves them, written from the facts of its chart.</summary>
internal static class KubeOvnFixture
{
    /// <summary>Kube-OVN's Subnet, IP and Vip CRDs (no LbOperator label).</summary>
    public static string CrdFile => Path.Combine(RepositoryRoot.Path, "LbOperator.Tests", "Fixtures", "kube-ovn-crds.yaml");
}
