using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Bundles;

/// <summary>What eKuiper's <c>/ruleset/import</c> answers, and the per-item failures it only logs.</summary>
public static class RulesetReplies
{
    /// <summary>Headers are ASCII: every other character is escaped, as are HTML's and JSON's own.</summary>
    private static readonly JsonWriterOptions AsciiJson = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary>
    /// <c>imported %d streams, %d tables and %d rules</c>: eKuiper counts the items it stored (a failed one is logged
    /// and not counted).
    /// </summary>
    public static string Imported(Bundle ruleset, ImportReport report) =>
        $"imported {Stored(ruleset, report, ResourceKind.Streams)} streams, {Stored(ruleset, report, ResourceKind.Tables)} tables" +
        $" and {Stored(ruleset, report, ResourceKind.Rules)} rules";

    private static int Stored(Bundle ruleset, ImportReport report, ResourceKind kind) =>
        ruleset[kind].Count - (report.Errors.TryGetValue(kind, out var errors) ? errors.Count : 0);

    /// <summary>
    /// The failures as ASCII JSON <c>{"streams":{name:error},"tables":{...},"rules":{...}}</c>, each map sorted, holding
    /// as many entries as fit in <paramref name="maxBytes"/> (whole entries, kinds in order): the rest are counted in
    /// <c>Omitted</c>. Null when nothing failed.
    /// </summary>
    public static (string Json, int Omitted)? Failures(ImportReport report, int maxBytes)
    {
        var failures = BundleShape.Ruleset.Kinds
            .SelectMany(kind => (report.Errors.TryGetValue(kind, out var errors) ? errors : new Dictionary<string, string>())
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .Select(e => (Kind: kind, e.Key, e.Value)))
            .ToList();
        if (failures.Count == 0) return null;

        // Go's marshalled empty maps plus the braces: what the three kinds cost with no entry.
        var budget = maxBytes - BundleShape.Ruleset.Kinds.Sum(k => k.BundleKey().Length + 6) - 2;
        var kept = new List<(ResourceKind Kind, string Key, string Value)>();
        foreach (var failure in failures)
        {
            var cost = Escaped(failure.Key).Length + Escaped(failure.Value).Length + 2;
            if (cost > budget) break;
            budget -= cost;
            kept.Add(failure);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, AsciiJson))
        {
            writer.WriteStartObject();
            foreach (var kind in BundleShape.Ruleset.Kinds)
            {
                writer.WriteStartObject(kind.BundleKey());
                foreach (var entry in kept.Where(k => k.Kind == kind)) writer.WriteString(entry.Key, entry.Value);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return (Encoding.ASCII.GetString(buffer.ToArray()), failures.Count - kept.Count);
    }

    private static readonly JsonSerializerOptions AsciiStrings = new() { Encoder = JavaScriptEncoder.Default };

    private static string Escaped(string text) => JsonSerializer.Serialize(text, AsciiStrings);
}
