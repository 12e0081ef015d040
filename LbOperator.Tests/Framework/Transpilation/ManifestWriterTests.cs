using LbOperator.Framework.Transpilation;

namespace LbOperator.Tests.Framework.Transpilation;

[Category("Unit")]
public sealed class ManifestWriterTests
{
    private string folder = string.Empty;

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("lbop-writer-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public async Task Writes_Files_And_Removes_Only_Stale_Generated_Ones()
    {
        var stale = Path.Combine(folder, "crd", "old_crd.yaml");
        var handWritten = Path.Combine(folder, "crd", "patch.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        await File.WriteAllTextAsync(stale, KustomizeGenerator.Header + "kind: Old\n");
        await File.WriteAllTextAsync(handWritten, "kind: Mine\n");

        await ManifestWriter.WriteAsync(folder, [new ManifestFile("crd/new.yaml", KustomizeGenerator.Header + "kind: New\n")], CancellationToken.None);

        File.Exists(stale).Should().BeFalse();
        File.ReadAllText(handWritten).Should().Be("kind: Mine\n");
        File.ReadAllText(Path.Combine(folder, "crd", "new.yaml")).Should().EndWith("kind: New\n");
    }

    [Test]
    public async Task Refuses_A_Path_Outside_The_Output_Folder()
    {
        var act = () => ManifestWriter.WriteAsync(folder, [new ManifestFile("../escape.yaml", "x")], CancellationToken.None);
        await act.Should().ThrowAsync<ArgumentException>().WithMessage("*../escape.yaml*outside*");
    }
}
