namespace LbOperator.Framework.Metrics;

/// <summary>
/// Metrics computed from an operator's own state each time <c>/metrics</c> is scraped (gauges such as "addresses
/// in use"), so they always show the state as it is rather than a running tally. Register an implementation as a
/// singleton <c>IMetricsSource</c>; it creates its metrics on <see cref="OperatorMetrics.Registry"/> and sets them in
/// <see cref="Update"/>, which the registry calls before every collection (possibly from several scrapes at once).
/// </summary>
public interface IMetricsSource
{
    void Update();
}
