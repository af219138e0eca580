using Kuiper.Domain.Connections;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Domain.Secrets;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's named connection endpoints (<c>internal/server/connection.go</c>, <c>pkg/connection</c>):
/// <c>GET|POST /connections</c>, <c>GET|PUT|DELETE /connections/{id}</c>. A connection is stored as eKuiper stores it,
/// a confKey of its type's <c>connectionConfig</c> item (<see cref="NamedConnections"/>); this node never dials it.
/// </summary>
public static class ConnectionEndpoints
{
    public static IEndpointRouteBuilder MapConnections(this IEndpointRouteBuilder app)
    {
        // eKuiper's ?forceAll=true adds the anonymous connections of running rules: there are none here.
        app.MapGet("/connections", ListAsync);
        app.MapPost("/connections", CreateAsync);
        app.MapGet("/connections/{id}", DescribeAsync);
        app.MapPut("/connections/{id}", UpdateAsync);
        app.MapDelete("/connections/{id}", DropAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(ResourceStore resources, CancellationToken ct)
    {
        var connections = NamedConnections.From(await resources.ReadKindAsync(ResourceKind.ConnectionConfig, ct));
        var users = await UsersAsync(resources, ct);
        return PlainReplies.Json(SecretText.Mask(NamedConnections.ListResponse(connections, id => users.GetValueOrDefault(id)?.Count ?? 0)));
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        const string prefix = "create connection failed";
        var (connection, decodeError) = ConnectionRequest.Decode(await RequestBody.ReadAsync(request, ct));
        if (decodeError is not null) return ErrorEnvelope.Result($"Invalid body: {decodeError}");
        if (ResourceId.Check(connection!.Id) is { } invalid) return ErrorEnvelope.Result(invalid);
        if (connection.Typ.Length == 0) return ErrorEnvelope.Result($"{prefix}: connection id and type should be defined");
        if (await FindAsync(connection.Id, resources, ct) is not null)
            return ErrorEnvelope.Result($"{prefix}: connection {connection.Id} already been created");

        var error = await resources.ChangeAsync(ResourceKind.ConnectionConfig, BatchOperation.Upsert, connection.Typ, connection.ToConfigItem(), ct);
        return error is null ? PlainReplies.Text("success", StatusCodes.Status201Created) : ErrorEnvelope.Result($"{prefix}: {error}");
    }

    private static async Task<IResult> DescribeAsync(string id, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(id) is { } invalid) return ErrorEnvelope.Result(invalid);
        if (await FindAsync(id, resources, ct) is not { } connection) return ErrorEnvelope.Result($"connection {id} not existed");
        var users = await UsersAsync(resources, ct);
        return PlainReplies.Json(SecretText.Mask(NamedConnections.Response(connection, users.GetValueOrDefault(id)?.Count ?? 0)));
    }

    /// <summary>
    /// eKuiper drops the connection and creates it again under the body's type and props (the body's id is ignored),
    /// refusing while rules use it.
    /// </summary>
    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        const string prefix = "update connection failed";
        if (ResourceId.Check(id) is { } invalid) return ErrorEnvelope.Result(invalid);
        var (connection, decodeError) = ConnectionRequest.Decode(await RequestBody.ReadAsync(request, ct));
        if (decodeError is not null) return ErrorEnvelope.Result($"Invalid body: {decodeError}");
        if (connection!.Typ.Length == 0) return ErrorEnvelope.Result($"{prefix}: connection id and type should be defined");
        if (await FindAsync(id, resources, ct) is not { } stored) return ErrorEnvelope.Result($"{prefix}: connection {id} not existed");
        if (await InUseAsync(id, resources, ct) is { } inUse) return ErrorEnvelope.Result($"{prefix}: {inUse}");

        var replacement = connection with { Id = id };
        // A new type moves the connection to that type's item: the old confKey is removed first, as eKuiper drops first.
        if (stored.Typ != replacement.Typ && await RemoveAsync(stored, resources, ct) is { } removeError)
            return ErrorEnvelope.Result($"{prefix}: drop connection {id} failed, err:{removeError}");
        var error = await resources.ChangeAsync(ResourceKind.ConnectionConfig, BatchOperation.Upsert, replacement.Typ, replacement.ToConfigItem(), ct);
        return error is null ? PlainReplies.Text("success") : ErrorEnvelope.Result($"{prefix}: {error}");
    }

    private static async Task<IResult> DropAsync(string id, ResourceStore resources, CancellationToken ct)
    {
        const string prefix = "drop connection failed";
        if (ResourceId.Check(id) is { } invalid) return ErrorEnvelope.Result(invalid);
        // eKuiper answers success for an id it does not have.
        if (await FindAsync(id, resources, ct) is not { } stored) return PlainReplies.Text("success");
        if (await InUseAsync(id, resources, ct) is { } inUse) return ErrorEnvelope.Result($"{prefix}: {inUse}");
        return await RemoveAsync(stored, resources, ct) is { } error
            ? ErrorEnvelope.Result($"{prefix}: drop connection {id} failed, err:{error}")
            : PlainReplies.Text("success");
    }

    private static async Task<NamedConnection?> FindAsync(string id, ResourceStore resources, CancellationToken ct) =>
        NamedConnections.From(await resources.ReadKindAsync(ResourceKind.ConnectionConfig, ct)).FirstOrDefault(c => c.Id == id);

    /// <summary>A null confKey removes it from its type's item (and the item with its last confKey).</summary>
    private static Task<string?> RemoveAsync(NamedConnection connection, ResourceStore resources, CancellationToken ct) =>
        resources.ChangeAsync(ResourceKind.ConnectionConfig, BatchOperation.Upsert, connection.Typ, $"{{{GoJsonEncoder.Marshal(connection.Id)}:null}}", ct);

    /// <summary>eKuiper's refusal while rules hold the connection; it names rule node references, here the rules.</summary>
    private static async Task<string?> InUseAsync(string id, ResourceStore resources, CancellationToken ct) =>
        (await UsersAsync(resources, ct)).GetValueOrDefault(id) is { Count: > 0 } rules
            ? $"connection {id} can't be dropped due to rule references {GoShape.FormatList(rules)}"
            : null;

    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> UsersAsync(ResourceStore resources, CancellationToken ct) =>
        ConnectionReferences.Of(new StoredDefinitions(
            await resources.ReadKindAsync(ResourceKind.Rules, ct),
            await resources.ReadKindAsync(ResourceKind.Streams, ct),
            await resources.ReadKindAsync(ResourceKind.Tables, ct),
            await resources.ReadKindAsync(ResourceKind.SourceConfig, ct),
            await resources.ReadKindAsync(ResourceKind.SinkConfig, ct)));
}
