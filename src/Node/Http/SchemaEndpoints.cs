using Kuiper.Actors.Installation;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Schemas;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's schema endpoints (<c>/schemas/{type}[/{name}]</c>). A write builds the bundle item an import carries
/// (eKuiper's <c>schema.Info</c> under <c>&lt;type&gt;_&lt;name&gt;</c>) and goes through <see cref="ArtefactWrites"/>.
/// eKuiper answers a missing schema 400 with its registry's text, not 404: so here.
/// </summary>
public static class SchemaEndpoints
{
    private const string DecodeError = "Invalid body: Error decoding schema json";

    public static IEndpointRouteBuilder MapSchemas(this IEndpointRouteBuilder app)
    {
        app.MapGet("/schemas/{type}", ListAsync);
        app.MapPost("/schemas/{type}", CreateAsync);
        app.MapGet("/schemas/{type}/{name}", DescribeAsync);
        app.MapPut("/schemas/{type}/{name}", UpdateAsync);
        app.MapDelete("/schemas/{type}/{name}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(string type, ResourceStore resources, CancellationToken ct)
    {
        if (!SchemaChecker.IsKnownType(type)) return ErrorEnvelope.Result($"schema type {type} not found");
        var prefix = type + "_";
        return ArtefactReads.Names((await ArtefactReads.AllAsync(ResourceKind.Schema, resources, ct))
            .Where(a => a.Record.InstallKey.StartsWith(prefix, StringComparison.Ordinal)).Select(a => a.Record.InstallKey[prefix.Length..]));
    }

    private static async Task<IResult> CreateAsync(string type, HttpRequest request, ResourceStore resources, ArtefactWrites writes, CancellationToken ct)
    {
        const string prefix = "schema create command error";
        var (schema, decodeError) = ArtefactRequests.Schema(await RequestBody.ReadAsync(request, ct), type);
        if (schema is null) return ErrorEnvelope.Result($"{DecodeError}: {decodeError}");
        if (schema.Validate() is { } invalid) return ErrorEnvelope.Result($"Invalid body: {invalid}");
        if (ResourceId.Check(schema.Name) is { } idError) return ErrorEnvelope.Result(idError);
        if (await ArtefactReads.FindAsync(ResourceKind.Schema, schema.Key, resources, ct) is not null)
            return ErrorEnvelope.Result($"{prefix}: schema {schema.Type}.{schema.Name} already registered");
        var written = await writes.StoreAsync(ResourceKind.Schema, schema.Key, schema.ItemJson(), ct);
        return written.Succeeded
            ? PlainReplies.Text(GoHtml.EscapeString($"{schema.Type} schema {schema.Name} is created"), StatusCodes.Status201Created)
            : written.Envelope(prefix);
    }

    private static async Task<IResult> DescribeAsync(string type, string name, ResourceStore resources, ArtefactStore store, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        if (!SchemaChecker.IsKnownType(type)) return ErrorEnvelope.Result($"schema type {type} not found in registry");
        return await ArtefactReads.OneAsync(ResourceKind.Schema, $"{type}_{name}",
            () => ErrorEnvelope.Result($"schema type {type} id {name} not found in registry"), resources, store, ct);
    }

    /// <summary>
    /// Creates or replaces the schema. eKuiper dereferences a nil error (and drops the connection) when the body names
    /// another type or name, or fails its validation: here those are 400 with the text it meant to send.
    /// </summary>
    private static async Task<IResult> UpdateAsync(string type, string name, HttpRequest request, ResourceStore resources, ArtefactWrites writes,
        CancellationToken ct)
    {
        const string prefix = "schema update command error";
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var (schema, decodeError) = ArtefactRequests.Schema(await RequestBody.ReadAsync(request, ct), type, name);
        if (schema is null) return ErrorEnvelope.Result($"{DecodeError}: {decodeError}");
        if (schema.Type != type || schema.Name != name) return ErrorEnvelope.Result("Invalid body: Type or name does not match");
        if (schema.Validate() is { } invalid) return ErrorEnvelope.Result($"Invalid body: {invalid}");

        var old = await ArtefactReads.FindAsync(ResourceKind.Schema, schema.Key, resources, ct);
        // The store's checks see the other schemas only: the version rule against the one replaced is applied here.
        if (old?.Record.Version is { Length: > 0 } stored && string.CompareOrdinal(stored, schema.Version) > 0)
            return ErrorEnvelope.Result($"{prefix}: schema {type}.{name} already registered with a newer version {stored}");
        var written = await writes.StoreAsync(ResourceKind.Schema, old?.Key ?? schema.Key, schema.ItemJson(), ct);
        return written.Succeeded ? PlainReplies.Text(GoHtml.EscapeString($"{type} schema {name} is updated")) : written.Envelope(prefix);
    }

    private static async Task<IResult> DeleteAsync(string type, string name, ResourceStore resources, ArtefactWrites writes, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var prefix = $"delete {type} schema {name} error";
        if (!SchemaChecker.IsKnownType(type)) return ErrorEnvelope.Result($"{prefix}: schema type {type} not found");
        var notFound = ErrorEnvelope.Result($"{prefix}: schema {type}.{name} not found");
        if (await ArtefactReads.FindAsync(ResourceKind.Schema, $"{type}_{name}", resources, ct) is not { } found) return notFound;
        var (present, result) = await writes.DeleteAsync(ResourceKind.Schema, found.Key, ct);
        if (!present) return notFound;
        return result.Succeeded ? PlainReplies.Text(GoHtml.EscapeString($"{type} schema {name} is deleted")) : result.Envelope(prefix);
    }
}
