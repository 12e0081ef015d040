using k8s;

namespace LbOperator.Framework.Hosting;

/// <summary>
/// Finds the cluster to talk to: an explicit kubeconfig path, else the first existing file of <c>KUBECONFIG</c>,
/// else <c>~/.kube/config</c>, else the in-cluster service account.
/// </summary>
public static class KubeconfigLoader
{
    public static KubernetesClientConfiguration Load(string? kubeconfigPath, string? context)
    {
        var candidates = Candidates(kubeconfigPath).ToList();
        if (kubeconfigPath is not null && !File.Exists(kubeconfigPath))
        {
            throw new FileNotFoundException($"kubeconfig '{kubeconfigPath}' does not exist.", kubeconfigPath);
        }

        var path = candidates.FirstOrDefault(File.Exists);
        if (path is not null)
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context);
        }

        if (KubernetesClientConfiguration.IsInCluster())
        {
            return KubernetesClientConfiguration.InClusterConfig();
        }

        throw new FileNotFoundException(
            $"No kubeconfig found (tried {string.Join(", ", candidates.DefaultIfEmpty("nothing"))}) and not running in a cluster; pass --kubeconfig PATH.");
    }

    private static IEnumerable<string> Candidates(string? kubeconfigPath)
    {
        if (kubeconfigPath is not null)
        {
            yield return kubeconfigPath;
            yield break;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            foreach (var path in fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                yield return path;
            }
        }

        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }
}
