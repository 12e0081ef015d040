using System.Runtime.CompilerServices;

namespace LbOperator.Tests.Gateway;

/// <summary>
/// Golden files under <c>Gateway/Golden/&lt;scenario&gt;/</c> in the source tree. A difference fails the test;
/// <c>UPDATE_GOLDEN=1</c> rewrites the files instead (review the diff before committing).
/// </summary>
internal static class GoldenFiles
{
    public static string Directory([CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Golden");

    public static IEnumerable<string> Scenarios() =>
        System.IO.Directory.GetDirectories(Directory()).Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    public static string Input(string scenario) => Path.Combine(Directory(), scenario, "input.yaml");

    public static void Verify(string scenario, string fileName, string actual)
    {
        var path = Path.Combine(Directory(), scenario, fileName);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return;
        }
        File.Exists(path).Should().BeTrue($"golden file {path} exists (run the tests with UPDATE_GOLDEN=1 to create it)");
        actual.Should().Be(File.ReadAllText(path), $"the output matches {path} (UPDATE_GOLDEN=1 regenerates it)");
    }
}
