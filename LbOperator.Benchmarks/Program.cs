using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using LbOperator.Benchmarks;

// `--memory` prints retained bytes per held address; anything else goes to BenchmarkDotNet.
if (args.Contains("--memory"))
{
    RetainedMemory.Report(Console.Out);
    return 0;
}

// A short job: each invocation does a million operations, so one warm-up and three measured runs are enough.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(3)
        .AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(AllocateReleaseBenchmarks).Assembly).Run(args, config);
return 0;
