using System.CommandLine;
using k8s;
using k8s.Models;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;

namespace LbOperator.Cli;

/// <summary>
/// <c>LbOperator render -f subnet.yaml -f service.yaml [-f nad.yaml] [--script]</c>: prints, offline, the gateway
/// Deployment the operator would create for each Service (or only its script), allocating addresses as the operator
/// would. Nothing is sent anywhere: users review what will run in their cluster.
/// </summary>
internal static class RenderCommand
{
    public static Command Create(TextWriter stdout, ManifestReader reader)
    {
        var files = new Option<string[]>("--file", "-f")
        {
            Description = "A manifest file: the Subnet(s), the Service(s), optionally the NetworkAttachmentDefinition. Repeat for more files.",
            Required = true,
        };
        var scriptOnly = new Option<bool>("--script") { Description = "Print only the gateway script (POSIX sh) instead of the Deployment." };
        var image = new Option<string?>("--image") { Description = $"The gateway image (default {GatewaySettings.DefaultImage})." };
        var command = new Command("render",
            "Print offline the gateway Deployment (or with --script only its script) the operator would create for a Service.");
        command.Options.Add(files);
        command.Options.Add(scriptOnly);
        command.Options.Add(image);
        command.SetAction(parseResult =>
        {
            var manifests = reader.ReadFiles(parseResult.GetValue(files) ?? []);
            var settings = parseResult.GetValue(image) is { Length: > 0 } custom
                ? new GatewaySettings { Image = custom }
                : new GatewaySettings();
            var documents = Render(manifests, settings, parseResult.GetValue(scriptOnly));
            stdout.Write(string.Join("---\n", documents));
            return 0;
        });
        return command;
    }

    /// <summary>The documents to print, one per Service; a <see cref="CliException"/> names the first problem.</summary>
    public static IReadOnlyList<string> Render(IReadOnlyList<Manifest> manifests, GatewaySettings settings, bool scriptOnly)
    {
        var unreadable = manifests.FirstOrDefault(m => m.ReadError is not null);
        if (unreadable is not null)
        {
            throw new CliException($"{unreadable.DisplayName}: {unreadable.ReadError}");
        }
        var services = manifests.Select(m => m.Entity).OfType<V1Service>().ToList();
        if (services.Count == 0)
        {
            throw new CliException("no Service in the files given: pass the Service with -f service.yaml (and its Subnet with -f subnet.yaml)");
        }
        foreach (var service in services.Where(s => LoadBalancerServiceRules.IsOurs(s) && HasNoClusterIp(s)))
        {
            throw new CliException(
                $"Service {ServiceNames.Display(service)} has no spec.clusterIP, and the gateway forwards to it: render works offline, " +
                $"so add spec.clusterIP to the file (the one `kubectl get svc {service.Metadata?.Name} -n {service.Metadata?.NamespaceProperty ?? "default"}` shows, " +
                "or any address of the cluster's Service CIDR to preview)");
        }

        var documents = new List<string>();
        // Offline there are no other gateways: highly available ones take router ids 1, 2, ... in file order.
        var routerIds = 0;
        foreach (var planned in OfflinePlanner.Plan(manifests, requireClusterIp: true))
        {
            if (planned.Ownership != ServiceOwnership.Ours)
            {
                throw new CliException($"Service {planned.DisplayName} is left alone by LbOperator: {OfflinePlanner.Reason(planned.Ownership)}");
            }
            if (planned.Error is not null)
            {
                throw new CliException(planned.Error);
            }
            var plan = planned.Plan!;
            VrrpRouterId? routerId = GatewayBuilder.IsHighlyAvailable(plan, settings) ? new VrrpRouterId(++routerIds) : null;
            var deployment = GatewayBuilder.Build(planned.Service, plan, planned.Addresses, settings, routerId);
            if (GatewayLimits.Problem(deployment, plan.Forwarding.Ports.Count, plan.Forwarding.SourceRanges.Count) is { } tooLarge)
            {
                throw new CliException($"Service {planned.DisplayName}: {tooLarge}");
            }
            documents.Add(scriptOnly
                ? GatewayScript.RenderApply(GatewayBuilder.Plan(plan.Forwarding, plan.Subnet, planned.Addresses),
                    GatewayBuilder.Redundancy(plan, settings, routerId))
                : KubernetesYaml.Serialize(deployment) + "\n");
        }
        return documents;
    }

    private static bool HasNoClusterIp(V1Service service) =>
        (service.Spec?.ClusterIPs is { Count: > 0 } ips ? ips : [service.Spec?.ClusterIP])
            .All(ip => string.IsNullOrEmpty(ip) || ip == "None");
}
