namespace LbOperator.Benchmarks.Scale;

/// <summary>Where the built programs and the generated CRDs are, found from the repository root.</summary>
public sealed record BenchPaths(string Root)
{
    public string SandboxHost => Path.Combine(Root, "LbOperator.Sandbox.Host", "bin", "Release", "net10.0", "LbOperator.Sandbox.Host.dll");

    public string Operator => Path.Combine(Root, "LbOperator", "bin", "Release", "net10.0", "LbOperator.dll");

    public string CrdDirectory => Path.Combine(Root, "config", "crd");

    /// <summary>The first directory above this program (or the working directory) that holds LbOperator.sln.</summary>
    public static BenchPaths Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "LbOperator.sln")))
                {
                    return new BenchPaths(directory.FullName);
                }
            }
        }

        throw new InvalidOperationException("cannot find the repository (LbOperator.sln) above the benchmark or the working directory");
    }

    /// <summary>Throws when a program has not been built in Release.</summary>
    public void Check()
    {
        foreach (var path in new[] { SandboxHost, Operator })
        {
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} is missing: build Release first (make bench-scale and make bench-failover do)");
            }
        }

        if (!Directory.EnumerateFiles(CrdDirectory, "*.yaml").Any())
        {
            throw new InvalidOperationException($"{CrdDirectory} has no CRDs (make generate writes them)");
        }
    }
}
