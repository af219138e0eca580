using System.Net.Http.Headers;
using System.Text;
using Kuiper.Actors.Hosting;
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
        app.MapPut("/schemas/{type}/{name}/upload", UploadAsync);
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
        var written = await writes.StoreAsync(ResourceKind.Schema, schema.Key, schema.ItemJson(), ct, create: true);
        if (written.AlreadyStored) return ErrorEnvelope.Result($"{prefix}: schema {schema.Type}.{schema.Name} already registered");
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

    /// <summary>The most a <c>version</c> field of an upload may hold, as in eKuiper.</summary>
    private const int MaxVersionBytes = 4 << 10;

    /// <summary>
    /// eKuiper's multipart schema upload: a <c>file</c> part (a schema file, or a zip holding <c>&lt;name&gt;.proto</c> and
    /// its folder) and an optional <c>version</c>; 201 when the schema is new, 200 when replaced, <c>{"type","name"}</c>
    /// and a <c>Location</c>. eKuiper records the installed file's path as the schema's <c>file</c>; here that path is
    /// the item's URI too, and the uploaded bytes travel with it (stored for the cluster, not fetched from it).
    /// </summary>
    private static async Task<IResult> UploadAsync(string type, string name, HttpRequest request, KuiperSettings settings, ResourceStore resources,
        ArtefactWrites writes, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return UploadError(idError, StatusCodes.Status400BadRequest);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType))
            return UploadError("Invalid content type: mime: no media type", StatusCodes.Status415UnsupportedMediaType);
        if (!string.Equals(mediaType.MediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return UploadError("Invalid content type: content type must be multipart/form-data", StatusCodes.Status415UnsupportedMediaType);

        const string invalidBody = "Invalid multipart body";
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = settings.Import.MaxUploadBytes }, ct);
        }
        catch (InvalidDataException e)
        {
            return UploadError($"{invalidBody}: {e.Message}", StatusCodes.Status400BadRequest);
        }
        // A part named "file" is the file whether or not it carries a file name.
        var files = form.Files.GetFiles("file");
        var fileFields = form["file"];
        if (files.Count + fileFields.Count == 0) return UploadError($"{invalidBody}: file field is required", StatusCodes.Status400BadRequest);
        if (files.Count + fileFields.Count > 1) return UploadError($"{invalidBody}: file field must appear exactly once", StatusCodes.Status400BadRequest);
        if (form["version"].Count > 1) return UploadError($"{invalidBody}: version field must not be repeated", StatusCodes.Status400BadRequest);
        var version = form["version"].FirstOrDefault() ?? "";
        if (Encoding.UTF8.GetByteCount(version) > MaxVersionBytes) return UploadError($"{invalidBody}: version field is too large", StatusCodes.Status400BadRequest);

        byte[] bytes;
        var extension = "";
        if (files.Count == 1)
        {
            bytes = new byte[files[0].Length];
            await using (var stream = files[0].OpenReadStream()) await stream.ReadExactlyAsync(bytes, ct);
            extension = Path.GetExtension(files[0].FileName);
        }
        else
        {
            bytes = Encoding.UTF8.GetBytes(fileFields[0] ?? "");
        }

        var ext = type == "protobuf" ? ".proto" : ".so";
        var target = extension == ".zip" ? $"{name}.zip" : version.Length > 0 ? $"{name}@{version}{ext}" : name + ext;
        var uri = new Uri(Path.Combine(Path.GetFullPath(settings.DataDir), "schemas", type, target)).AbsoluteUri;
        var schema = new SchemaRequest(type, name, "", uri, "", version);
        if (schema.Validate() is { } invalid) return UploadError($"Invalid schema: {invalid}", StatusCodes.Status400BadRequest);

        const string prefix = "schema upsert error";
        var old = await ArtefactReads.FindAsync(ResourceKind.Schema, schema.Key, resources, ct);
        if (old?.Record.Version is { Length: > 0 } stored && string.CompareOrdinal(stored, version) > 0)
            return UploadError($"{prefix}: schema {type}.{name} already registered with a newer version {stored}", StatusCodes.Status400BadRequest);
        var written = await writes.StoreAsync(ResourceKind.Schema, old?.Key ?? schema.Key, schema.ItemJson(), ct,
            new Dictionary<string, byte[]>(StringComparer.Ordinal) { [uri] = bytes });
        if (!written.Succeeded) return UploadError($"{prefix}: {written.Error}", written.Status);

        var location = $"/schemas/{type}/{name}";
        var body = GoMarshalPair(type, name);
        return new UploadReply(old is null ? StatusCodes.Status201Created : StatusCodes.Status200OK, body, location);
    }

    private static string GoMarshalPair(string type, string name) =>
        $"{{\"type\":{GoJsonEncoder.Marshal(type)},\"name\":{GoJsonEncoder.Marshal(name)}}}";

    /// <summary>The upload answers its errors as JSON, without the newline <c>http.Error</c> adds elsewhere.</summary>
    private static IResult UploadError(string message, int status) =>
        Results.Text($"{{\"error\":{ErrorEnvelope.Undefined},\"message\":{GoQuote.Quote(message)}}}", "application/json", Encoding.UTF8, status);

    private sealed class UploadReply(int status, string body, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return Results.Text(body, "application/json", Encoding.UTF8, status).ExecuteAsync(httpContext);
        }
    }
}
