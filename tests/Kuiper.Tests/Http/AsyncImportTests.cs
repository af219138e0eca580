using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kuiper.Domain.Bundles;
using Kuiper.Tests.Artefacts;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary>A node that may fetch from loopback (the tests' own slow servers).</summary>
public sealed class PrivateNetNodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await NodeProcess.StartAsync(null, AsyncTasks.PrivateNet);

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>Submitting and following async import tasks over HTTP.</summary>
public static partial class AsyncTasks
{
    public const string PrivateNet = "--Kuiper:Security:EnablePrivateNet=true";
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(120);

    [GeneratedRegex(@"^dataImport-(\d+)(?:-(\d+))?$")]
    public static partial Regex Id();

    public static async Task<string> SubmitAsync(this HttpClient client, string body, string query = "")
    {
        var reply = await client.PostRawAsync("/async/data/import" + query, body);
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        Assert.StartsWith("application/json", reply.ContentType);
        var id = JsonNode.Parse(reply.Body)!["id"]!.GetValue<string>();
        Assert.Equal($"{{\"id\":\"{id}\"}}", reply.Body);
        Assert.Matches(Id(), id);
        return id;
    }

    public static async Task<JsonObject> TaskAsync(this HttpClient client, string id) => Parse(await client.GetReplyAsync($"/async/task/{id}"));

    private static JsonObject Parse(Reply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        Assert.StartsWith("application/json", reply.ContentType);
        var task = JsonNode.Parse(reply.Body)!.AsObject();
        Assert.Equal(["id", "status", "message", "createdTimestamp", "updatedTimestamp", "progress", "stage"], task.Select(p => p.Key));
        return task;
    }

    /// <summary>Polls the task until <paramref name="check"/> holds; a 503 (the tasks singleton moving to another node) is polled through.</summary>
    public static async Task<JsonObject> UntilAsync(this HttpClient client, string id, Func<JsonObject, bool> check, string what) =>
        (await TestCluster.EventuallyAsync(async () =>
            {
                var reply = await client.GetReplyAsync($"/async/task/{id}");
                return reply.Status == HttpStatusCode.ServiceUnavailable ? null : Parse(reply);
            },
            task => task is not null && check(task), Within, $"task {id}: {what}"))!;

    public static Task<JsonObject> EndedAsync(this HttpClient client, string id) =>
        client.UntilAsync(id, t => Status(t) is "finish" or "error" or "cancel", "ended");

    public static string Status(JsonObject task) => task["status"]!.GetValue<string>();

    public static string Message(JsonObject task) => task["message"]!.GetValue<string>();

    public static string Stage(JsonObject task) => task["stage"]!.GetValue<string>();

    public static (int Done, int Total) Progress(JsonObject task) =>
        (task["progress"]!["done"]!.GetValue<int>(), task["progress"]!["total"]!.GetValue<int>());

    public static string FileBody(string uri) => JsonSerializer.Serialize(new { file = uri });

    /// <summary>The message of a failed sync import (its envelope's <c>message</c>).</summary>
    public static string EnvelopeMessage(Reply reply) => JsonNode.Parse(reply.Body)!["message"]!.GetValue<string>();
}

/// <summary>
/// eKuiper's async import API (<c>internal/server/async_rest.go</c>, <c>internal/pkg/async/async.go</c>): its shapes and
/// texts, the sync import's reply as the finished task's message; ours: unique ids, progress and stage, cancel between stages.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class AsyncImportTests(PrivateNetNodeFixture fixture) : IClassFixture<PrivateNetNodeFixture>
{
    private HttpClient Client => fixture.Node.Client;

    private const string Rule = """{"id":"%ID%","sql":"SELECT * FROM s1","actions":[{"log":{}}]}""";

    [Fact]
    public async Task A_task_is_registered_at_once_and_finishes_with_the_sync_import_reply_as_its_message()
    {
        var sync = await Client.ImportAsync(SeedBundle.Json);
        Assert.Equal(HttpStatusCode.OK, sync.Status);
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var id = await Client.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json));
        var task = await Client.EndedAsync(id);

        Assert.Equal("finish", AsyncTasks.Status(task));
        Assert.Equal(sync.Body, AsyncTasks.Message(task));
        Assert.Equal((6, 6), AsyncTasks.Progress(task));
        Assert.Equal("", AsyncTasks.Stage(task));
        var (created, updated) = (task["createdTimestamp"]!.GetValue<long>(), task["updatedTimestamp"]!.GetValue<long>());
        Assert.InRange(created, before, updated);
        Assert.InRange(updated, created, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());
        // The task's import is recorded under the task's id.
        Assert.Equal(HttpStatusCode.OK, (await Client.GetReplyAsync($"/data/imports/{id}")).Status);
    }

    [Fact]
    public async Task Ids_never_collide_even_for_many_tasks_in_one_second()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = KuiperApi.ContentBody("""{"streams":{"quick":"CREATE STREAM quick () WITH (TYPE=\"memory\")"}}""");

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Client.SubmitAsync(body, "?partial=1")));

        Assert.Equal(8, ids.Distinct().Count());
        var parsed = ids.Select(id => AsyncTasks.Id().Match(id)).Select(m => (Second: long.Parse(m.Groups[1].Value), Suffix: m.Groups[2].Value)).ToList();
        Assert.All(parsed, p => Assert.InRange(p.Second, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        // Within a second, at most one id keeps eKuiper's plain form; the others count on from 2.
        Assert.All(parsed.GroupBy(p => p.Second), second =>
        {
            Assert.True(second.Count(p => p.Suffix == "") <= 1);
            Assert.All(second.Where(p => p.Suffix != ""), p => Assert.True(int.Parse(p.Suffix) >= 2));
        });
        foreach (var id in ids) Assert.Equal("finish", AsyncTasks.Status(await Client.EndedAsync(id)));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("")]
    [InlineData("[1]")]
    [InlineData("{\"content\":1}")]
    public async Task A_body_that_does_not_decode_is_refused_before_any_task_exactly_as_the_sync_import_refuses_it(string body)
    {
        var sync = await Client.PostRawAsync("/data/import", body);

        var reply = await Client.PostRawAsync("/async/data/import", body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(sync, reply);
        Assert.StartsWith("{\"error\":1000,\"message\":\"Invalid body: Error decoding json: ", reply.Body);
    }

    [Fact]
    public async Task The_request_checks_fetch_and_parse_run_inside_the_task_and_end_it_with_ekuipers_texts()
    {
        var unparsable = KuiperApi.ContentBody("""{"streams":[]}""");
        foreach (var body in new[] { "{}", "null", """{"content":"a","file":"b"}""", AsyncTasks.FileBody("file:///etc/passwd"), AsyncTasks.FileBody("ftp://x/y") })
        {
            var sync = await Client.PostRawAsync("/data/import", body);
            Assert.Equal(HttpStatusCode.BadRequest, sync.Status);

            var task = await Client.EndedAsync(await Client.SubmitAsync(body));

            Assert.Equal("error", AsyncTasks.Status(task));
            Assert.Equal($"err:{AsyncTasks.EnvelopeMessage(sync)}, response:null", AsyncTasks.Message(task));
        }

        var syncUnparsable = AsyncTasks.EnvelopeMessage(await Client.PostRawAsync("/data/import", unparsable));
        var unparsed = await Client.EndedAsync(await Client.SubmitAsync(unparsable));
        Assert.Equal($"err:{syncUnparsable}, response:{ImportReplies.Unreadable(syncUnparsable)}", AsyncTasks.Message(unparsed));
        Assert.StartsWith("err:configuration unmarshal with error json: cannot unmarshal array into Go struct field Configuration.streams", AsyncTasks.Message(unparsed));
    }

    [Fact]
    public async Task Failed_items_end_the_task_error_with_ekuipers_process_error_and_the_import_status()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        const string bundle = """{"streams":{"s2":"CREATE STREAM s2 () WITH (TYPE=\"memory\")"},"rules":{"bad":"{\"id\":\"other\"}"}}""";
        var sync = await Client.ImportAsync(bundle, "?partial=1");
        Assert.Equal(HttpStatusCode.BadRequest, sync.Status);

        var task = await Client.EndedAsync(await Client.SubmitAsync(KuiperApi.ContentBody(bundle), "?partial=1"));

        Assert.Equal("error", AsyncTasks.Status(task));
        Assert.Equal($"err:process error, response:{{\"ErrorMsg\":\"process error\",\"ConfigResponse\":{AsyncTasks.EnvelopeMessage(sync)}}}", AsyncTasks.Message(task));
        Assert.Equal((2, 2), AsyncTasks.Progress(task));
    }

    [Fact]
    public async Task An_unknown_task_is_ekuipers_not_found_error_for_reads_and_cancels()
    {
        const string expected = "{\"error\":1000,\"message\":\"async task: dataImport-1 not found\"}\n";

        var read = await Client.GetReplyAsync("/async/task/dataImport-1");
        var cancel = await Client.PostRawAsync("/async/task/dataImport-1/cancel", "");

        Assert.Equal(new Reply(HttpStatusCode.BadRequest, expected, "text/plain; charset=utf-8"), read);
        Assert.Equal(new Reply(HttpStatusCode.BadRequest, expected, "text/plain; charset=utf-8"), cancel);
    }

    [Fact]
    public async Task A_waiting_task_and_one_reading_its_file_are_cancelled_at_once_and_an_ended_one_stays_as_it_ended()
    {
        await using var server = new LoopbackServer(_ => new LoopbackServer.Response(200, Hang: true));
        var reading = await Client.SubmitAsync(AsyncTasks.FileBody(server.Url("/bundle.json")));
        await Client.UntilAsync(reading, t => AsyncTasks.Status(t) == "running" && AsyncTasks.Stage(t) == "preparing", "reading its file");
        var waiting = await Client.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json));
        Assert.Equal("register", AsyncTasks.Status(await Client.TaskAsync(waiting)));

        foreach (var id in new[] { waiting, reading })
        {
            Assert.Equal(new Reply(HttpStatusCode.OK, "cancel success", "text/plain; charset=utf-8"),
                await Client.PostRawAsync($"/async/task/{id}/cancel", ""));
            var task = await Client.UntilAsync(id, t => AsyncTasks.Status(t) == "cancel", "cancelled");
            Assert.Equal(AsyncImportTexts.CancelledBeforeStart, AsyncTasks.Message(task));
        }

        // The queue goes on; a finished task cancelled afterwards stays finished (eKuiper would mark it cancelled).
        var next = await Client.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json));
        var finished = await Client.EndedAsync(next);
        Assert.Equal("finish", AsyncTasks.Status(finished));
        Assert.Equal(HttpStatusCode.OK, (await Client.PostRawAsync($"/async/task/{next}/cancel", "")).Status);
        Assert.Equal(finished.ToJsonString(), (await Client.TaskAsync(next)).ToJsonString());
    }

    [Fact]
    public async Task A_running_import_of_20000_rules_is_cancelled_between_stages_and_what_it_applied_stays()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        using var release = new ManualResetEventSlim();
        // The services stage downloads from here: it holds the import in that stage until released.
        await using var server = new LoopbackServer(_ =>
        {
            release.Wait(AsyncTasks.Within);
            return new LoopbackServer.Response(404);
        });
        var bundle = new JsonObject
        {
            ["sourceConfig"] = new JsonObject { ["mqtt"] = """{"td":{"server":"tcp://127.0.0.1:1883"}}""" },
            ["Service"] = new JsonObject { ["slow"] = JsonSerializer.Serialize(new { name = "slow", file = server.Url("/slow.zip") }) },
            ["streams"] = new JsonObject { ["s1"] = "CREATE STREAM s1 () WITH (TYPE=\"memory\")" },
            ["rules"] = new JsonObject(Enumerable.Range(0, 20_000)
                .Select(i => KeyValuePair.Create($"r{i}", (JsonNode?)JsonValue.Create(Rule.Replace("%ID%", $"r{i}"))))),
        };

        string id;
        JsonObject running;
        try
        {
            id = await Client.SubmitAsync(KuiperApi.ContentBody(bundle.ToJsonString()));
            running = await Client.UntilAsync(id, t => AsyncTasks.Stage(t).Contains("Service"), "in the services stage");
            Assert.Equal(HttpStatusCode.OK, (await Client.PostRawAsync($"/async/task/{id}/cancel", "")).Status);
        }
        finally
        {
            release.Set();
        }

        Assert.Equal("running", AsyncTasks.Status(running));
        Assert.Equal((1, 20_003), AsyncTasks.Progress(running)); // the configs stage is done
        var task = await Client.UntilAsync(id, t => AsyncTasks.Status(t) != "running", "ended");
        Assert.Equal("cancel", AsyncTasks.Status(task));
        Assert.Equal($"cancelled: imported sourceConfig 1; removed sinkConfig 1; not imported streams 1, rules 20000, Service 1; every item: GET /data/imports/{id}",
            AsyncTasks.Message(task));
        Assert.Equal((2, 20_003), AsyncTasks.Progress(task));
        // The configs stage was applied (the full import replaced them); the streams and rules stages never ran.
        var exported = JsonNode.Parse(await Client.ExportAsync())!;
        Assert.Equal(["demo"], exported["streams"]!.AsObject().Select(s => s.Key));
        Assert.Equal(["rule1", "rule2"], exported["rules"]!.AsObject().Select(r => r.Key));
        Assert.Equal("{}", exported["sinkConfig"]!.ToJsonString());
        Assert.Contains("tcp://127.0.0.1:1883", exported["sourceConfig"]!["mqtt"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_running_task_shows_its_progress_and_stage_then_finishes_with_the_import_reply()
    {
        using var release = new ManualResetEventSlim();
        // The schemas stage downloads the proto file from here: it holds the import in that stage until released.
        await using var server = new LoopbackServer(_ =>
        {
            release.Wait(AsyncTasks.Within);
            return LoopbackServer.Ok("message Book { string title = 1; }"u8.ToArray());
        });
        var bundle = new JsonObject
        {
            ["sourceConfig"] = new JsonObject { ["mqtt"] = """{"td":{"server":"tcp://127.0.0.1:1883"}}""" },
            ["Schema"] = new JsonObject { ["protobuf_book"] = JsonSerializer.Serialize(new { type = "protobuf", name = "book", file = server.Url("/book.proto") }) },
            ["streams"] = new JsonObject { ["s1"] = "CREATE STREAM s1 () WITH (TYPE=\"memory\")" },
            ["rules"] = new JsonObject(Enumerable.Range(0, 1_000)
                .Select(i => KeyValuePair.Create($"r{i}", (JsonNode?)JsonValue.Create(Rule.Replace("%ID%", $"r{i}"))))),
        };

        JsonObject running;
        string id;
        try
        {
            id = await Client.SubmitAsync(KuiperApi.ContentBody(bundle.ToJsonString()));
            running = await Client.UntilAsync(id, t => AsyncTasks.Stage(t).Contains("Schema"), "in the schemas stage");
        }
        finally
        {
            release.Set();
        }

        Assert.Equal(("running", (1, 1_003)), (AsyncTasks.Status(running), AsyncTasks.Progress(running)));
        var task = await Client.EndedAsync(id);
        Assert.Equal("finish", AsyncTasks.Status(task));
        Assert.Equal(
            """{"ErrorMsg":"","ConfigResponse":{"streams":{},"tables":{},"rules":{},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{},"sinkConfig":{},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{}}}""",
            AsyncTasks.Message(task));
        Assert.Equal(((1_003, 1_003), ""), (AsyncTasks.Progress(task), AsyncTasks.Stage(task)));
        Assert.Equal(1_000, JsonNode.Parse(await Client.ExportAsync())!["rules"]!.AsObject().Count);
    }

    [Fact]
    public async Task Atomic_and_dry_run_work_async_as_they_do_sync()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        const string fresh = """{"streams":{"fresh":"CREATE STREAM fresh () WITH (TYPE=\"memory\")"}}""";
        const string failing = """{"streams":{"s10":"CREATE STREAM s10 () WITH (TYPE=\"memory\")"},"rules":{"bad":"{\"id\":\"other\"}"}}""";

        var syncDry = await Client.ImportAsync(fresh, "?partial=1&dryRun=1");
        var dry = await Client.EndedAsync(await Client.SubmitAsync(KuiperApi.ContentBody(fresh), "?partial=1&dryRun=1"));
        Assert.Equal("finish", AsyncTasks.Status(dry));
        Assert.Equal(syncDry.Body, AsyncTasks.Message(dry));

        var syncAtomic = await Client.ImportAsync(failing, "?partial=1&atomic=1");
        Assert.Equal(HttpStatusCode.BadRequest, syncAtomic.Status);
        var atomic = await Client.EndedAsync(await Client.SubmitAsync(KuiperApi.ContentBody(failing), "?partial=1&atomic=1"));
        Assert.Equal("error", AsyncTasks.Status(atomic));
        Assert.Equal($"err:process error, response:{{\"ErrorMsg\":\"process error\",\"ConfigResponse\":{AsyncTasks.EnvelopeMessage(syncAtomic)}}}",
            AsyncTasks.Message(atomic));
        Assert.Equal(SeedBundle.Exported, await Client.ExportAsync());

        var applied = await Client.EndedAsync(await Client.SubmitAsync(KuiperApi.ContentBody(fresh), "?partial=1&atomic=1"));
        Assert.Equal("finish", AsyncTasks.Status(applied));
        Assert.Contains("\"fresh\"", (await Client.GetReplyAsync("/streams")).Body);
    }
}

/// <summary>Async tasks across restarts and <c>stop=1</c>, each on a node of its own.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts and restarts a node process")]
public sealed partial class AsyncImportRestartTests
{
    [GeneratedRegex(@"^err:interrupted: node (akka\.tcp://kuiper@127\.0\.0\.1:\d+) stopped ")]
    private static partial Regex InterruptedNode();

    [Fact]
    public async Task Stop_1_finishes_the_task_then_the_node_exits_100_and_the_task_is_read_after_the_restart()
    {
        await using var node = await NodeProcess.StartAsync();

        var id = await node.Client.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json), "?stop=1");

        Assert.Equal(100, await node.WaitForExitAsync(AsyncTasks.Within));
        await node.StartAgainAsync();
        var task = await node.Client.TaskAsync(id);
        Assert.Equal("finish", AsyncTasks.Status(task));
        Assert.Equal(SeedBundle.Exported, await node.Client.ExportAsync());
    }

    [Fact]
    public async Task After_kill_9_the_running_and_waiting_tasks_end_error_naming_the_node_and_ended_ones_read_the_same()
    {
        await using var server = new LoopbackServer(_ => new LoopbackServer.Response(200, Hang: true));
        await using var node = await NodeProcess.StartAsync(null, AsyncTasks.PrivateNet);
        var done = await node.Client.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json));
        var doneBefore = (await node.Client.EndedAsync(done)).ToJsonString();
        var running = await node.Client.SubmitAsync(AsyncTasks.FileBody(server.Url("/bundle.json")));
        await node.Client.UntilAsync(running, t => AsyncTasks.Stage(t) == "preparing", "reading its file");
        var waiting = await node.Client.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json));

        await node.KillAsync();
        await node.StartAgainAsync();

        Assert.Equal(doneBefore, (await node.Client.TaskAsync(done)).ToJsonString());
        var interrupted = await node.Client.EndedAsync(running);
        var lost = await node.Client.EndedAsync(waiting);
        Assert.Equal(("error", "error"), (AsyncTasks.Status(interrupted), AsyncTasks.Status(lost)));
        var killed = InterruptedNode().Match(AsyncTasks.Message(interrupted)).Groups[1].Value;
        Assert.Equal(AsyncImportTexts.Interrupted(killed, running), AsyncTasks.Message(interrupted));
        Assert.Equal(AsyncImportTexts.LostBeforeStart(killed), AsyncTasks.Message(lost));

        // The queue works again, with an id never given before.
        var next = await node.Client.SubmitAsync(KuiperApi.ContentBody(SeedBundle.Json));
        Assert.DoesNotContain(next, new[] { done, running, waiting });
        Assert.Equal("finish", AsyncTasks.Status(await node.Client.EndedAsync(next)));
    }
}
