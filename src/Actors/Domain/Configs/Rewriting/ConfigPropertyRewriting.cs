using Kuiper.Domain.GoCompat;
using System.Text.Json;

namespace Kuiper.Domain.Configs.Rewriting;

/// <summary>
/// eKuiper's <c>replace.ReplacePropsWithPlug</c>: the property renames and duration rewrites applied to
/// source, sink and connection props on import (and to <c>kafka</c>/<c>sql</c> actions of a rule on upsert).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>saslPassword</c> becomes <c>password</c> for every plugin (the value moves, overwriting any
/// <c>password</c>).</item>
/// <item>for plugin <c>sql</c> only, <c>url</c> becomes <c>dburl</c>.</item>
/// <item><c>lookup.cacheTtl</c>, else <c>cacheTtl</c>, then <c>timeout</c>, <c>expiration</c> and
/// <c>interval</c>: a value that converts to an integer (see below) is taken as milliseconds and replaced by
/// Go's duration text: <c>1000</c> → <c>"1s"</c>, <c>1500</c> → <c>"1.5s"</c>, <c>90000</c> →
/// <c>"1m30s"</c>, <c>0</c> → <c>"0s"</c>. When <c>lookup.cacheTtl</c> converts, a top-level
/// <c>cacheTtl</c> is left alone.</item>
/// </list>
/// The conversion is eKuiper's <c>cast.ToInt(v, CONVERT_ALL)</c>: numbers are truncated (<c>1.9</c> →
/// <c>"1ms"</c>), strings are read as Go integer literals (<c>"1000"</c>, <c>"0x10"</c> → <c>"16ms"</c>,
/// <c>"010"</c> → <c>"8ms"</c>, <c>"1_000"</c> → <c>"1s"</c>), <c>true</c> is 1 (<c>"1ms"</c>),
/// <c>false</c> and <c>null</c> are 0 (<c>"0s"</c>). Strings such as <c>"10s"</c> are not integers and stay.
/// The millisecond product wraps like Go's int64, and a number beyond int64 becomes
/// <c>0x8000000000000000</c> first (amd64), so both end as odd but deterministic texts.
/// </remarks>
public static class ConfigPropertyRewriting
{
    private static readonly string[] DurationKeys = ["cacheTtl", "timeout", "expiration", "interval"];

    /// <summary>
    /// The props eKuiper keeps after <c>ReplacePropsWithPlug(pluginName, props)</c>, in the form Go
    /// marshals a <c>map[string]interface{}</c> (keys sorted, numbers as float64 texts). A value that is
    /// not an object is returned unchanged.
    /// </summary>
    public static JsonElement Rewrite(string pluginName, JsonElement props)
    {
        TryRewrite(pluginName, props, out var rewritten);
        return rewritten;
    }

    /// <summary>
    /// <see cref="Rewrite(string, JsonElement)"/>, telling whether anything was replaced (eKuiper's
    /// <c>replaced</c> flag).
    /// </summary>
    public static bool TryRewrite(string pluginName, JsonElement props, out JsonElement rewritten)
    {
        ArgumentNullException.ThrowIfNull(pluginName);
        if (props.ValueKind != JsonValueKind.Object)
        {
            rewritten = props;
            return false;
        }
        var node = GoJsonTree.Parse(props.GetRawText());
        var replaced = Replace(pluginName, node);
        using var document = GoJsonLimits.Parse(GoJsonTree.Marshal(node));
        rewritten = document.RootElement.Clone();
        return replaced;
    }

    /// <summary>
    /// <see cref="Rewrite(string, JsonElement)"/> on JSON text: the Go-marshalled props, or the text
    /// unchanged when it is not a JSON object.
    /// </summary>
    public static string Rewrite(string pluginName, string propsJson)
    {
        ArgumentNullException.ThrowIfNull(pluginName);
        ArgumentNullException.ThrowIfNull(propsJson);
        if (Kuiper.Domain.GoCompat.GoJsonSyntax.Check(propsJson) is not null) return propsJson;
        var node = GoJsonTree.Parse(propsJson);
        if (node.Kind != GoJsonKind.Object) return propsJson;
        Replace(pluginName, node);
        return GoJsonTree.Marshal(node);
    }

    /// <summary>ReplacePropsWithPlug on a decoded map, in place; true when something was replaced.</summary>
    internal static bool Replace(string plugin, GoJsonNode props)
    {
        var replaced = Rename(props, "saslPassword", "password");
        if (plugin == "sql") replaced |= Rename(props, "url", "dburl");
        replaced |= ReplaceDurations(props);
        return replaced;
    }

    private static bool Rename(GoJsonNode props, string from, string to)
    {
        if (props.Get(from) is not { } value) return false;
        props.Set(to, value);
        props.Delete(from);
        return true;
    }

    private static bool ReplaceDurations(GoJsonNode props)
    {
        var changed = false;
        foreach (var key in DurationKeys)
        {
            if (key == "cacheTtl" && props.Get("lookup") is { Kind: GoJsonKind.Object } lookup
                && lookup.Get(key) is { } inner && GoCast.TryToIntConvertAll(inner, out var innerMs))
            {
                lookup.Set(key, GoJsonNode.NewString(GoDuration.Format(GoDuration.FromMilliseconds(innerMs))));
                changed = true;
                continue;
            }
            if (props.Get(key) is { } value && GoCast.TryToIntConvertAll(value, out var ms))
            {
                props.Set(key, GoJsonNode.NewString(GoDuration.Format(GoDuration.FromMilliseconds(ms))));
                changed = true;
            }
        }
        return changed;
    }
}
