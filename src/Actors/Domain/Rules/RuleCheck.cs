using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Rules.Validation;
using Kuiper.Domain.Sql;

namespace Kuiper.Domain.Rules;

/// <summary>The answer of <see cref="RuleCheck.Validate"/>: the sources of a valid rule, or eKuiper's error text.</summary>
public sealed record RuleCheckOutcome(IReadOnlyList<string>? Sources, string? Error)
{
    /// <summary>eKuiper's 200 body: <c>{"sources":[...],"valid":true}</c> (a Go map, so its keys sorted).</summary>
    public string ToJson() => GoJsonLimits.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName("sources");
        if (Sources is null) writer.WriteNullValue();
        else
        {
            writer.WriteStartArray();
            foreach (var source in Sources) writer.WriteStringValue(source);
            writer.WriteEndArray();
        }
        writer.WriteBoolean("valid", true);
        writer.WriteEndObject();
    });
}

/// <summary>
/// <c>POST /rules/validate</c> (eKuiper's <c>RuleRegistry.ValidateRule</c>): the rule JSON passes the checks of a
/// created rule, and every stream or table its SQL reads exists.
/// </summary>
public static class RuleCheck
{
    /// <param name="ruleJson">The request body.</param>
    /// <param name="sourceExists">Whether a stream or a table of that name is stored.</param>
    public static RuleCheckOutcome Validate(string ruleJson, Func<string, bool> sourceExists)
    {
        ArgumentNullException.ThrowIfNull(sourceExists);
        return ValidateAsync(ruleJson, name => Task.FromResult(sourceExists(name))).GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="Validate"/>
    public static async Task<RuleCheckOutcome> ValidateAsync(string ruleJson, Func<string, Task<bool>> sourceExists)
    {
        ArgumentNullException.ThrowIfNull(ruleJson);
        ArgumentNullException.ThrowIfNull(sourceExists);

        SqlAnalysis? analysis = null;
        SqlAnalysis Analyze(string sql) => analysis is { } known && known.Sql == sql ? known : analysis = SelectAnalyzer.Analyze(sql);
        var (rule, error) = RuleValidator.Validate("", ruleJson, sql => Analyze(sql).Error, sql => Analyze(sql).IsSelect);
        if (rule is null) return new RuleCheckOutcome(null, $"invalid rule json: {error}");

        if (rule.Sql.Length > 0)
        {
            // The FROM source, then each joined one, repeats kept, as eKuiper's xsql.GetStreams lists them.
            var sources = Analyze(rule.Sql).Sources.Select(s => s.Name).ToList();
            foreach (var source in sources)
                if (!await sourceExists(source)) return new RuleCheckOutcome(null, $"{source} is not found");
            return new RuleCheckOutcome(sources, null);
        }
        return new RuleCheckOutcome(GraphSources(rule.Graph!), null);
    }

    /// <summary>
    /// A graph rule's sources as its planned topology names them, <c>source_&lt;node&gt;</c> for each node of
    /// <c>graph.topo.sources</c>. The graph itself is not planned here (its nodes are not checked).
    /// </summary>
    private static IReadOnlyList<string>? GraphSources(string graphJson)
    {
        using var doc = GoJsonLimits.Parse(graphJson);
        if (!doc.RootElement.TryGetField("topo", out var topo) || !topo.TryGetField("sources", out var sources)
            || sources.ValueKind != JsonValueKind.Array)
            return null;
        var names = sources.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => "source_" + s.GetString()).ToList();
        return names.Count > 0 ? names : null;
    }
}
