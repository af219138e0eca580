using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Scripts;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's JavaScript function endpoints (<c>internal/server/script_init.go</c>): <c>GET|POST /udf/javascript</c>,
/// <c>GET|PUT|DELETE /udf/javascript/{id}</c>, over the <c>scripts</c> kind. Writes take the artefact road
/// (<see cref="ArtefactWrites"/>), so the script is checked exactly as an import checks it.
/// </summary>
public static class ScriptEndpoints
{
    public static IEndpointRouteBuilder MapScripts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/udf/javascript", ListAsync);
        app.MapPost("/udf/javascript", CreateAsync);
        app.MapGet("/udf/javascript/{id}", DescribeAsync);
        app.MapPut("/udf/javascript/{id}", UpdateAsync);
        app.MapDelete("/udf/javascript/{id}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> ListAsync(ResourceStore resources, CancellationToken ct) =>
        PlainReplies.Json("[" + string.Join(',', (await resources.ReadKindAsync(ResourceKind.Scripts, ct)).Keys.Order(StringComparer.Ordinal)
            .Select(GoJsonEncoder.Marshal)) + "]");

    private static async Task<IResult> CreateAsync(HttpRequest request, ResourceStore resources, ArtefactWrites writes, CancellationToken ct)
    {
        const string prefix = "javascript function create command error";
        var (script, decodeError) = ScriptRequest.Decode(await RequestBody.ReadAsync(request, ct));
        if (decodeError is not null) return ErrorEnvelope.Result($"Invalid body: Error decoding the new javascript function json: {decodeError}");
        if (ResourceId.Check(script!.Id) is { } invalid) return ErrorEnvelope.Result(invalid);
        // eKuiper checks the script before it inserts (Setnx), so a bad script is reported before a duplicate.
        if (ScriptChecker.CheckScript(script.Id, script.Script) is { } scriptError) return ErrorEnvelope.Result($"{prefix}: {scriptError}");
        if (await resources.ReadOneAsync(ResourceKind.Scripts, script.Id, ct) is not null)
            return ErrorEnvelope.Result($"{prefix}: Item {script.Id} already exists");

        var written = await writes.StoreAsync(ResourceKind.Scripts, script.Id, script.ToItemJson(), ct, create: true);
        if (written.AlreadyStored) return ErrorEnvelope.Result($"{prefix}: Item {script.Id} already exists");
        return written.Succeeded
            ? PlainReplies.Text($"javascript function {script.Id} is created", StatusCodes.Status201Created)
            : written.Envelope(prefix);
    }

    private static async Task<IResult> DescribeAsync(string id, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(id) is { } invalid) return ErrorEnvelope.Result(invalid);
        var stored = await resources.ReadOneAsync(ResourceKind.Scripts, id, ct);
        return stored is not null && ArtefactRecord.Parse(stored) is { } record
            ? PlainReplies.Json(record.Descriptor)
            : ErrorEnvelope.Result($"describe javascript function {id} error: not found");
    }

    /// <summary>
    /// As in eKuiper, the path's id is only validated: the body's id is the function stored (created when absent,
    /// replaced when present).
    /// </summary>
    private static async Task<IResult> UpdateAsync(string id, HttpRequest request, ArtefactWrites writes, CancellationToken ct)
    {
        if (ResourceId.Check(id) is { } invalidPath) return ErrorEnvelope.Result(invalidPath);
        var (script, decodeError) = ScriptRequest.Decode(await RequestBody.ReadAsync(request, ct));
        if (decodeError is not null) return ErrorEnvelope.Result($"Invalid body: Error decoding the javascript function json: {decodeError}");
        if (ResourceId.Check(script!.Id) is { } invalid) return ErrorEnvelope.Result(invalid);

        var written = await writes.StoreAsync(ResourceKind.Scripts, script.Id, script.ToItemJson(), ct);
        return written.Succeeded
            ? PlainReplies.Text($"javascript function {script.Id} is updated")
            : written.Envelope("javascript function update command error");
    }

    private static async Task<IResult> DeleteAsync(string id, ArtefactWrites writes, CancellationToken ct)
    {
        if (ResourceId.Check(id) is { } invalid) return ErrorEnvelope.Result(invalid);
        var (found, result) = await writes.DeleteAsync(ResourceKind.Scripts, id, ct);
        if (!found)
            return ErrorEnvelope.Result($"delete javascript function {id} error: {id} is not found", ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);
        return result.Succeeded ? PlainReplies.Text($"javascript function {id} is deleted") : result.Envelope($"delete javascript function {id} error");
    }
}
