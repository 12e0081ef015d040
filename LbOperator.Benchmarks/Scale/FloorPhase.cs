using System.Diagnostics;
using k8s;
using k8s.Models;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Benchmarks.Scale;

/// <summary>
/// The floor: on a fresh sandbox, W workers each do per Service only what serving it needs at the least — create the
/// Service, create its gateway Deployment (built by <see cref="GatewayBuilder"/>, so it has the real size) and write
/// the address into <c>status.loadBalancer.ingress</c> — with no operator running.
/// </summary>
public static class FloorPhase
{
    public static async Task<FloorFigures> RunAsync(ChildProcessGuard guard, BenchPaths paths, ScaleOptions options, string directory, TextWriter progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        using var sandbox = await SandboxProcess.StartAsync(guard, paths, directory, cancellationToken);
        using var client = sandbox.CreateClient();
        var cluster = new BenchCluster(options.Services, options.Namespaces);
        await cluster.SetUpAsync(client, paths, cancellationToken);
        var settings = new GatewaySettings();
        var attachment = NetworkAttachmentLookup.Of(cluster.Nad);
        await sandbox.RequestsAsync(reset: true, cancellationToken);

        await progress.WriteLineAsync($"==> floor: {options.Services} Services with {options.Workers} workers (sandbox at {sandbox.BaseAddress})");
        var cpu = new CpuMeter(() => sandbox.CpuSeconds, null);
        var start = Stopwatch.GetTimestamp();
        await WorkerPool.RunAsync(
            options.Services, options.Workers,
            async (index, token) =>
            {
                var service = cluster.Service(index);
                var ns = service.Metadata.NamespaceProperty;
                var created = await client.CoreV1.CreateNamespacedServiceAsync(service, ns, cancellationToken: token);
                var address = BenchCluster.FloorAddress(index);
                var outcome = ServicePlanner.Plan(created, new PlanningInputs([cluster.Subnet], attachment, _ => null));
                var plan = outcome.Plan ?? throw new InvalidOperationException($"the floor cannot plan {ns}/{service.Metadata.Name}: {outcome.Problem?.Message}");
                await client.AppsV1.CreateNamespacedDeploymentAsync(GatewayBuilder.Build(created, plan, [address], settings), ns, cancellationToken: token);
                var status = "{\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"" + address + "\",\"ipMode\":\"VIP\"}]}}}";
                await client.CoreV1.PatchNamespacedServiceStatusAsync(new V1Patch(status, V1Patch.PatchType.MergePatch), created.Metadata.Name, ns, cancellationToken: token);
            },
            cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var used = cpu.Stop();
        var requests = await sandbox.RequestsAsync(reset: true, cancellationToken);

        var addresses = await ServiceAddresses.ReadAsync(client, cancellationToken);
        var served = addresses.Values.Count(a => a.Length > 0);
        if (served != options.Services)
        {
            throw new InvalidOperationException($"the floor finished, yet {served} of {options.Services} Services have an ingress address");
        }

        await progress.WriteLineAsync($"    every Service has its address after {seconds:0.00} s");
        await sandbox.StopAsync(cancellationToken);
        return new FloorFigures(seconds, options.Services / seconds, requests.Only(SandboxProcess.Agent).Total, used);
    }
}
