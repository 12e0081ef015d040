using System.Text.RegularExpressions;
using LbOperator.Tests.Testing;

namespace LbOperator.Tests.Architecture;

/// <summary>
/// The layer rules of docs/architecture.md, checked over the product's source: no forbidden arrow between layers, the
/// pure layers free of I/O, clocks, logging and async, and the projects referencing only what they may.
/// </summary>
[Category("Unit")]
public sealed partial class LayerTests
{
    private static readonly LayerTable Table = LayerTable.Load();

    private static readonly string[] ProductProjects = ["LbOperator", "LbOperator.Framework", "LbOperator.Sandbox", "LbOperator.Sandbox.Host"];

    private static IEnumerable<SourceFile> ProductSources() =>
        ProductProjects.SelectMany(p => SourceFile.Under(Path.Combine(RepositoryRoot.Path, p)));

    [Test]
    public void The_Table_Names_Every_Layer_It_Refers_To()
    {
        Table.Layers.Select(l => l.Name).Should().Contain(["framework", "sandbox", "entities", "ipam", "rules", "gateway", "reconcilers", "composition", "cli", "sandbox host"]);
        foreach (var layer in Table.Layers)
        {
            layer.Namespaces.Should().NotBeEmpty($"layer {layer.Name} has namespaces");
            layer.MayUse.Where(used => Table.Layers.All(l => l.Name != used)).Should().BeEmpty($"layer {layer.Name} may use only layers of the table");
        }
    }

    [Test]
    public void Every_Product_File_Belongs_To_A_Layer()
    {
        var orphans = ProductSources()
            .Where(f => !Path.GetFileName(f.Path).Equals("Program.cs", StringComparison.Ordinal))
            .Where(f => Table.LayerOf(f.Namespace) is null)
            .Select(f => $"{Relative(f.Path)} (namespace '{f.Namespace}')");
        orphans.Should().BeEmpty("each file's namespace is in the table of docs/architecture.md");
    }

    [Test]
    public void No_Layer_Uses_One_It_May_Not() =>
        Violations(ProductSources()).Should().BeEmpty("docs/architecture.md lists the allowed arrows");

    [Test]
    public void The_Rule_Catches_A_Forbidden_Arrow()
    {
        // A pure rule file that reached up into the controllers and the framework: the check must see both.
        var file = Write("namespace LbOperator.LoadBalancing;\nusing LbOperator.Framework.Client;\npublic static class Bad { public static object X => Controllers.ServiceController.ConditionType; }\n");
        try
        {
            Violations([SourceFile.Read(file)]).Should().HaveCount(2)
                .And.Contain(v => v.Contains("LbOperator.Framework.Client", StringComparison.Ordinal))
                .And.Contain(v => v.Contains("LbOperator.Controllers", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void The_Pure_Layers_Do_No_IO_Keep_No_Clock_Log_Nothing_And_Never_Wait() =>
        PureViolations(ProductSources()).Should().BeEmpty("ipam, rules and gateway are pure: objects in, objects and text out");

    [Test]
    public void The_Purity_Rule_Catches_A_Clock_A_Task_And_The_Client()
    {
        var file = Write("namespace LbOperator.Ipam;\nusing k8s;\npublic static class Bad { public static async System.Threading.Tasks.Task<System.DateTime> Now() => System.DateTime.UtcNow; }\n");
        try
        {
            PureViolations([SourceFile.Read(file)]).Should().Contain(v => v.Contains("'k8s'", StringComparison.Ordinal))
                .And.Contain(v => v.Contains("DateTime.UtcNow", StringComparison.Ordinal))
                .And.Contain(v => v.Contains("async", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void The_Framework_And_The_Sandbox_Reference_No_Product_Assembly_And_The_Operator_No_Sandbox()
    {
        static IEnumerable<string> Refs(Type anchor) => anchor.Assembly.GetReferencedAssemblies().Select(a => a.Name!);

        Refs(typeof(LbOperator.Framework.Builder.IOperatorBuilder)).Should().NotContain(n => n.StartsWith("LbOperator", StringComparison.Ordinal));
        Refs(typeof(LbOperator.Sandbox.SandboxServer)).Should().NotContain(n => n.StartsWith("LbOperator", StringComparison.Ordinal));
        Refs(typeof(LbOperator.Cli.LbOperatorCli)).Should().Contain("LbOperator.Framework")
            .And.NotContain(n => n.StartsWith("LbOperator.Sandbox", StringComparison.Ordinal));
    }

    private static List<string> Violations(IEnumerable<SourceFile> files)
    {
        var types = ProductSources().SelectMany(f => f.DeclaredTypes.Select(t => (f.Namespace, Type: t))).ToHashSet();
        var found = new List<string>();
        foreach (var file in files)
        {
            var layer = Table.LayerOf(file.Namespace);
            if (layer is null)
            {
                continue;
            }

            var partials = file.PartialNames
                .Where(p => types.Contains(("LbOperator." + p.Area, p.Name)))
                .Select(p => "LbOperator." + p.Area);
            foreach (var named in file.NamedNamespaces.Concat(partials).Distinct())
            {
                var target = Table.LayerOf(named);
                if (target is not null && target != layer && !layer.MayUse.Contains(target.Name))
                {
                    found.Add($"{Relative(file.Path)}: layer {layer.Name} uses {named} (layer {target.Name})");
                }
            }
        }

        return found;
    }

    private static List<string> PureViolations(IEnumerable<SourceFile> files)
    {
        var found = new List<string>();
        foreach (var file in files.Where(f => Table.LayerOf(f.Namespace) is { } l && LayerTable.PureLayers.Contains(l.Name)))
        {
            foreach (var named in file.NamedNamespaces.Where(n => (n == "k8s" || n.StartsWith("k8s.", StringComparison.Ordinal)) && !n.StartsWith("k8s.Models", StringComparison.Ordinal)))
            {
                found.Add($"{Relative(file.Path)}: names '{named}' (only k8s.Models is allowed)");
            }

            foreach (Match impure in ImpureCode().Matches(file.Code))
            {
                found.Add($"{Relative(file.Path)}: {impure.Value.Trim()}");
            }
        }

        return found;
    }

    private static string Write(string code)
    {
        var path = Path.Combine(Path.GetTempPath(), $"layer-test-{Guid.NewGuid():N}.cs");
        File.WriteAllText(path, code);
        return path;
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Path, path);

    // I/O, clocks, randomness, logging and waiting: what a pure function never does.
    [GeneratedRegex(@"\b(?:async|await|Task|ValueTask|ILogger\w*|TimeProvider|Stopwatch|Random|Thread|HttpClient|Process|Console|Environment|File|Directory)\b|\bDateTime(?:Offset)?\.(?:Now|UtcNow|Today)\b|\bMicrosoft\.Extensions\b|\bLbOperator\.Framework\b")]
    private static partial Regex ImpureCode();
}
