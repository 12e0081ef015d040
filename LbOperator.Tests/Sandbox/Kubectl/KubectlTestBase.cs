namespace LbOperator.Tests.Sandbox.Kubectl;

/// <summary>A sandbox per fixture with a kubeconfig written for kubectl, and a <see cref="KubectlRunner"/> using it.</summary>
public abstract class KubectlTestBase : SandboxTestBase
{
    private string _directory = "";

    protected KubectlRunner Kubectl { get; private set; } = null!;

    [OneTimeSetUp]
    public void WriteKubeconfig()
    {
        KubectlRunner.RequireKubectl();
        _directory = Directory.CreateTempSubdirectory("lbop-kubectl-").FullName;
        var kubeconfig = Path.Combine(_directory, "kubeconfig");
        Sandbox.WriteKubeconfig(kubeconfig);
        Kubectl = new KubectlRunner(kubeconfig, Path.Combine(_directory, "cache"));
    }

    [OneTimeTearDown]
    public void RemoveKubeconfig()
    {
        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>The path of one of the seed's example manifests.</summary>
    protected static string Example(string file)
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "examples", file);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"examples/{file} not found above {TestContext.CurrentContext.TestDirectory}");
    }
}
