using System.Reflection;

namespace LbOperator.Tests.Architecture;

/// <summary>
/// Every test carries exactly one layer category, so <c>make test-unit</c> and the slow layers can be run alone and
/// <c>make test</c> (all of them) misses none.
/// </summary>
[Category("Unit")]
public sealed class TestCategoryTests
{
    private static readonly string[] Layers = ["Unit", "Sandbox", "Kubectl", "DataPath", "EndToEnd"];

    [Test]
    public void Every_Test_Has_Exactly_One_Layer_Category()
    {
        var tests = typeof(TestCategoryTests).Assembly.GetTypes()
            .Where(t => !t.IsAbstract)
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static).Select(m => (Fixture: t, Method: m)))
            .Where(x => x.Method.GetCustomAttributes().Any(a => a is TestAttribute or TestCaseAttribute or TestCaseSourceAttribute))
            .ToList();
        tests.Should().HaveCountGreaterThan(100);

        var wrong = tests
            .Select(x => (x.Fixture, x.Method, Categories: CategoriesOf(x.Fixture, x.Method).Where(Layers.Contains).Distinct().ToList()))
            .Where(x => x.Categories.Count != 1)
            .Select(x => $"{x.Fixture.Name}.{x.Method.Name}: [{string.Join(", ", x.Categories)}]");
        wrong.Should().BeEmpty($"each test has one of {string.Join(", ", Layers)}");
    }

    private static IEnumerable<string> CategoriesOf(Type fixture, MethodInfo method)
    {
        var own = method.GetCustomAttributes<CategoryAttribute>().Select(c => c.Name);
        // NUnit applies a fixture's categories, and its base classes', to every test in it.
        var inherited = fixture.GetCustomAttributes<CategoryAttribute>(inherit: true).Select(c => c.Name);
        return own.Concat(inherited);
    }
}
