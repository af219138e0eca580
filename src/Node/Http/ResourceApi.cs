using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>What the resource endpoints share: reading partitions, writing through the coordinator, plain replies.</summary>
public sealed class ResourceApi(ActorSystem system, IRequiredActor<ImportCoordinator> coordinator, KuiperSettings settings)
{
    private PartitionReader? _reader;

    private PartitionReader Reader => _reader ??= new PartitionReader(PartitionRegions.Of(system), settings.Import.Patience());

    public Task<IReadOnlyDictionary<string, string>> ReadKindAsync(ResourceKind kind, CancellationToken cancellationToken) =>
        Reader.ReadKindAsync(kind, cancellationToken);

    public Task<string?> ReadOneAsync(ResourceKind kind, string name, CancellationToken cancellationToken) =>
        Reader.ReadOneAsync(kind, name, cancellationToken);

    /// <summary>Applies one change through the coordinator; null when it succeeded, else the partition's error.</summary>
    public async Task<string?> ChangeAsync(ResourceKind kind, BatchOperation operation, string name, string definition,
        CancellationToken cancellationToken)
    {
        var importer = await coordinator.GetAsync(cancellationToken);
        var changed = await importer.Ask<ResourcesChanged>(
            new ChangeResources(Guid.NewGuid().ToString("N"), kind, operation, [new ResourceItem(name, definition)]),
            settings.Import.RequestTimeout, cancellationToken);
        return changed.Errors.GetValueOrDefault(name);
    }

    /// <summary>A Go handler's plain text reply (Go sniffs it as text/plain).</summary>
    public static IResult Text(string text, int status = StatusCodes.Status200OK) =>
        Results.Text(text, "text/plain; charset=utf-8", Encoding.UTF8, status);

    public static IResult Json(string json) => Results.Text(json, "application/json", Encoding.UTF8);

    /// <summary>Reads <c>{"sql": "..."}</c> as eKuiper's statement descriptor.</summary>
    public static async Task<(string? Sql, string? Error)> ReadStatementAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
                foreach (var property in doc.RootElement.EnumerateObject())
                    if (property.Name.Equals("sql", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                        return (property.Value.GetString(), null);
            return (null, "Invalid body: sql is required");
        }
        catch (JsonException e)
        {
            return (null, $"Invalid body: Error decoding the statement descriptor: {e.Message}");
        }
    }

    public static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
