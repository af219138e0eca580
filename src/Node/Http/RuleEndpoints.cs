using System.Text.Json;
using Kuiper.Domain.Configs;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Domain.Rules;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

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
            ? PlainReplies.Json(json)
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
    /// Records whether the rule should run. Like eKuiper, the stored JSON is rewritten from a map, so its keys
    /// come out sorted.
    /// </summary>
    private static async Task<IResult> TriggerAsync(string id, bool triggered, string verb, string done, ResourceStore resources, CancellationToken ct)
    {
        if (await resources.ReadOneAsync(ResourceKind.Rules, id, ct) is not { } json)
            return NotFound($"{verb} rule error: Rule {id} is not found in registry, please check if it is created");

        using var doc = GoJsonLimits.Parse(json);
        using var flag = JsonDocument.Parse(triggered ? "true" : "false");
        var fields = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in doc.RootElement.EnumerateObject()) fields[property.Name] = property.Value;
        fields["triggered"] = flag.RootElement;

        var error = await resources.ChangeAsync(ResourceKind.Rules, BatchOperation.Set, id, CanonicalJson.Write(fields), ct);
        return error is null ? PlainReplies.Text(done) : ErrorEnvelope.Result($"{verb} rule error: {error}");
    }

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
