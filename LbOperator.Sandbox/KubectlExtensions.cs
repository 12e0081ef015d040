using LbOperator.Sandbox.Api;
using LbOperator.Sandbox.Discovery;
using LbOperator.Sandbox.OpenApi;
using LbOperator.Sandbox.Patch;
using LbOperator.Sandbox.Printing;
using LbOperator.Sandbox.Schema;
using LbOperator.Sandbox.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LbOperator.Sandbox;

/// <summary>
/// What kubectl needs beyond CRUD and watch: discovery, OpenAPI v3, tables, strategic merge patch and field validation,
/// plugged into the sandbox's request pipeline. The endpoints read the live <see cref="ResourceRegistry"/> and the clock from the
/// request's services.
/// </summary>
public static class KubectlExtensions
{
    public static SandboxExtensions Create()
    {
        var catalog = new KubernetesModelCatalog();
        return new SandboxExtensions
        {
            Endpoints = [new DiscoveryEndpoint(RegistryOf), new OpenApiEndpoint(RegistryOf)],
            Renderer = new TableRenderer(ClockOf),
            StrategicMergePatcher = new StrategicMergePatcher(catalog),
            FieldValidator = new FieldValidator(catalog),
        };
    }

    private static TimeProvider ClockOf(HttpContext context) => context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;

    private static ResourceRegistry RegistryOf(HttpContext context) => context.RequestServices.GetRequiredService<ResourceRegistry>();
}
