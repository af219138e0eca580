using System.Text.Json;

namespace Kuiper.Bench;

/// <summary>
/// A realistic bundle of N resources: 10% streams, 5% tables, 75% rules that read them (some joins),
/// 10% source and sink configs that the streams and rules name.
/// </summary>
public static class BenchBundle
{
    /// <param name="variant">Changes every definition (not the names): imports of different variants share nothing.</param>
    public static (string Json, IReadOnlyList<(string Kind, string Name, string Definition)> Items) Build(int n, int variant = 0)
    {
        var streams = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var tables = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var rules = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var sinks = new SortedDictionary<string, string>(StringComparer.Ordinal);

        int streamCount = Math.Max(1, n / 10), tableCount = Math.Max(1, n / 20), configCount = Math.Max(2, n / 10);
        int ruleCount = Math.Max(1, n - streamCount - tableCount - configCount);

        for (var i = 0; i < streamCount; i++)
            streams[$"stream{i}"] =
                $"CREATE STREAM stream{i} (id BIGINT, temperature FLOAT, humidity FLOAT, device STRING) WITH (DATASOURCE=\"devices/{i}/telemetry/v{variant}\", TYPE=\"mqtt\", CONF_KEY=\"broker{i % (configCount / 2)}\", FORMAT=\"JSON\", SHARED=\"true\")";
        for (var i = 0; i < tableCount; i++)
            tables[$"table{i}"] =
                $"CREATE TABLE table{i} (id BIGINT, name STRING, threshold FLOAT) WITH (DATASOURCE=\"lookup{i}-v{variant}.json\", TYPE=\"file\", KIND=\"scan\", FORMAT=\"json\")";
        for (var i = 0; i < ruleCount; i++)
        {
            var stream = $"stream{i % streamCount}";
            var sql = i % 5 == 0
                ? $"SELECT {stream}.id, avg(temperature) AS t FROM {stream} INNER JOIN table{i % tableCount} ON {stream}.id = table{i % tableCount}.id GROUP BY TUMBLINGWINDOW(ss, {10 + variant})"
                : $"SELECT id, temperature, humidity FROM {stream} WHERE temperature > {i % 50 + variant}";
            rules[$"rule{i}"] = JsonSerializer.Serialize(new
            {
                id = $"rule{i}",
                sql,
                actions = new object[] { new { mqtt = new { server = "tcp://127.0.0.1:1883", topic = $"alerts/{i}", resourceId = $"sink{i % (configCount - configCount / 2)}", sendSingle = true } } },
                options = new { qos = 1, checkpointInterval = 300000 },
            });
        }
        for (var i = 0; i < configCount / 2; i++)
            sources[$"plugin{i}"] = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                [$"broker{i}"] = new { server = $"tcp://10.0.{i % 250}.1:{1883 + variant}", qos = 1, protocolVersion = "3.1.1", username = "edge", password = "secret" },
            });
        for (var i = 0; i < configCount - configCount / 2; i++)
            sinks[$"sinkplugin{i}"] = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                [$"sink{i}"] = new { server = $"tcp://127.0.0.1:{1883 + variant}", qos = 0, bufferLength = 1024, format = "json" },
            });

        var bundle = new Dictionary<string, object>
        {
            ["streams"] = streams, ["tables"] = tables, ["rules"] = rules,
            ["sourceConfig"] = sources, ["sinkConfig"] = sinks,
        };
        var items = bundle.SelectMany(section => ((SortedDictionary<string, string>)section.Value)
            .Select(kv => (section.Key, kv.Key, kv.Value))).ToList();
        return (JsonSerializer.Serialize(bundle), items);
    }
}

public static class ImportBody
{
    /// <summary>The body of POST /data/import, <c>{"content": bundle}</c>, as UTF-8 bytes ready to send.</summary>
    /// <remarks>
    /// Written by hand: System.Text.Json refuses to write a string value over ~166 MB, which the 500,000-resource
    /// bundle passes. The bench's bundle is compact ASCII JSON: quotes and backslashes are its only characters to escape.
    /// </remarks>
    public static byte[] Of(string bundleJson)
    {
        var output = new MemoryStream(bundleJson.Length + bundleJson.Length / 8 + 32);
        output.Write("{\"content\":\""u8);
        var rest = bundleJson.AsSpan();
        Span<byte> buffer = new byte[64 * 1024 * 3];
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOfAny('"', '\\');
            var plain = next < 0 ? rest : rest[..next];
            for (var at = 0; at < plain.Length; at += 64 * 1024)
            {
                var piece = plain.Slice(at, Math.Min(64 * 1024, plain.Length - at));
                output.Write(buffer[..System.Text.Encoding.UTF8.GetBytes(piece, buffer)]);
            }
            if (next < 0) break;
            output.WriteByte((byte)'\\');
            output.WriteByte((byte)rest[next]);
            rest = rest[(next + 1)..];
        }
        output.Write("\"}"u8);
        return output.ToArray();
    }
}
