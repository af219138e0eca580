using Kuiper.Domain.Configs.Rewriting;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Rules.Validation;

/// <summary>
/// eKuiper's <c>replace.ReplaceRuleJson</c>, run on every rule of a partial import (and every REST
/// upsert) before it is validated and stored: the props of <c>kafka</c> and <c>sql</c> actions get the
/// renames and millisecond-to-duration rewrites of <see cref="ConfigPropertyRewriting"/>.
/// </summary>
/// <remarks>
/// <para>When nothing is replaced the text comes back exactly as given (same bytes, same key order).
/// When something is, the whole rule is re-marshalled from a Go <c>map[string]interface{}</c>: compact,
/// keys sorted at every level, duplicate keys collapsed to the last, numbers re-written from float64
/// (<c>1.0</c> → <c>1</c>, <c>1e21</c> → <c>1e+21</c>, integers beyond 2^53 rounded), strings escaped
/// HTML-safe (<c>&lt;</c> → <c>\u003c</c>).</para>
/// <para>Only the exact key <c>actions</c> holding an array is looked at (<c>"Actions"</c>, which the
/// validator accepts, is not), only elements that are objects, and in each element only its first key:
/// Go ranges over the map and breaks after one key, in Go's random map order. This port takes the first
/// key in document order, so an action element with several keys is rewritten deterministically where
/// eKuiper is a coin toss.</para>
/// <para>Text that is not valid JSON, not an object, or holds a number beyond float64 (Go's
/// <c>json.Unmarshal</c> into a map fails) is returned unchanged.</para>
/// </remarks>
public static class RuleJsonRewriting
{
    /// <summary><c>replace.ReplaceRuleJson(ruleJson, isTesting: false)</c>.</summary>
    public static string Rewrite(string ruleJson)
    {
        ArgumentNullException.ThrowIfNull(ruleJson);
        if (GoJsonSyntax.Check(ruleJson) is not null) return ruleJson;
        var root = GoJsonTree.Parse(ruleJson);
        if (root.Kind != GoJsonKind.Object) return ruleJson;
        if (GoJsonTree.FirstFloatOverflow(root) is not null) return ruleJson;
        if (root.Get("actions") is not { Kind: GoJsonKind.Array } actions) return ruleJson;

        var changed = false;
        foreach (var action in actions.Items!)
        {
            if (action.Kind != GoJsonKind.Object) continue;
            foreach (var sinkType in action.DistinctKeys())
            {
                if (sinkType is "kafka" or "sql" && action.Get(sinkType) is { Kind: GoJsonKind.Object } props
                    && ConfigPropertyRewriting.Replace(sinkType, props))
                {
                    changed = true;
                }
                break; // each action has only one type
            }
        }
        return changed ? GoJsonTree.Marshal(root) : ruleJson;
    }
}
