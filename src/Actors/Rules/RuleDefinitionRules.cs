using System.Text.Json;
using Kuiper.Actors.GoCompat;
using Kuiper.Actors.Json;
using Kuiper.Actors.Resources;
using Kuiper.Actors.Rules.Sql;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Rules;

/// <summary>
/// A rule is stored verbatim, as eKuiper stores it, once its JSON has an id that matches its key, exactly one
/// of <c>sql</c> and <c>graph</c>, and actions for an SQL rule.
/// </summary>
public sealed class RuleDefinitionRules : IResourceRules
{
    public ResourceKind Kind => ResourceKind.Rules;

    public string AlreadyExists(string name) => $"rule {name} already exists";

    public string NotFound(string name) => $"Rule {name} is not found.";

    public Validated Validate(string name, string definition, string? current, ValidationContext context)
    {
        if (GoJsonSyntax.Check(definition) is { } syntax)
            return Validated.Refuse($"Parse rule {definition} error : {syntax}.");

        using var doc = JsonDocument.Parse(definition);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            return Validated.Refuse(
                $"Parse rule {definition} error : {GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, "def.Rule")}.");

        var id = name;
        if (root.TryGetField("id", out var idElement) && idElement.ValueKind == JsonValueKind.String)
            id = idElement.GetString()!;
        if (id.Length == 0) return Validated.Refuse("Missing rule id.");
        if (id != name) return Validated.Refuse("RuleId is not consistent with rule id.");

        var hasSql = root.TryGetField("sql", out var sql) && sql.ValueKind == JsonValueKind.String && sql.GetString()!.Length > 0;
        var hasGraph = root.TryGetField("graph", out var graph) && graph.ValueKind == JsonValueKind.Object;
        if (hasSql && hasGraph) return Validated.Refuse($"Rule {id} has both sql and graph.");
        if (!hasSql && !hasGraph) return Validated.Refuse($"Rule {id} has neither sql nor graph.");

        var analysis = hasSql ? SelectAnalyzer.Analyze(sql.GetString()!) : null;
        if (analysis?.RuleError is { } sqlError) return Validated.Refuse(sqlError);

        if (hasSql && !(root.TryGetField("actions", out var actions) && actions.ValueKind == JsonValueKind.Array
                        && actions.GetArrayLength() > 0))
            return Validated.Refuse("Missing rule actions.");

        // An upsert plans the rule, and planning needs every stream and table it reads.
        if (analysis is not null && context.KnownSources is { } known)
            foreach (var source in analysis.Sources)
                if (!known.Contains(source.Name))
                    return Validated.Refuse($"fail to get stream {source.Name}, please check if stream is created");

        return Validated.Store(definition);
    }
}
