using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.GoCompat;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>What the resource endpoints share: reading partitions, writing through the coordinator, plain replies.</summary>
public sealed class ResourceApi(ActorSystem system, IRequiredActor<ImportCoordinator> coordinator, KuiperSettings settings)
{
    private PartitionReader? _reader;

    private PartitionReader Reader => _reader ??= new PartitionReader(PartitionRegions.Of(system), settings.Patience(), bounded: true);

    public Task<IReadOnlyDictionary<string, string>> ReadKindAsync(ResourceKind kind, CancellationToken cancellationToken) =>
        Reader.ReadKindAsync(kind, cancellationToken);

    public Task<string?> ReadOneAsync(ResourceKind kind, string name, CancellationToken cancellationToken) =>
        Reader.ReadOneAsync(kind, name, cancellationToken);

    /// <summary>Applies one change through the coordinator; null when it succeeded, else the partition's error.</summary>
    public async Task<string?> ChangeAsync(ResourceKind kind, BatchOperation operation, string name, string definition,
        CancellationToken cancellationToken)
    {
        // The coordinator itself: a large definition (an upload's content) crosses to another node in chunks.
        var importer = await Kuiper.Actors.Transfers.MessageTransfer.LocateAsync(await coordinator.GetAsync(cancellationToken),
            settings.Import.RequestTimeout, cancellationToken);
        var changed = await Kuiper.Actors.Transfers.MessageTransfer.Get(system).AskAsync<ResourcesChanged>(importer,
            new ChangeResources(Guid.NewGuid().ToString("N"), kind, operation, [new ResourceItem(name, definition)]),
            settings.Import.RequestTimeout, cancellationToken);
        return changed.Errors.GetValueOrDefault(name);
    }

    /// <summary>A Go handler's plain text reply (Go sniffs it as text/plain).</summary>
    public static IResult Text(string text, int status = StatusCodes.Status200OK) =>
        Results.Text(text, "text/plain; charset=utf-8", Encoding.UTF8, status);

    public static IResult Json(string json) => Results.Text(json, "application/json", Encoding.UTF8);

    /// <summary>
    /// Reads <c>{"sql": "..."}</c> as eKuiper's statement descriptor (<c>json.NewDecoder(r.Body).Decode(&amp;sd)</c>):
    /// the body's bytes as UTF-8, Go's error texts.
    /// </summary>
    public static async Task<(string? Sql, string? Error)> ReadStatementAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        const string decoding = "Invalid body: Error decoding the statement descriptor: ";
        var body = await RequestBody.ReadAsync(request, cancellationToken);
        if (GoJsonSyntax.CheckDecode(body.Span) is { } syntax) return (null, decoding + syntax);
        using var doc = GoJsonLimits.ParseFirstValue(body);
        var root = doc.RootElement;
        if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            return (null, decoding + GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, "server.statementDescriptor"));
        if (root.ValueKind == JsonValueKind.Object && root.TryGetField("sql", out var sql))
        {
            if (sql.ValueKind == JsonValueKind.String) return (sql.GetString(), null);
            if (sql.ValueKind != JsonValueKind.Null)
                return (null, decoding + GoJsonError.UnmarshalType(GoJsonError.KindOf(sql.ValueKind)!, "string", "statementDescriptor.sql"));
        }
        return (null, "Invalid body: sql is required");
    }

    /// <summary>The body as text (its bytes as UTF-8; no charset or byte order mark honoured).</summary>
    public static Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken) =>
        RequestBody.ReadTextAsync(request, cancellationToken);
}
