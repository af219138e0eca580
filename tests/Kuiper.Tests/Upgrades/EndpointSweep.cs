using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Http;

namespace Kuiper.Tests.Upgrades;

/// <summary>
/// One request to every endpoint family, each with the exact status it must answer, against one node: what "answers
/// every endpoint" means for a cluster of two releases side by side. Everything it creates carries <c>tag</c> and is
/// removed again, so it can be run against each node of a cluster in turn.
/// </summary>
public static class EndpointSweep
{
    /// <param name="managementApi">
    /// the node runs a release with eKuiper's whole management API (0.3.0 on): plugins, services, schemas, scripts,
    /// connections, rule tags and the rest; an earlier release answers those 404
    /// </param>
    public static async Task RunAsync(HttpClient node, string tag, bool managementApi = true)
    {
        var failures = new List<string>();
        async Task<Reply> Expect(HttpStatusCode status, string method, string path, string? body = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            var reply = await Reply.From(await node.SendAsync(request));
            if (reply.Status != status)
                failures.Add($"{method} {path}: {(int)reply.Status} (expected {(int)status}) {reply.Body[..Math.Min(300, reply.Body.Length)]}");
            return reply;
        }

        string Json(object value) => JsonSerializer.Serialize(value);
        var stream = $"sw_s_{tag}";
        var table = $"sw_t_{tag}";
        var rule = $"sw_r_{tag}";
        var upload = $"sw_{tag}.txt";

        // Information, health, inspection, ours.
        foreach (var path in new[] { "/", "/ping", "/healthz/live", "/healthz/ready", "/cluster/members", "/cluster/sharding/regions",
                     "/metrics", "/openapi/v1.json", "/console/" })
            await Expect(HttpStatusCode.OK, "GET", path);

        // Streams, tables and rules one at a time, through the rule's whole life.
        await Expect(HttpStatusCode.Created, "POST", "/streams", Json(new { sql = $"CREATE STREAM {stream} () WITH (TYPE=\"memory\")" }));
        await Expect(HttpStatusCode.OK, "PUT", $"/streams/{stream}", Json(new { sql = $"CREATE STREAM {stream} (a BIGINT) WITH (TYPE=\"memory\")" }));
        await Expect(HttpStatusCode.Created, "POST", "/tables",
            Json(new { sql = $"CREATE TABLE {table} (S1 string) WITH (DATASOURCE=\"x.json\", FORMAT=\"json\", TYPE=\"file\", KIND=\"scan\")" }));
        await Expect(HttpStatusCode.Created, "POST", "/rules", Json(new { id = rule, sql = $"SELECT * FROM {stream}", actions = new[] { new { log = new { } } } }));
        foreach (var path in new[] { "/streams", "/tables", "/streamdetails", "/tabledetails", "/rules", $"/streams/{stream}", $"/tables/{table}",
                     $"/rules/{rule}", $"/rules/{rule}/status" })
            await Expect(HttpStatusCode.OK, "GET", path);
        foreach (var action in new[] { "stop", "start", "restart" })
            await Expect(HttpStatusCode.OK, "POST", $"/rules/{rule}/{action}");

        // Configuration keys, uploads, artefacts.
        await Expect(HttpStatusCode.OK, "PUT", $"/metadata/sinks/mqtt/confKeys/sw_{tag}", Json(new { server = "tcp://127.0.0.1:1883" }));
        await Expect(HttpStatusCode.OK, "GET", "/metadata/sinks/yaml/mqtt");
        await Expect(HttpStatusCode.Created, "POST", "/config/uploads", Json(new { name = upload, content = "sweep" }));
        var uploads = await Expect(HttpStatusCode.OK, "GET", "/config/uploads");
        if (!uploads.Body.Contains(upload, StringComparison.Ordinal)) failures.Add($"GET /config/uploads does not list {upload}: {uploads.Body}");
        foreach (var path in new[] { "/plugins/sources", "/plugins/sinks", "/plugins/functions", "/plugins/portables", "/services", "/schemas/protobuf" })
            await Expect(HttpStatusCode.OK, "GET", path);

        if (managementApi) await ManagementApiAsync(Expect, tag, failures);

        // Every export form, and imports of every form.
        foreach (var (method, path, body) in new (string, string, string?)[]
                 {
                     ("GET", "/data/export", null), ("POST", "/data/export", Json(new[] { rule })), ("POST", "/ruleset/export", null),
                     ("GET", "/v2/data/export", null), ("POST", "/v2/data/export", Json(new[] { rule })),
                 })
            await Expect(HttpStatusCode.OK, method, path, body);
        var partial = Json(new { streams = new Dictionary<string, string> { [$"{stream}_b"] = $"CREATE STREAM {stream}_b () WITH (TYPE=\"memory\")" } });
        await Expect(HttpStatusCode.OK, "POST", "/data/import?partial=1", KuiperApi.ContentBody(partial));
        await Expect(HttpStatusCode.OK, "POST", "/data/import?partial=1&dryRun=1", KuiperApi.ContentBody(partial));
        await Expect(HttpStatusCode.OK, "POST", "/ruleset/import", KuiperApi.ContentBody(partial));
        await Expect(HttpStatusCode.OK, "POST", "/v2/data/import", Json(new { content = $"streams:\n  {stream}_c: CREATE STREAM {stream}_c () WITH (TYPE=\"memory\")\n" }));
        await Expect(HttpStatusCode.OK, "GET", "/data/import/status");
        var task = await Expect(HttpStatusCode.OK, "POST", "/async/data/import?partial=1", KuiperApi.ContentBody(partial));
        if (task.Status == HttpStatusCode.OK && JsonNode.Parse(task.Body)?["id"]?.GetValue<string>() is { } taskId)
        {
            // The task ends on its own; waiting for it keeps the sweep's writes from overlapping the next step's.
            var status = AsyncTasks.Status(await node.EndedAsync(taskId));
            if (status != "finish") failures.Add($"async task {taskId} ended as '{status}'");
        }

        // The history, and the diff between the last two imports.
        var history = await Expect(HttpStatusCode.OK, "GET", "/data/imports?limit=2&kind=import");
        if (history.Status == HttpStatusCode.OK && JsonNode.Parse(history.Body) is JsonArray { Count: 2 } records)
        {
            var (newer, older) = (records[0]!["id"]!.ToString(), records[1]!["id"]!.ToString());
            await Expect(HttpStatusCode.OK, "GET", $"/data/imports/{newer}");
            await Expect(HttpStatusCode.OK, "GET", $"/data/imports/{newer}/export");
            await Expect(HttpStatusCode.OK, "GET", $"/data/imports/{older}/diff/{newer}");
        }
        else failures.Add($"GET /data/imports?limit=2 did not list two imports: {history.Body[..Math.Min(300, history.Body.Length)]}");

        // Everything it made goes again.
        await Expect(HttpStatusCode.OK, "DELETE", $"/rules/{rule}");
        foreach (var name in new[] { stream, $"{stream}_b", $"{stream}_c" })
            await Expect(HttpStatusCode.OK, "DELETE", $"/streams/{name}");
        await Expect(HttpStatusCode.OK, "DELETE", $"/tables/{table}");
        await Expect(HttpStatusCode.OK, "DELETE", $"/metadata/sinks/mqtt/confKeys/sw_{tag}");
        await Expect(HttpStatusCode.OK, "DELETE", $"/config/uploads/{upload}");

        Assert.True(failures.Count == 0, $"{node.BaseAddress}: {failures.Count} endpoint(s) answered otherwise:\n" + string.Join("\n", failures));
    }

    /// <summary>The management API of 0.3.0: each family written, read and removed again (the rule and stream exist meanwhile).</summary>
    private static async Task ManagementApiAsync(Func<HttpStatusCode, string, string, string?, Task<Reply>> expect, string tag, List<string> failures)
    {
        string Json(object value) => JsonSerializer.Serialize(value);
        var (stream, rule, script, connection, schema) = ($"sw_s_{tag}", $"sw_r_{tag}", $"sw_f_{tag}", $"sw_c_{tag}", $"sw_p_{tag}");

        // Rules: tags, validation, bulk start and stop, every status read; stream and table schemas.
        var sweepTag = $"sweep_{tag}";
        await expect(HttpStatusCode.OK, "PUT", $"/rules/{rule}/tags", Json(new { tags = new[] { sweepTag } }));
        await expect(HttpStatusCode.OK, "PATCH", $"/rules/{rule}/tags", Json(new { tags = new[] { "more" } }));
        var matched = await expect(HttpStatusCode.OK, "GET", "/rules/tags/match", Json(new { tags = new[] { sweepTag } }));
        if (matched.Body != Json(new { rules = new[] { rule } })) failures.Add($"GET /rules/tags/match: {matched.Body}");
        await expect(HttpStatusCode.OK, "DELETE", $"/rules/{rule}/tags", Json(new { tags = new[] { "more" } }));
        await expect(HttpStatusCode.OK, "POST", "/rules/validate", Json(new { id = $"{rule}_v", sql = $"SELECT * FROM {stream}", actions = new[] { new { log = new { } } } }));
        await expect(HttpStatusCode.OK, "POST", "/rules/bulkstop", Json(new { tags = new[] { sweepTag } }));
        await expect(HttpStatusCode.OK, "POST", "/rules/bulkstart", Json(new { tags = new[] { sweepTag } }));
        foreach (var path in new[] { "/rules/status/all", $"/v2/rules/{rule}/status", $"/streams/{stream}/schema" })
            await expect(HttpStatusCode.OK, "GET", path, null);
        await expect(HttpStatusCode.BadRequest, "GET", "/rules/a b", null);
        await expect(HttpStatusCode.OK, "POST", "/batch/req", Json(new[] { new { method = "GET", path = "/ping", body = "" } }));

        // Scripts, connections, schemas, and the artefact reads.
        await expect(HttpStatusCode.Created, "POST", "/udf/javascript",
            Json(new { id = script, description = "", script = $"function {script}(x) {{ return x; }}", isAgg = false }));
        await expect(HttpStatusCode.OK, "GET", $"/udf/javascript/{script}", null);
        await expect(HttpStatusCode.OK, "PUT", $"/udf/javascript/{script}",
            Json(new { id = script, description = "two", script = $"function {script}(x) {{ return x + 1; }}", isAgg = false }));
        await expect(HttpStatusCode.Created, "POST", "/connections", Json(new { id = connection, typ = "mqtt", props = new { server = "tcp://127.0.0.1:1883" } }));
        await expect(HttpStatusCode.OK, "GET", $"/connections/{connection}", null);
        await expect(HttpStatusCode.OK, "PUT", $"/connections/{connection}", Json(new { id = connection, typ = "mqtt", props = new { server = "tcp://127.0.0.1:1884" } }));
        await expect(HttpStatusCode.Created, "POST", "/schemas/protobuf", Json(new { name = schema, content = "syntax = \"proto3\";message A {string a = 1;}" }));
        await expect(HttpStatusCode.OK, "GET", $"/schemas/protobuf/{schema}", null);
        foreach (var path in new[] { "/udf/javascript", "/connections", "/metadata/resources", "/plugins/udfs", "/services/functions" })
            await expect(HttpStatusCode.OK, "GET", path, null);
        foreach (var path in new[] { $"/services/{tag}nope", $"/plugins/sinks/{tag}nope" })
            await expect(HttpStatusCode.NotFound, "GET", path, null);
        await expect(HttpStatusCode.BadRequest, "GET", "/services/a b", null);

        await expect(HttpStatusCode.OK, "DELETE", $"/udf/javascript/{script}", null);
        await expect(HttpStatusCode.OK, "DELETE", $"/connections/{connection}", null);
        await expect(HttpStatusCode.OK, "DELETE", $"/schemas/protobuf/{schema}", null);
        var info = await expect(HttpStatusCode.OK, "GET", "/", null);
        if (!info.Body.Contains("\"cpuUsage\"", StringComparison.Ordinal)) failures.Add($"GET / has no cpuUsage: {info.Body}");
    }
}
