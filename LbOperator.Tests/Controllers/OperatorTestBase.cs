using System.Net;
using k8s;
using k8s.Models;
using LbOperator.Controllers;
using LbOperator.Entities;
using LbOperator.Framework.Builder;
using LbOperator.Framework.Client;
using LbOperator.Framework.Entities;
using LbOperator.Gateway;
using LbOperator.LoadBalancing;
using LbOperator.Sandbox;
using LbOperator.Sandbox.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace LbOperator.Tests.Controllers;

/// <summary>
/// One sandbox API server with the operator running in-process per fixture; each test works in a namespace of its
/// own, with its own NetworkAttachmentDefinition (provider <c>lb.&lt;namespace&gt;</c>) and Subnets named after it.
/// </summary>
public abstract class OperatorTestBase
{
#pragma warning disable NUnit1032 // The operator lives as long as the fixture's sandbox; OneTimeTearDown disposes it.
    private WebApplication? _operator;
#pragma warning restore NUnit1032
    private int _clusterIps;

    protected RunningSandbox Sandbox { get; private set; } = null!;

    protected Kubernetes Api { get; private set; } = null!;

    protected IKubernetesClient Client { get; private set; } = null!;

    /// <summary>The current test's namespace.</summary>
    protected string Ns { get; private set; } = "";

    /// <summary>The current test's attachment provider, <c>lb.&lt;Ns&gt;</c>.</summary>
    protected string Provider => $"lb.{Ns}";

    protected virtual SandboxOptions Options => new() { BookmarkInterval = TimeSpan.FromMilliseconds(300), RandomSeed = 11 };

    [OneTimeSetUp]
    public async Task StartSandboxAndOperator()
    {
        Sandbox = await SandboxServer.StartAsync(Options);
        Api = Sandbox.CreateClient();
        Client = new KubernetesClient(Api, Sandbox.ClientConfiguration);
        await InstallCrdsAsync();
        await StartOperatorAsync();
    }

    /// <summary>The CRDs the fixture's cluster serves before the operator starts: by default LbOperator's own.</summary>
    protected virtual Task InstallCrdsAsync() => InProcessOperator.InstallCrdsAsync(Sandbox, CancellationToken.None);

    [OneTimeTearDown]
    public async Task StopSandbox()
    {
        await StopOperatorAsync();
        if (_operator is not null)
        {
            await _operator.DisposeAsync();
        }

        Api.Dispose();
        await Sandbox.DisposeAsync();
    }

    [SetUp]
    public async Task CreateNamespace()
    {
        Sandbox.Faults.Reset();
        Ns = "t-" + Guid.NewGuid().ToString("N")[..10];
        await Api.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
    }

    /// <summary>The running operator's services (its IPAM, for instance).</summary>
    protected IServiceProvider OperatorServices => (_operator ?? throw new InvalidOperationException("the operator is not running")).Services;

    /// <summary>The fixture's operator's own settings.</summary>
    protected virtual LbOperatorSettings OperatorSettings => new();

    /// <summary>Settings of the fixture's operator beyond the quick retries every fixture gets.</summary>
    protected virtual void ConfigureOperator(OperatorSettingsBuilder settings)
    {
    }

    protected async Task StartOperatorAsync()
    {
        _operator = InProcessOperator.Build(Sandbox.ClientConfiguration, OperatorSettings, LogLevel.Warning, settings =>
        {
            settings.WithErrorBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
            ConfigureOperator(settings);
        });
        await _operator.StartAsync();
    }

    protected async Task StopOperatorAsync()
    {
        if (_operator is { } app)
        {
            _operator = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    protected Task<V1NetworkAttachmentDefinition> CreateNadAsync(string name = "lb") =>
        Client.CreateAsync(new V1NetworkAttachmentDefinition
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
            Spec = new V1NetworkAttachmentDefinitionSpec { Config = """{"cniVersion":"0.3.0","type":"macvlan","master":"eth0","mode":"bridge"}""" },
        });

    /// <summary>
    /// A Subnet named <c>&lt;Ns&gt;-&lt;suffix&gt;</c> of the test's provider. Its vlan is the test's namespace: the tests
    /// of a fixture share one API server and reuse CIDRs, and Subnets of one network (vpc and vlan) may not overlap.
    /// </summary>
    protected Task<V1Subnet> CreateSubnetAsync(
        string suffix, string cidr = "192.168.10.0/24", IList<string>? excludeIps = null, string? provider = null, string? gateway = null) =>
        Client.CreateAsync(new V1Subnet
        {
            Metadata = new V1ObjectMeta { Name = SubnetName(suffix) },
            Spec = new V1SubnetSpec
            {
                CidrBlock = cidr,
                Gateway = gateway,
                ExcludeIps = excludeIps ?? ["192.168.10.1..192.168.10.10"],
                Provider = provider ?? Provider,
                Vlan = Ns,
            },
        });

    protected string SubnetName(string suffix) => $"{Ns}-{suffix}";

    /// <summary>A LoadBalancer Service of the test's provider with a ClusterIP of its own and the given ports (default 80/TCP).</summary>
    protected V1Service LbService(string name, string? subnet = null, string? loadBalancerIp = null, params int[] ports)
    {
        var annotations = new Dictionary<string, string> { [Annotations.AttachmentProvider] = Provider };
        if (subnet is not null)
        {
            annotations[Annotations.LogicalSwitch(Provider)] = subnet;
        }

        var n = Interlocked.Increment(ref _clusterIps);
        return new V1Service
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Annotations = annotations },
            Spec = new V1ServiceSpec
            {
                Type = "LoadBalancer",
                ClusterIP = $"10.96.{n / 250}.{1 + (n % 250)}",
                LoadBalancerIP = loadBalancerIp,
                Selector = new Dictionary<string, string> { ["app"] = name },
                Ports = [.. (ports.Length == 0 ? [80] : ports).Select(p => new V1ServicePort { Name = $"p{p}", Port = p, Protocol = "TCP" })],
            },
        };
    }

    protected Task<V1Service> CreateServiceAsync(V1Service service) => Client.CreateAsync(service);

    protected async Task<V1Service> GetServiceAsync(string name) =>
        await Client.GetAsync<V1Service>(name, Ns) ?? throw new AssertionException($"Service {Ns}/{name} does not exist");

    protected Task<V1Deployment?> GetGatewayAsync(string service) =>
        Client.GetAsync<V1Deployment>(GatewayNames.Deployment(service), Ns);

    /// <summary>Reads, changes and writes a Service, retrying on 409 Conflict.</summary>
    protected async Task<V1Service> EditServiceAsync(string name, Action<V1Service> edit)
    {
        for (var attempt = 0; ; attempt++)
        {
            var service = await GetServiceAsync(name);
            edit(service);
            try
            {
                return await Client.UpdateAsync(service);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Is(HttpStatusCode.Conflict) && attempt < 10)
            {
            }
        }
    }

    protected Task<V1Subnet> EditSubnetAsync(string name, Action<V1Subnet> edit) => EditAsync(name, null, edit);

    /// <summary>Reads, changes and writes any object, retrying on 409 Conflict (controllers write it meanwhile).</summary>
    protected async Task<T> EditAsync<T>(string name, string? @namespace, Action<T> edit)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        for (var attempt = 0; ; attempt++)
        {
            var entity = await Client.GetAsync<T>(name, @namespace) ?? throw new AssertionException($"{typeof(T).Name} {name} does not exist");
            edit(entity);
            try
            {
                return await Client.UpdateAsync(entity);
            }
            catch (k8s.Autorest.HttpOperationException e) when (e.Is(HttpStatusCode.Conflict) && attempt < 10)
            {
            }
        }
    }

    /// <summary>The IpAllocation records of the test's namespace, by name.</summary>
    protected async Task<IReadOnlyList<V1IpAllocation>> RecordsAsync() =>
        [.. (await Client.ListAsync<V1IpAllocation>()).Where(r => r.Spec?.Service?.Namespace == Ns).OrderBy(r => r.Metadata.Name, StringComparer.Ordinal)];

    /// <summary>"address=service" for every IpAllocation of the test's namespace, ordered by address text.</summary>
    protected async Task<IReadOnlyList<string>> RecordedAsync() =>
        [.. (await RecordsAsync()).Select(r => $"{r.Spec.Address}={r.Spec.Service!.Name}").Order(StringComparer.Ordinal)];

    /// <summary>The Service's ingress addresses (empty when none).</summary>
    protected static IReadOnlyList<string> Ingress(V1Service service) =>
        [.. service.Status?.LoadBalancer?.Ingress?.Select(i => i.Ip) ?? []];

    protected static V1Condition? LoadBalancerCondition(V1Service service) =>
        ConditionList.Find(service.Status?.Conditions, ServiceController.ConditionType);

    /// <summary>Waits until the Service shows exactly <paramref name="addresses"/> as its ingress.</summary>
    protected Task<V1Service> WaitForIngressAsync(string name, params string[] addresses) =>
        Eventually(() => GetServiceAsync(name), s => Ingress(s).SequenceEqual(addresses),
            $"Service {name} to show ingress [{string.Join(",", addresses)}]");

    /// <summary>Waits for a Warning Event with <paramref name="reason"/> about the named object.</summary>
    protected Task<Corev1Event> WaitForEventAsync(string involvedName, string reason, string? @namespace = null) =>
        Eventually(
            async () => (await Api.CoreV1.ListNamespacedEventAsync(@namespace ?? Ns)).Items.FirstOrDefault(e => e.InvolvedObject?.Name == involvedName && e.Reason == reason),
            e => e is not null,
            $"an Event {reason} about {involvedName}").ContinueWith(t => t.Result!, TaskScheduler.Default);

    protected async Task<IReadOnlyList<Corev1Event>> EventsAboutAsync(string involvedName, string? @namespace = null) =>
        [.. (await Api.CoreV1.ListNamespacedEventAsync(@namespace ?? Ns)).Items.Where(e => e.InvolvedObject?.Name == involvedName)];

    /// <summary>Polls until <paramref name="condition"/> holds; fails with the last value after <paramref name="timeoutSeconds"/>.</summary>
    protected static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> condition, string what, double timeoutSeconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        T last;
        do
        {
            last = await probe();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(25);
        }
        while (DateTime.UtcNow < deadline);

        throw new AssertionException($"timed out after {timeoutSeconds}s waiting for {what}; last seen: {KubernetesJson.Serialize(last)}");
    }
}
