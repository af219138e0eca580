using System.Text.Json;
using Kuiper.Domain.Configs;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Domain.Rules;
using Kuiper.Domain.Rules.Validation;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;
using Kuiper.Domain.Secrets;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's <c>/rules</c> endpoints. Rules are stored and validated, never run: a rule's status is
/// <c>stopped</c>, and start/stop only record whether it should run (<c>triggered</c>), as eKuiper persists it.
/// </summary>
public static class RuleEndpoints
{
    private const string Stopped = "stopped";
    private static readonly RuleDefinitionRules Rules = new();

    public static IEndpointRouteBuilder MapRules(this IEndpointRouteBuilder app)
    {
        app.MapGet("/rules", ListAsync);
        app.MapPost("/rules", CreateAsync);
        app.MapGet("/rules/{id}", DescribeAsync);
        app.MapPut("/rules/{id}", UpsertAsync);
        app.MapDelete("/rules/{id}", DropAsync);
        app.MapGet("/rules/{id}/status", StatusAsync);
        app.MapPost("/rules/{id}/start", (string id, ResourceStore resources, CancellationToken ct) => TriggerAsync(id, true, "start", $"Rule {id} was started", resources, ct));
        app.MapPost("/rules/{id}/stop", (string id, ResourceStore resources, CancellationToken ct) => TriggerAsync(id, false, "stop", $"Rule {id} was stopped.", resources, ct));
        app.MapPost("/rules/{id}/restart", (string id, ResourceStore resources, CancellationToken ct) => TriggerAsync(id, true, "restart", $"Rule {id} was restarted", resources, ct));
        app.MapGet("/rules/status/all", AllStatusAsync);
        app.MapGet("/v2/rules/{id}/status", StatusV2Async);
        app.MapPost("/rules/validate", ValidateAsync);
        app.MapGet("/rules/tags/match", MatchTagsAsync);
        app.MapMethods("/rules/{id}/tags", ["PUT", "PATCH", "DELETE"], ChangeTagsAsync);
        app.MapPost("/rules/bulkstart", (HttpRequest request, ResourceStore resources, CancellationToken ct) => BulkTriggerAsync(request, true, resources, ct));
        app.MapPost("/rules/bulkstop", (HttpRequest request, ResourceStore resources, CancellationToken ct) => BulkTriggerAsync(request, false, resources, ct));
        return app;
    }

    private static async Task<IResult> ListAsync(ResourceStore resources, CancellationToken ct)
    {
        var rules = await resources.ReadKindAsync(ResourceKind.Rules, ct);
        var list = rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r =>
        {
            using var doc = GoJsonLimits.Parse(r.Value);
            var root = doc.RootElement;
            return new Dictionary<string, object?>
            {
                ["id"] = r.Key,
                ["name"] = StringField(root, "name") is { Length: > 0 } name ? name : r.Key,
                ["status"] = Stopped,
                ["version"] = StringField(root, "version") ?? "",
                ["trace"] = false,
                ["tags"] = root.TryGetField("tags", out var tags) && tags.ValueKind == JsonValueKind.Array
                    ? tags.EnumerateArray().Select(t => t.ToString()).ToArray()
                    : null,
            };
        }).ToList();
        return PlainReplies.Json(JsonSerializer.Serialize(list));
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        var json = await RequestBody.ReadTextAsync(request, ct);
        var id = IdOf(json);
        if (Rules.Validate(id, json, null, ValidationContext.None).Error is { } invalid)
            return ErrorEnvelope.Result($"invalid rule json: {invalid}");
        if (ResourceId.Check(id) is { } idError) return ErrorEnvelope.Result($"invalid rule json: {idError}");

        var error = await resources.ChangeAsync(ResourceKind.Rules, BatchOperation.Create, id, json, ct);
        return error is null
            ? PlainReplies.Text($"Rule {id} was created successfully.", StatusCodes.Status201Created)
            : ErrorEnvelope.Result(error);
    }

    private static async Task<IResult> DescribeAsync(string id, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(id) is { } idError) return ErrorEnvelope.Result(idError);
        return await resources.ReadOneAsync(ResourceKind.Rules, id, ct) is { } json
            ? PlainReplies.Json(SecretText.Mask(json))
            : NotFound($"Describe rule error: Rule {id} is not found.");
    }

    private static async Task<IResult> UpsertAsync(string id, HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(id) is { } idError) return ErrorEnvelope.Result(idError);
        var json = await RequestBody.ReadTextAsync(request, ct);
        var error = await resources.ChangeAsync(ResourceKind.Rules, BatchOperation.Upsert, id, json, ct);
        return error is null
            ? PlainReplies.Text($"Rule {id} was updated successfully.")
            : ErrorEnvelope.Result($"Update rule error: {error}");
    }

    private static async Task<IResult> DropAsync(string id, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(id) is { } idError) return ErrorEnvelope.Result(idError);
        var error = await resources.ChangeAsync(ResourceKind.Rules, BatchOperation.Delete, id, "", ct);
        return error is null
            ? PlainReplies.Text($"Rule {id} is dropped.")
            : NotFound($"Delete rule error: Rule {id} is not found in registry, please check if it is deleted");
    }

    private static async Task<IResult> StatusAsync(string id, ResourceStore resources, CancellationToken ct)
    {
        if (await resources.ReadOneAsync(ResourceKind.Rules, id, ct) is not { } json)
            return NotFound($"get rule status error: Rule {id} is not found in registry");
        return PlainReplies.Json(JsonSerializer.Serialize(new { status = Stopped, triggered = IsTriggered(json) }));
    }

    /// <summary>
    /// Records whether the rule should run. Like eKuiper, the stored JSON is rewritten through a Go map, so its keys
    /// come out sorted (<see cref="RuleJsonMap"/>).
    /// </summary>
    private static async Task<IResult> TriggerAsync(string id, bool triggered, string verb, string done, ResourceStore resources, CancellationToken ct)
    {
        if (await resources.ReadOneAsync(ResourceKind.Rules, id, ct) is not { } json)
            return NotFound($"{verb} rule error: Rule {id} is not found in registry, please check if it is created");
        var error = await RecordTriggeredAsync(id, json, triggered, resources, ct);
        return error is null ? PlainReplies.Text(done) : ErrorEnvelope.Result($"{verb} rule error: {error}");
    }

    private static async Task<string?> RecordTriggeredAsync(string id, string json, bool triggered, ResourceStore resources, CancellationToken ct)
    {
        var (rewritten, error) = RuleJsonMap.SetTriggered(json, triggered);
        return rewritten is null ? error : await resources.ChangeAsync(ResourceKind.Rules, BatchOperation.Set, id, rewritten, ct);
    }

    /// <summary>
    /// eKuiper's <c>GET /rules/status/all</c>: per rule id its run state and last exception. No rule runs on this node,
    /// so each is <c>stopped</c> with no exception.
    /// </summary>
    private static async Task<IResult> AllStatusAsync(ResourceStore resources, CancellationToken ct)
    {
        var rules = await resources.ReadKindAsync(ResourceKind.Rules, ct);
        var all = GoJsonLimits.Write(writer =>
        {
            writer.WriteStartObject();
            foreach (var id in rules.Keys.Order(StringComparer.Ordinal))
            {
                writer.WriteStartObject(id);
                writer.WriteString("status", Stopped);
                writer.WriteString("last_exception", "");
                writer.WriteNumber("exceptions_total", 0);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        });
        return PlainReplies.Json(all);
    }

    /// <summary>
    /// eKuiper's <c>GET /v2/rules/{id}/status</c>, a Go map (keys sorted): the run state and its timestamps, never set
    /// here since no rule runs (and no metrics, which only a running rule has), plus what the node records:
    /// <c>triggered</c>.
    /// </summary>
    private static async Task<IResult> StatusV2Async(string id, ResourceStore resources, CancellationToken ct)
    {
        if (await resources.ReadOneAsync(ResourceKind.Rules, id, ct) is not { } json)
            return NotFound($"get rule status error: Rule {id} is not found");
        var status = GoJsonLimits.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("lastStartTimestamp", 0);
            writer.WriteNumber("lastStopTimestamp", 0);
            writer.WriteString("message", "");
            writer.WriteNumber("nextStartTimestamp", 0);
            writer.WriteString("status", Stopped);
            writer.WriteBoolean("triggered", IsTriggered(json));
            writer.WriteEndObject();
        });
        return PlainReplies.Json(status);
    }

    /// <summary>
    /// eKuiper's <c>POST /rules/validate</c>: 200 <c>{"sources":[...],"valid":true}</c>, or 422 with the reason as
    /// plain text (no envelope).
    /// </summary>
    private static async Task<IResult> ValidateAsync(HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        var json = await RequestBody.ReadTextAsync(request, ct);
        // eKuiper keeps streams and tables in one store: a rule may read either.
        var outcome = await RuleCheck.ValidateAsync(json, async name =>
            await resources.ReadOneAsync(ResourceKind.Streams, name, ct) is not null ||
            await resources.ReadOneAsync(ResourceKind.Tables, name, ct) is not null);
        // Go writes both without a content type, so its server sniffs them: text/plain.
        return outcome.Error is { } error
            ? PlainReplies.Text(error, StatusCodes.Status422UnprocessableEntity)
            : PlainReplies.Text(outcome.ToJson());
    }

    /// <summary>eKuiper's <c>GET /rules/tags/match</c>: the ids of the rules carrying every tag of the body, <c>{"rules":[...]}</c>.</summary>
    private static async Task<IResult> MatchTagsAsync(HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        var (tags, decodeError) = await ReadTagsAsync(request, ct);
        if (tags is null) return ErrorEnvelope.Result($"decode body error: {decodeError}");
        var matching = await MatchingAsync(tags.Tags, resources, ct);
        // RuleTagResponse's rules is omitempty: no match is {}.
        return PlainReplies.Json(GoJsonLimits.Write(writer =>
        {
            writer.WriteStartObject();
            if (matching.Count > 0)
            {
                writer.WriteStartArray("rules");
                foreach (var id in matching) writer.WriteStringValue(id);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }));
    }

    /// <summary>
    /// eKuiper's <c>PUT|PATCH|DELETE /rules/{id}/tags</c>: replace, add or remove tags; the stored rule is rewritten as
    /// eKuiper rewrites it (<see cref="RuleTags"/>) and stored through the coordinator. 200 with an empty body.
    /// </summary>
    private static async Task<IResult> ChangeTagsAsync(string id, HttpRequest request, ResourceStore resources, CancellationToken ct)
    {
        var (tags, decodeError) = await ReadTagsAsync(request, ct);
        if (tags is null) return ErrorEnvelope.Result($"decode body error: {decodeError}");
        if (await resources.ReadOneAsync(ResourceKind.Rules, id, ct) is not { } json)
            return NotFound($"Get rule error: Rule {id} is not found.");

        var (rewritten, rewriteError) = HttpMethods.IsPut(request.Method)
            ? RuleTags.Replace(json, tags.Tags)
            : RuleTags.Update(json, tags.Tags, add: HttpMethods.IsPatch(request.Method));
        if (rewritten is null) return ErrorEnvelope.Result($"update rule labels error: {rewriteError}");

        var error = await resources.ChangeAsync(ResourceKind.Rules, BatchOperation.Set, id, rewritten, ct);
        return error is null ? Results.Ok() : ErrorEnvelope.Result(error);
    }

    /// <summary>
    /// eKuiper's <c>POST /rules/bulkstart|bulkstop</c>: every rule carrying all the tags of the body is started or
    /// stopped (here: <c>triggered</c> recorded), answered per rule, by id.
    /// </summary>
    private static async Task<IResult> BulkTriggerAsync(HttpRequest request, bool triggered, ResourceStore resources, CancellationToken ct)
    {
        // Decoded into a struct pointer: a null body changes nothing, so it selects every rule.
        var (tags, decodeError) = RuleTags.Decode(await RequestBody.ReadAsync(request, ct));
        if (tags is null) return ErrorEnvelope.Result($"decode body error: {decodeError}");
        var rules = await resources.ReadKindAsync(ResourceKind.Rules, ct);
        var matching = Matching(rules, tags.Tags);
        if (matching.Count == 0) return ErrorEnvelope.Result($"bulk {(triggered ? "start" : "stop")} failed: no matching rules");

        var results = new List<(string Id, string? Error)>();
        // The rules just read: a rule dropped since is refused by its partition (the Set finds nothing).
        foreach (var id in matching)
            results.Add((id, await RecordTriggeredAsync(id, rules[id], triggered, resources, ct)));
        return PlainReplies.Json(GoJsonLimits.Write(writer =>
        {
            writer.WriteStartArray();
            foreach (var (id, error) in results)
            {
                writer.WriteStartObject();
                writer.WriteString("ruleId", id);
                writer.WriteBoolean("success", error is null);
                if (error is not null) writer.WriteString("error", error);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }));
    }

    /// <summary>The tag body of the tag endpoints, decoded into a pointer eKuiper then reads: a null body is refused here (eKuiper panics).</summary>
    private static async Task<(RuleTagRequest? Tags, string? Error)> ReadTagsAsync(HttpRequest request, CancellationToken ct)
    {
        var (tags, error) = RuleTags.Decode(await RequestBody.ReadAsync(request, ct));
        return tags is { IsNull: true } ? (null, "the body is null: {\"tags\":[...]} is expected") : (tags, error);
    }

    private static async Task<IReadOnlyList<string>> MatchingAsync(IReadOnlyList<string>? tags, ResourceStore resources, CancellationToken ct) =>
        Matching(await resources.ReadKindAsync(ResourceKind.Rules, ct), tags);

    /// <summary>The ids of the stored rules (those that decode) carrying every tag, sorted (eKuiper's order is a Go map's).</summary>
    private static List<string> Matching(IReadOnlyDictionary<string, string> rules, IReadOnlyList<string>? tags) =>
        rules.Where(r => RuleValidator.ParseStored(r.Key, r.Value) is { } rule && RuleTags.Matches(rule.Tags, tags))
            .Select(r => r.Key).Order(StringComparer.Ordinal).ToList();

    private static IResult NotFound(string message) =>
        ErrorEnvelope.Result(message, ErrorEnvelope.NotFound, StatusCodes.Status404NotFound);

    private static string IdOf(string json)
    {
        try
        {
            if (GoJsonSyntax.Check(json) is not null) return "";
            using var doc = GoJsonLimits.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? StringField(doc.RootElement, "id") ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static string? StringField(JsonElement root, string field) =>
        root.TryGetField(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool IsTriggered(string json)
    {
        using var doc = GoJsonLimits.Parse(json);
        return !doc.RootElement.TryGetField("triggered", out var value) || value.ValueKind != JsonValueKind.False;
    }
}
