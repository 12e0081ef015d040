using System.Globalization;

namespace LbOperator.Benchmarks.Scale;

/// <summary>Which phases <see cref="ScaleBenchmark"/> runs.</summary>
public enum ScalePhases
{
    All,
    Floor,
    Operator,
}

/// <summary>The options of <c>LbOperator.Benchmarks scale</c>.</summary>
public sealed record ScaleOptions
{
    public const string Usage =
        "usage: LbOperator.Benchmarks scale [--services N] [--workers W] [--namespaces K] [--phase floor|operator|all] [--json FILE] [--keep]";

    /// <summary>How many LoadBalancer Services are created.</summary>
    public int Services { get; init; } = 1000;

    /// <summary>How many requests the benchmark client has in flight at once.</summary>
    public int Workers { get; init; } = 4;

    /// <summary>Over how many namespaces the Services are spread.</summary>
    public int Namespaces { get; init; } = 10;

    public ScalePhases Phases { get; init; } = ScalePhases.All;

    /// <summary>Where to write the figures as JSON, if anywhere.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Keep the temporary directory (kubeconfigs, logs) even after a run that succeeded.</summary>
    public bool Keep { get; init; }

    public bool RunsFloor => Phases is ScalePhases.All or ScalePhases.Floor;

    public bool RunsOperator => Phases is ScalePhases.All or ScalePhases.Operator;

    /// <summary>Parses the arguments after <c>scale</c>; throws <see cref="ArgumentException"/> with the reason.</summary>
    public static ScaleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ScaleOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            string Value() => inline ?? (++i < args.Count ? args[i] : throw new ArgumentException($"{name} needs a value"));
            options = name switch
            {
                "--services" => options with { Services = Count(name, Value(), 1, 60_000) },
                "--workers" => options with { Workers = Count(name, Value(), 1, 256) },
                "--namespaces" => options with { Namespaces = Count(name, Value(), 1, 1000) },
                "--phase" => options with { Phases = PhasesFrom(Value()) },
                "--json" => options with { JsonPath = Value() },
                "--keep" => options with { Keep = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        return options;
    }

    private static int Count(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} {text}: give a whole number from {min} to {max}");

    private static ScalePhases PhasesFrom(string text) => text switch
    {
        "all" => ScalePhases.All,
        "floor" => ScalePhases.Floor,
        "operator" => ScalePhases.Operator,
        _ => throw new ArgumentException($"--phase {text}: give floor, operator or all"),
    };
}
