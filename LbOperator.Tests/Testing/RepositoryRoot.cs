namespace LbOperator.Tests.Testing;

/// <summary>The checkout the tests run from: the folder holding LbOperator.sln above the test binaries.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "LbOperator.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no LbOperator.sln above {TestContext.CurrentContext.TestDirectory}");
    }
}
