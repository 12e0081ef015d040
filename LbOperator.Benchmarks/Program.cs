using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LbOperator.Benchmarks;
using LbOperator.Benchmarks.Scale;

// `scale` runs the end-to-end scale benchmark against a sandbox process (see ScaleBenchmark).
if (args is ["scale", .. var scaleArgs])
{
    return await ScaleBenchmark.RunAsync(scaleArgs);
}

// `failover` measures a gateway's dark time around node crashes, pod deletions, freezes and rollouts (root).
if (args is ["failover", .. var failoverArgs])
{
    return LbOperator.Benchmarks.Failover.FailoverBenchmark.Run(failoverArgs);
}

// `--memory` prints retained bytes per held address; anything else goes to BenchmarkDotNet.
if (args.Contains("--memory"))
{
    RetainedMemory.Report(Console.Out);
    return 0;
}

// A short job: each invocation does a million operations, so one warm-up and three measured runs are enough.
// In-process: no generated project to build, which on a busy machine can take longer than the runs themselves.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithStrategy(RunStrategy.Monitoring)
        .WithLaunchCount(1)
        .WithWarmupCount(1)
        .WithIterationCount(3)
        .AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(AllocateReleaseBenchmarks).Assembly).Run(args, config);
return 0;
