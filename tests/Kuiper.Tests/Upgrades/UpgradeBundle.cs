using System.Net;
using System.Text.Json;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Upgrades;

/// <summary>The bundles and checks the upgrade tests share.</summary>
internal static class UpgradeBundle
{
    /// <summary>
    /// A configuration of some size: <paramref name="streams"/> streams, tables, <paramref name="rules"/> rules spread over
    /// the streams, source, sink and connection configs. Names start with <paramref name="prefix"/>.
    /// </summary>
    public static string Generate(string prefix, int streams, int tables, int rules)
    {
        var bundle = new Dictionary<string, Dictionary<string, string>>
        {
            ["streams"] = Enumerable.Range(0, streams).ToDictionary(i => $"{prefix}s{i}",
                i => $"CREATE STREAM {prefix}s{i} (a bigint, b string) WITH (DATASOURCE=\"topic/{i}\", FORMAT=\"JSON\", TYPE=\"memory\")"),
            ["tables"] = Enumerable.Range(0, tables).ToDictionary(i => $"{prefix}t{i}",
                i => $"CREATE TABLE {prefix}t{i} () WITH (DATASOURCE=\"t{i}.json\", FORMAT=\"json\", TYPE=\"file\")"),
            ["rules"] = Enumerable.Range(0, rules).ToDictionary(i => $"{prefix}r{i:000}", i => Rule($"{prefix}r{i:000}", $"{prefix}s{i % streams}")),
            ["sourceConfig"] = new() { ["mqtt"] = """{"td":{"qos":1,"server":"tcp://127.0.0.1:1883"},"other":{"qos":0,"server":"tcp://10.0.0.1:1883"}}""" },
            ["sinkConfig"] = new() { ["mqtt"] = """{"out":{"topic":"out/#","sendSingle":true}}""" },
            ["connectionConfig"] = new() { ["mqtt"] = """{"c1":{"server":"tcp://127.0.0.1:1883"}}""" },
        };
        return JsonSerializer.Serialize(bundle);
    }

    /// <summary>A rule reading <paramref name="stream"/>, as a partial import carries it.</summary>
    public static string Rule(string id, string stream) =>
        $$$"""{"id":"{{{id}}}","sql":"SELECT a, b FROM {{{stream}}} WHERE a > 1","actions":[{"log":{}}],"options":{"qos":1}}""";

    public static string Rules(params (string Id, string Stream)[] rules) =>
        JsonSerializer.Serialize(new { rules = rules.ToDictionary(r => r.Id, r => Rule(r.Id, r.Stream)) });

    /// <summary>An import answered 200 with no item failed (eKuiper's <c>ErrorMsg</c> empty).</summary>
    public static bool Succeeded(Reply reply)
    {
        if (reply.Status != HttpStatusCode.OK) return false;
        try
        {
            using var json = JsonDocument.Parse(reply.Body);
            return json.RootElement.TryGetProperty("ErrorMsg", out var error) && error.GetString() == "";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static void AssertSucceeded(Reply reply, string what) =>
        Assert.True(Succeeded(reply), $"{what}: {(int)reply.Status} {reply.Body}");

    /// <summary>The names of one kind in an export.</summary>
    public static HashSet<string> Names(string export, string kind)
    {
        using var json = JsonDocument.Parse(export);
        return json.RootElement.TryGetProperty(kind, out var items) && items.ValueKind == JsonValueKind.Object
            ? items.EnumerateObject().Select(p => p.Name).ToHashSet()
            : [];
    }

    /// <summary>The ids of <c>GET /data/imports</c>, newest first.</summary>
    public static List<string> HistoryIds(string history)
    {
        using var json = JsonDocument.Parse(history);
        return json.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>Appends <paramref name="line"/> to <c>$KUIPER_TEST_RESULTS/&lt;file&gt;</c> when scripts/test.sh set that folder.</summary>
    public static void Record(string file, string line)
    {
        if (Environment.GetEnvironmentVariable("KUIPER_TEST_RESULTS") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(dir);
        File.AppendAllText(Path.Combine(dir, file), line + Environment.NewLine);
    }
}
