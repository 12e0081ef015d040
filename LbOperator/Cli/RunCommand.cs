using System.CommandLine;
using LbOperator.Composition;
using LbOperator.Controllers;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Hosting;
using LbOperator.Gateway;
using Microsoft.Extensions.Logging;

namespace LbOperator.Cli;

/// <summary><c>LbOperator run</c>: the operator against a cluster, until SIGTERM or Ctrl-C.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stderr)
    {
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Path of the kubeconfig; default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account.",
        };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context to use; default: its current context." };
        var @namespace = new Option<string?>("--namespace", "-n") { Description = "Watch only this namespace; default: all namespaces." };
        var leaderElect = new Option<bool>("--leader-elect")
        {
            Description = "Elect one active replica through a coordination.k8s.io/v1 Lease (--leader-elect=false: run alone).",
            DefaultValueFactory = _ => true,
        };
        var healthPort = new Option<int>("--health-port")
        {
            Description = "Port of /healthz, /readyz and /metrics; 0 turns them off.",
            DefaultValueFactory = _ => 8081,
        };
        var maxParallel = new Option<int>("--max-parallel-reconciles")
        {
            Description = "How many objects are reconciled at once.",
            DefaultValueFactory = _ => Environment.ProcessorCount * 2,
        };
        var logFormat = new Option<string>("--log-format")
        {
            Description = "Log lines as text or json.",
            DefaultValueFactory = _ => "text",
        };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log debug details (each reconcile)." };
        var gatewayImage = new Option<string>("--gateway-image")
        {
            Description = "Image of the gateway pods (needs sh, iproute2, iptables/ip6tables and arping).",
            DefaultValueFactory = _ => GatewaySettings.DefaultImage,
        };
        var gatewayPullPolicy = new Option<string>("--gateway-image-pull-policy")
        {
            Description = "imagePullPolicy of the gateway pods.",
            DefaultValueFactory = _ => "IfNotPresent",
        };
        gatewayPullPolicy.AcceptOnlyFromAmong("Always", "IfNotPresent", "Never");
        var gatewayDigest = new Option<string?>("--gateway-image-digest")
        {
            Description = "Pin the gateway image by digest (sha256:<64 hex digits>): pods run exactly that image whatever its tag points to.",
        };

        var gatewayReplicas = new Option<int>("--gateway-replicas")
        {
            Description = $"Gateway pods of a Service that does not set the annotation {LoadBalancing.Annotations.GatewayReplicas}: 1, or up to " +
                $"{LoadBalancing.GatewayReplicaRequest.Max} for an active pod with standbys on other nodes (VRRP; keepalived in the gateway image).",
            DefaultValueFactory = _ => 1,
        };

        var routerIds = new Option<string>("--gateway-vrrp-router-ids")
        {
            Description = "VRRP router ids highly available gateways may take, e.g. 100-199,250; leave out those of the physical network's own VRRP routers.",
            DefaultValueFactory = _ => "1-255",
        };

        var kubeOvn = new Option<string>("--kube-ovn")
        {
            Description = "Run beside Kube-OVN: hold the addresses of its IPs and Vips, leave the Subnet figures to it, serve nothing while its lb-svc runs (auto: when its IP or Vip kind is served).",
            DefaultValueFactory = _ => "auto",
        };
        kubeOvn.AcceptOnlyFromAmong("auto", "true", "false");

        var command = new Command("run", "Run the operator against a cluster (kubeconfig or in-cluster config).")
        {
            kubeconfig, context, @namespace, leaderElect, healthPort, maxParallel, logFormat, verbose, gatewayImage, gatewayPullPolicy, gatewayDigest, gatewayReplicas, routerIds, kubeOvn,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var port = parse.GetValue(healthPort);
            if (port is < 0 or > 65535)
            {
                throw new CliException($"--health-port {port} is not a port; give 1-65535, or 0 to serve no health endpoints.");
            }

            var parallel = parse.GetValue(maxParallel);
            if (parallel < 1)
            {
                throw new CliException($"--max-parallel-reconciles {parallel} must be at least 1.");
            }

            k8s.KubernetesClientConfiguration configuration;
            try
            {
                configuration = KubeconfigLoader.Load(parse.GetValue(kubeconfig), parse.GetValue(context));
            }
            catch (Exception e) when (e is FileNotFoundException or k8s.Exceptions.KubeConfigException)
            {
                throw new CliException(e.Message);
            }

            var options = new OperatorHostOptions
            {
                HealthPort = port == 0 ? null : port,
                JsonLogs = parse.GetValue(logFormat) == "json",
                MinimumLogLevel = parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information,
                ConfigureSettings = settings => settings
                    .WithNamespace(parse.GetValue(@namespace))
                    .WithLeaderElection(parse.GetValue(leaderElect) ? LeaderElectionType.Single : LeaderElectionType.None)
                    .WithMaxParallelReconciliations(parallel),
            };
            var image = parse.GetValue(gatewayImage);
            if (string.IsNullOrWhiteSpace(image) || image.Any(char.IsWhiteSpace))
            {
                throw new CliException($"--gateway-image \"{image}\" is not an image reference; give e.g. {GatewaySettings.DefaultImage}");
            }

            var digest = parse.GetValue(gatewayDigest);
            if (digest is not null && !GatewaySettings.IsDigest(digest))
            {
                throw new CliException($"--gateway-image-digest \"{digest}\" is not a digest; give sha256: and 64 lower-case hex digits");
            }

            if (digest is not null && image.Contains('@', StringComparison.Ordinal))
            {
                throw new CliException($"--gateway-image \"{image}\" already names a digest; drop it there or leave out --gateway-image-digest");
            }

            var replicas = parse.GetValue(gatewayReplicas);
            if (replicas is < 1 or > LoadBalancing.GatewayReplicaRequest.Max)
            {
                throw new CliException($"--gateway-replicas {replicas}: give a whole number from 1 to {LoadBalancing.GatewayReplicaRequest.Max}");
            }

            var allowedIds = VrrpRouterIds.Parse(parse.GetValue(routerIds), out var idError)
                ?? throw new CliException($"--gateway-vrrp-router-ids: {idError}");

            var settings = new LbOperatorSettings
            {
                Gateway = new GatewaySettings { Image = image, ImagePullPolicy = parse.GetValue(gatewayPullPolicy)!, ImageDigest = digest, Replicas = replicas, VrrpRouterIds = allowedIds },
                KubeOvn = parse.GetValue(kubeOvn) switch { "true" => KubeOvnSetting.On, "false" => KubeOvnSetting.Off, _ => KubeOvnSetting.Auto },
            };
            await using var app = LbOperatorHost.Build(configuration, options, settings);
            await Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken);
            await stderr.FlushAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
