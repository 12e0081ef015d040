namespace LbOperator.Framework.Transpilation;

/// <summary>
/// Writes generated files under an output folder and deletes the generated files a previous run left there that
/// are no longer produced (only files starting with the generated header are touched: a hand-written file stays).
/// </summary>
public static class ManifestWriter
{
    public static async Task WriteAsync(string outputDirectory, IReadOnlyList<ManifestFile> files, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(files);
        var root = Path.GetFullPath(outputDirectory);
        var wanted = files.Select(f => Path.GetFullPath(Path.Combine(root, f.RelativePath))).ToHashSet(StringComparer.Ordinal);
        if (Directory.Exists(root))
        {
            foreach (var stale in Directory.EnumerateFiles(root, "*.yaml", SearchOption.AllDirectories).Where(p => !wanted.Contains(p)))
            {
                if ((await File.ReadAllTextAsync(stale, cancellationToken)).StartsWith(KustomizeGenerator.Header, StringComparison.Ordinal))
                {
                    File.Delete(stale);
                }
            }
        }

        foreach (var file in files)
        {
            var path = Path.GetFullPath(Path.Combine(root, file.RelativePath));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ArgumentException($"generated file {file.RelativePath} would land outside {root}", nameof(files));
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, file.Content, cancellationToken);
        }
    }
}
