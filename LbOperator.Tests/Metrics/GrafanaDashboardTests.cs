namespace LbOperator.Tests.Metrics;

/// <summary>The shipped Grafana dashboard is valid and charts what users look at; the sandbox tests check its metrics are served.</summary>
[Category("Unit")]
public sealed class GrafanaDashboardTests
{
    [Test]
    public void Is_Valid_Json_With_Unique_Panels_On_The_Grid()
    {
        using var dashboard = GrafanaDashboard.Load();
        var panels = dashboard.RootElement.GetProperty("panels").EnumerateArray().ToList();
        panels.Should().NotBeEmpty();
        panels.Select(p => p.GetProperty("id").GetInt32()).Should().OnlyHaveUniqueItems();
        foreach (var panel in panels)
        {
            var grid = panel.GetProperty("gridPos");
            (grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32()).Should().BeLessThanOrEqualTo(24, panel.GetProperty("title").GetString());
            if (panel.GetProperty("type").GetString() != "row")
            {
                panel.GetProperty("datasource").GetProperty("uid").GetString().Should().Be("${datasource}", "the data source is chosen on import");
            }
        }

        dashboard.RootElement.GetProperty("uid").GetString().Should().Be("lboperator");
    }

    [Test]
    public void Every_Query_Reads_Operator_Metrics_Of_The_Chosen_Job()
    {
        using var dashboard = GrafanaDashboard.Load();
        var queries = GrafanaDashboard.Queries(dashboard);
        queries.Should().HaveCountGreaterThan(15);
        foreach (var query in queries)
        {
            GrafanaDashboard.MetricsOf(query).Should().NotBeEmpty($"'{query}' reads a metric the operator serves");
        }

        queries.Where(q => !q.StartsWith("label_values", StringComparison.Ordinal))
            .Should().OnlyContain(q => q.Contains("job=\"$job\"", StringComparison.Ordinal), "other operators serve the same controller-runtime names");
    }

    [Test]
    public void Charts_Reconciles_Queues_Subnet_Addresses_And_Services()
    {
        using var dashboard = GrafanaDashboard.Load();
        var metrics = GrafanaDashboard.Queries(dashboard).SelectMany(GrafanaDashboard.MetricsOf).ToHashSet(StringComparer.Ordinal);
        metrics.Should().Contain([
            "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds",
            "workqueue_depth", "lboperator_subnet_addresses_used", "lboperator_subnet_addresses_available", "lboperator_services",
            "lboperator_gateway_ready",
        ]);
    }
}
