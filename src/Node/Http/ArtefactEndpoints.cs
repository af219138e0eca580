using Kuiper.Domain.Resources;
using Kuiper.Domain.Artefacts;
using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Installation;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's read endpoints for plugins, services and schemas, from what the cluster stores, plus which nodes
/// have installed each one (or why one could not).
/// </summary>
public static class ArtefactEndpoints
{
    private static readonly string[] PluginTypes = ["sources", "sinks", "functions"];

    public static IEndpointRouteBuilder MapArtefacts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/plugins/portables", async (ResourceStore resources, ArtefactStore store, CancellationToken ct) =>
            PlainReplies.Json(JsonSerializer.Serialize(await DetailsAsync(ResourceKind.PortablePlugins, _ => true, resources, store, ct), GoJsonLimits.Serializer)));
        app.MapGet("/plugins/{type}", async (string type, ResourceStore resources, CancellationToken ct) =>
            PluginTypes.Contains(type)
                ? PlainReplies.Json(JsonSerializer.Serialize((await resources.ReadKindAsync(ResourceKind.NativePlugins, ct)).Keys
                    .Where(k => k.StartsWith(type + "_", StringComparison.Ordinal)).Select(k => k[(type.Length + 1)..]).Order(StringComparer.Ordinal)))
                : NotFound($"invalid plugin type {type}"));
        app.MapGet("/plugins/{type}/{name}", (string type, string name, ResourceStore resources, ArtefactStore store, CancellationToken ct) =>
            OneAsync(ResourceKind.NativePlugins, $"{type}_{name}", $"plugin {name} not found", resources, store, ct));
        app.MapGet("/services", async (ResourceStore resources, CancellationToken ct) =>
            PlainReplies.Json(JsonSerializer.Serialize((await resources.ReadKindAsync(ResourceKind.Service, ct)).Keys.Order(StringComparer.Ordinal))));
        app.MapGet("/services/{name}", (string name, ResourceStore resources, ArtefactStore store, CancellationToken ct) =>
            OneAsync(ResourceKind.Service, name, $"service {name} not found", resources, store, ct));
        app.MapGet("/schemas/{type}", async (string type, ResourceStore resources, CancellationToken ct) =>
            PlainReplies.Json(JsonSerializer.Serialize((await resources.ReadKindAsync(ResourceKind.Schema, ct)).Keys
                .Where(k => k.StartsWith(type + "_", StringComparison.Ordinal)).Select(k => k[(type.Length + 1)..]).Order(StringComparer.Ordinal))));
        app.MapGet("/schemas/{type}/{name}", (string type, string name, ResourceStore resources, ArtefactStore store, CancellationToken ct) =>
            OneAsync(ResourceKind.Schema, $"{type}_{name}", $"schema {type}.{name} not found", resources, store, ct));
        return app;
    }

    private static async Task<IResult> OneAsync(ResourceKind kind, string key, string missing, ResourceStore resources, ArtefactStore store, CancellationToken ct)
    {
        var details = await DetailsAsync(kind, k => k == key, resources, store, ct);
        return details.Count == 0 ? NotFound(missing) : PlainReplies.Json(JsonSerializer.Serialize(details[0], GoJsonLimits.Serializer));
    }

    private static async Task<IReadOnlyList<object>> DetailsAsync(ResourceKind kind, Func<string, bool> which, ResourceStore resources, ArtefactStore store,
        CancellationToken ct)
    {
        var details = new List<object>();
        foreach (var (key, json) in (await resources.ReadKindAsync(kind, ct)).Where(r => which(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            if (ArtefactRecord.Parse(json) is not { } record) continue;
            var nodes = await store.InstallsAsync(kind.BundleKey(), record.InstallKey, ct);
            details.Add(new
            {
                name = key[(key.IndexOf('_') + 1)..] is { Length: > 0 } n && kind is ResourceKind.NativePlugins or ResourceKind.Schema ? n : key,
                version = record.Version ?? "",
                sources = record.Sources,
                sinks = record.Sinks,
                functions = record.Functions,
                descriptor = GoJsonLimits.Parse(record.Descriptor).RootElement,
                nodes = nodes.Select(i => new { node = i.Node, installed = i.Error is null && i.ContentHash == record.ContentHash, error = i.Error }),
            });
        }
        return details;
    }

    private static IResult NotFound(string message) => ErrorEnvelope.Result(message, ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
}
