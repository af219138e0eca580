using System.Text;
using System.Text.Json;
using Kuiper.Domain.Configs;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Domain.Secrets;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's <c>/metadata/{sources|sinks|connections}</c> config endpoints: the user confKeys of one plugin, and
/// writing or deleting one confKey, through the same partitions as imports; and the listings of stored confKeys
/// (<c>/metadata/resource</c>, <c>/metadata/resources</c>).
/// </summary>
public static class ConfigEndpoints
{
    public static IEndpointRouteBuilder MapConfigs(this IEndpointRouteBuilder app)
    {
        foreach (var (segment, kind) in new[]
                 {
                     ("sources", ResourceKind.SourceConfig), ("sinks", ResourceKind.SinkConfig), ("connections", ResourceKind.ConnectionConfig),
                 })
        {
            app.MapGet($"/metadata/{segment}/yaml/{{name}}", async (string name, ResourceStore resources, CancellationToken ct) =>
                // Secrets read back masked; sent back so, the stored values stay (docs/api.md#secrets).
                PlainReplies.Json(SecretText.Mask(await resources.ReadOneAsync(kind, name, ct) ?? "{}")));
            app.MapPut($"/metadata/{segment}/{{name}}/confKeys/{{confKey}}", (string name, string confKey, HttpRequest request, ResourceStore resources, CancellationToken ct) =>
                PutAsync(kind, name, confKey, request, resources, ct));
            app.MapDelete($"/metadata/{segment}/{{name}}/confKeys/{{confKey}}", (string name, string confKey, ResourceStore resources, CancellationToken ct) =>
                DeleteAsync(kind, name, confKey, resources, ct));
        }
        app.MapGet("/metadata/resource", async (HttpRequest request, ResourceStore resources, CancellationToken ct) =>
            PlainReplies.Json(SecretText.Mask(ConfigResources.SourceResources(await resources.ReadKindAsync(ResourceKind.SourceConfig, ct),
                request.Query["sourceType"].FirstOrDefault() ?? ""))));
        app.MapGet("/metadata/resources", async (ResourceStore resources, CancellationToken ct) =>
            PlainReplies.Json(ConfigResources.Resources(await resources.ReadKindAsync(ResourceKind.SourceConfig, ct),
                await resources.ReadKindAsync(ResourceKind.SinkConfig, ct))));
        return app;
    }

    private static async Task<IResult> PutAsync(ResourceKind kind, string name, string confKey, HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(confKey) is { } invalid) return ErrorEnvelope.Result($"Invalid confKey: {invalid}");
        // eKuiper unmarshals the body's bytes into a map: Go's syntax errors and nesting limit.
        var body = await RequestBody.ReadAsync(request, ct);
        if (GoJsonSyntax.Check(body.Span) is { } syntax) return ErrorEnvelope.Result($"Invalid body: {syntax}");
        using (var parsed = GoJsonLimits.Parse(body))
        {
            if (parsed.RootElement.ValueKind != JsonValueKind.Object)
                return ErrorEnvelope.Result("Invalid body: the conf key's properties must be a JSON object");
        }
        // The plugin's object {confKey: props} is what is stored and checked: it counts one level of nesting.
        var props = Encoding.UTF8.GetString(GoJsonLimits.AsGoDecodes(body).Span);
        var error = await resources.ChangeAsync(kind, BatchOperation.Upsert, name, $"{{{GoJsonEncoder.Marshal(confKey)}:{props}}}", ct);
        return error is null ? Results.Ok() : ErrorEnvelope.Result(error);
    }

    private static async Task<IResult> DeleteAsync(ResourceKind kind, string name, string confKey, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(confKey) is { } invalid) return ErrorEnvelope.Result($"Invalid confKey: {invalid}");
        if (!HasConfKey(await resources.ReadOneAsync(kind, name, ct), confKey))
            return ErrorEnvelope.Result($"{name}.{confKey} is not found", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
        // A null confKey deletes it; a plugin left without confKeys disappears, as in eKuiper.
        var error = await resources.ChangeAsync(kind, BatchOperation.Upsert, name, $"{{{JsonSerializer.Serialize(confKey)}:null}}", ct);
        return error is null ? Results.Ok() : ErrorEnvelope.Result(error);
    }

    private static bool HasConfKey(string? stored, string confKey)
    {
        if (stored is null) return false;
        using var doc = GoJsonLimits.Parse(stored);
        return doc.RootElement.TryGetProperty(confKey, out _);
    }
}
