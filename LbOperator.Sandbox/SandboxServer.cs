using LbOperator.Sandbox.Admission;
using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Controllers;
using LbOperator.Sandbox.Faults;
using LbOperator.Sandbox.Requests;
using LbOperator.Sandbox.Resources;
using LbOperator.Sandbox.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LbOperator.Sandbox;

/// <summary>Starts the sandbox: an in-memory Kubernetes API server on Kestrel plus its built-in controllers.</summary>
public static class SandboxServer
{
    public static async Task<RunningSandbox> StartAsync(SandboxOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var random = options.RandomSeed is { } seed ? new Random(seed) : new Random();
        var registry = new ResourceRegistry();
        registry.Register(BuiltInResources.All);
        var store = new ObjectStore(options.WatchHistoryLimit);
        foreach (var index in (StoreIndex[])[StoreIndex.ByOwner, StoreIndex.ByLabel, EndpointsController.ServiceSelectorIndex, .. ServiceAdmission.Indexes])
        {
            store.AddIndex(index);
        }

        CustomResources.CrdDescriptors.Attach(store, registry);
        var faults = new SandboxFaults(options.RandomSeed);
        var api = new ResourceService(
            store, registry, AdmissionPlugins.Create(options), new NameGenerator(random), options.Clock, options.Extensions.StrategicMergePatcher);

        var controllers = BuiltInControllers.Create(api, options, loggerFactory);
        var stopping = new CancellationTokenSource();
        var controllerTasks = controllers.Select(c => Task.Run(() => c.RunAsync(stopping.Token), CancellationToken.None)).ToList();
        Bootstrap.Run(api, options);

        var requests = new RequestCounter();
        var endpoints = new List<ISandboxEndpoint> { new HealthEndpoint(), new RequestCountEndpoint(requests) };
        if (options.EnableFaultEndpoint)
        {
            endpoints.Add(new FaultEndpoint(faults));
        }

        endpoints.AddRange(options.Extensions.Endpoints);
        var handler = new ApiHandler(api, faults, requests, options.Extensions with { Endpoints = endpoints }, options.BookmarkInterval, loggerFactory.CreateLogger<ApiHandler>());

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Host, options.Port);
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(registry);
        builder.Services.AddSingleton(options.Clock);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var sandbox = new RunningSandbox(new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)), app, api, faults, requests, controllers, controllerTasks, stopping);
        sandbox.StartAdditionalServices(options.AdditionalServices);
        return sandbox;
    }
}
