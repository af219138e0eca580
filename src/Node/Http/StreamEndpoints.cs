using Kuiper.Domain.GoCompat;
using System.Text.Json;
using Kuiper.Domain.Resources;
using Kuiper.Domain.Exports;
using Kuiper.Domain.Streams;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Domain.Secrets;

namespace Kuiper.Node.Http;

/// <summary>eKuiper's <c>/streams</c> and <c>/tables</c> endpoints, over the same partitions as imports.</summary>
public static class StreamEndpoints
{
    private const int StreamTableError = 3000;

    public static IEndpointRouteBuilder MapStreamsAndTables(this IEndpointRouteBuilder app)
    {
        foreach (var kind in new[] { StreamKind.Stream, StreamKind.Table })
        {
            var word = StreamDefinition.KindWord(kind);
            app.MapGet($"/{word}s", (HttpRequest request, ResourceStore resources, CancellationToken ct) => ListAsync(kind, request, resources, ct));
            app.MapGet($"/{word}details", (HttpRequest request, ResourceStore resources, CancellationToken ct) => DetailsAsync(kind, request, resources, ct));
            app.MapPost($"/{word}s", (HttpRequest request, ResourceStore resources, CancellationToken ct) => CreateAsync(kind, request, resources, ct));
            app.MapGet($"/{word}s/{{name}}", (string name, ResourceStore resources, CancellationToken ct) => DescribeAsync(kind, name, resources, ct));
            app.MapPut($"/{word}s/{{name}}", (string name, HttpRequest request, ResourceStore resources, CancellationToken ct) => ReplaceAsync(kind, name, request, resources, ct));
            app.MapDelete($"/{word}s/{{name}}", (string name, HttpRequest request, ResourceStore resources, CancellationToken ct) => DropAsync(kind, name, request, resources, ct));
            app.MapGet($"/{word}s/{{name}}/schema", (string name, ResourceStore resources, CancellationToken ct) => SchemaAsync(kind, name, resources, ct));
        }
        return app;
    }

    private static ResourceKind KindOf(StreamKind kind) => kind == StreamKind.Table ? ResourceKind.Tables : ResourceKind.Streams;

    private static string Title(StreamKind kind) => kind == StreamKind.Table ? "Table" : "Stream";

    private static IResult CommandError(StreamKind kind, string error) =>
        ErrorEnvelope.Result($"{Title(kind)} command error: {error}", StreamTableError);

    /// <summary>The stored definitions of one kind, parsed, sorted by name; with <c>?kind=scan|lookup</c> on tables.</summary>
    private static async Task<IReadOnlyList<StreamDefinition>> StoredAsync(StreamKind kind, HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        var stored = await resources.ReadKindAsync(KindOf(kind), ct);
        var tableKind = kind == StreamKind.Table ? request.Query["kind"].ToString() : "";
        return stored.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => StreamStatementParser.Parse(s.Value).Definition)
            .OfType<StreamDefinition>()
            .Where(d => tableKind switch
            {
                "scan" => d.Options.Kind is "scan" or "",
                "lookup" => d.Options.Kind == "lookup",
                _ => true,
            })
            .ToList();
    }

    private static async Task<IResult> ListAsync(StreamKind kind, HttpRequest request, ResourceStore resources, CancellationToken ct) =>
        PlainReplies.Json(JsonSerializer.Serialize((await StoredAsync(kind, request, resources, ct)).Select(d => d.Name)));

    private static async Task<IResult> DetailsAsync(StreamKind kind, HttpRequest request, ResourceStore resources, CancellationToken ct) =>
        PlainReplies.Json(JsonSerializer.Serialize((await StoredAsync(kind, request, resources, ct)).Select(d => new
        {
            name = d.Name,
            type = StreamSourceConfig.Of(d.Options).Type.ToLowerInvariant(),
            format = (d.Options.Format.Length > 0 ? d.Options.Format : "json").ToLowerInvariant(),
        })));

    private static async Task<IResult> CreateAsync(StreamKind kind, HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        var (sql, bodyError) = await RequestBody.ReadStatementAsync(request, ct);
        if (bodyError is not null) return ErrorEnvelope.Result(bodyError);

        // Like eKuiper, the statement decides whether a stream or a table is created.
        var parsed = StreamStatementParser.Parse(sql!);
        if (parsed.Error is { } parseError) return CommandError(kind, parseError);
        var definition = parsed.Definition!;
        if (ResourceId.Check(definition.Name) is { } idError) return CommandError(kind, idError);

        var error = await resources.ChangeAsync(KindOf(definition.Kind), BatchOperation.Create, definition.Name, sql!, ct);
        return error is null
            ? PlainReplies.Text($"{Title(definition.Kind)} {definition.Name} is created.", StatusCodes.Status201Created)
            : CommandError(kind, error);
    }

    private static async Task<IResult> DescribeAsync(StreamKind kind, string name, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var statement = await resources.ReadOneAsync(KindOf(kind), name, ct);
        if (statement is null || StreamStatementParser.Parse(statement).Definition is not { } definition)
            return ErrorEnvelope.Result(
                $"describe {StreamDefinition.KindWord(kind)} error: Describe {StreamDefinition.KindWord(kind)} fails, {StreamDefinition.KindWord(kind)} {name} is not found.",
                StreamTableError);
        return PlainReplies.Json(SecretText.Mask(StreamDescription.ToJson(definition)));
    }

    private static async Task<IResult> ReplaceAsync(StreamKind kind, string name, HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var (sql, bodyError) = await RequestBody.ReadStatementAsync(request, ct);
        if (bodyError is not null) return ErrorEnvelope.Result(bodyError);

        var parsed = StreamStatementParser.ParseForKind(sql!, kind);
        if (parsed.IsNotFound) return ErrorEnvelope.Result($"{Title(kind)} command error: {parsed.Error}", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);

        var error = await resources.ChangeAsync(KindOf(kind), BatchOperation.Upsert, name, sql!, ct);
        return error is null ? PlainReplies.Text($"{Title(kind)} {name} is replaced.") : CommandError(kind, error);
    }

    private static async Task<IResult> DropAsync(StreamKind kind, string name, HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        // eKuiper reads force with strconv.ParseBool; anything it does not parse is false.
        if (!(GoStrconv.TryParseBool(request.Query["force"].ToString(), out var force) && force))
        {
            var rules = await resources.ReadKindAsync(ResourceKind.Rules, ct);
            if (rules.Values.Any(rule => RuleDependencies.Of(rule).Sources.Contains(name)))
                return ErrorEnvelope.Result($"stream {name} has been referenced by other rules");
        }

        var error = await resources.ChangeAsync(KindOf(kind), BatchOperation.Delete, name, "", ct);
        var word = StreamDefinition.KindWord(kind);
        return error is null
            ? PlainReplies.Text($"{Title(kind)} {name} is dropped.")
            : ErrorEnvelope.Result($"delete {word} error: {error}", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// eKuiper's <c>GET /streams/{name}/schema</c> (tables alike): the declared fields as a JSON schema
    /// (<see cref="StreamSchema"/>). eKuiper checks no id here: an unknown name is not found.
    /// </summary>
    private static async Task<IResult> SchemaAsync(StreamKind kind, string name, ResourceStore resources, CancellationToken ct)
    {
        var word = StreamDefinition.KindWord(kind);
        IResult Fails(string why) => ErrorEnvelope.Result($"get schema of {word} error: {why}", StreamTableError);

        var statement = await resources.ReadOneAsync(KindOf(kind), name, ct);
        if (statement is null)
        {
            // eKuiper keeps streams and tables in one store: a name stored as the other kind is found, then refused.
            var other = kind == StreamKind.Table ? ResourceKind.Streams : ResourceKind.Tables;
            return await resources.ReadOneAsync(other, name, ct) is null
                ? Fails($"Describe {word} fails, {name} is not found.")
                : Fails($"Describe {word} fails, {word} {name} is not found.");
        }
        var parsed = StreamStatementParser.Parse(statement);
        if (parsed.Definition is not { } definition) return Fails(parsed.Error ?? $"Describe {word} fails, cannot parse the data \"{statement}\" to a stream statement");

        // With SCHEMAID, eKuiper infers the fields from the schema file of a schema format (protobuf, custom), which
        // this node does not read; any other format gives no fields at all.
        if (definition.Options.SchemaId.Length > 0)
            return definition.Options.Format is "protobuf" or "custom"
                ? Fails($"the fields of schema {definition.Options.SchemaId} ({definition.Options.Format}) are not inferred on this node")
                : PlainReplies.Json("null");
        return PlainReplies.Json(StreamSchema.ToJson(definition));
    }
}
