using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Kuiper.Tests.Harness;
using Xunit.Abstractions;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// Many clients at once: partial imports, single stream, rule and confKey writes, and exports, against one node and
/// against a two-node PostgreSQL cluster. Every write that was acknowledged is in the export of every node afterwards.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class ConcurrentWritersTests(ITestOutputHelper output)
{
    private const int Clients = 8;
    private const int Rounds = 6;
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(60);

    private const string BaseBundle = """{"streams":{"base":"CREATE STREAM base () WITH (TYPE=\"memory\")"}}""";

    [Fact]
    public async Task On_one_node_every_acknowledged_concurrent_write_is_exported()
    {
        await using var node = await NodeProcess.StartAsync();
        await RunAsync([node]);
    }

    [Fact]
    public async Task On_a_two_node_cluster_every_acknowledged_concurrent_write_is_exported_by_both_nodes()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await RunAsync(cluster.Nodes);
    }

    private async Task RunAsync(IReadOnlyList<NodeProcess> nodes)
    {
        Assert.Equal(HttpStatusCode.OK, (await nodes[0].Client.ImportAsync(BaseBundle)).Status);
        var acknowledged = new ConcurrentBag<(string Section, string Name)>();
        var refused = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var http = nodes[client % nodes.Count].Client;
            for (var round = 0; round < Rounds; round++)
            {
                var id = $"c{client}r{round}";
                switch ((client + round) % 3)
                {
                    case 0:
                        // A partial import of a stream, a rule reading it and a confKey.
                        var bundle = JsonSerializer.Serialize(new Dictionary<string, Dictionary<string, string>>
                        {
                            ["streams"] = new() { [$"{id}_s"] = $"CREATE STREAM {id}_s () WITH (TYPE=\"memory\")" },
                            ["rules"] = new() { [$"{id}_r"] = $"{{\"id\":\"{id}_r\",\"sql\":\"SELECT * FROM {id}_s\",\"actions\":[{{\"log\":{{}}}}]}}" },
                            ["sourceConfig"] = new() { ["mqtt"] = $"{{\"{id}_k\":{{\"qos\":1}}}}" },
                        });
                        Record(await Timed(http.ImportAsync(bundle, "?partial=1")), HttpStatusCode.OK,
                            ("streams", $"{id}_s"), ("rules", $"{id}_r"), ("sourceConfig", $"mqtt/{id}_k"));
                        break;
                    case 1:
                        // Single writes through the resource endpoints.
                        Record(await Timed(http.PostRawAsync("/streams", $"{{\"sql\":\"CREATE STREAM {id}_one () WITH (TYPE=\\\"memory\\\")\"}}")),
                            HttpStatusCode.Created, ("streams", $"{id}_one"));
                        Record(await Timed(http.PostRawAsync("/rules", $"{{\"id\":\"{id}_one\",\"sql\":\"SELECT * FROM base\",\"actions\":[{{\"log\":{{}}}}]}}")),
                            HttpStatusCode.Created, ("rules", $"{id}_one"));
                        Record(await Timed(Put(http, $"/metadata/sinks/mqtt/confKeys/{id}_one", "{\"qos\":0}")), HttpStatusCode.OK,
                            ("sinkConfig", $"mqtt/{id}_one"));
                        break;
                    default:
                        // Exports in between must always be whole bundles.
                        var exported = await Timed(http.GetReplyAsync("/data/export"));
                        Assert.Equal(HttpStatusCode.OK, exported.Status);
                        using (var doc = JsonDocument.Parse(exported.Body)) Assert.Equal(12, doc.RootElement.EnumerateObject().Count());
                        break;
                }
            }
        })));

        void Record(Reply reply, HttpStatusCode success, params (string Section, string Name)[] writes)
        {
            if (reply.Status == success)
                foreach (var write in writes) acknowledged.Add(write);
            else
                refused.Add($"{reply.Status} {reply.Body}");
        }

        output.WriteLine($"{acknowledged.Count} writes acknowledged, {refused.Count} refused");
        Assert.Empty(refused); // nothing here conflicts: every write should have been acknowledged
        Assert.Equal(Clients * Rounds / 3 * 3 * 2, acknowledged.Count);

        foreach (var node in nodes)
        {
            using var export = JsonDocument.Parse(await node.Client.ExportAsync());
            foreach (var (section, name) in acknowledged)
            {
                var parts = name.Split('/');
                var entries = export.RootElement.GetProperty(section);
                Assert.True(entries.TryGetProperty(parts[0], out var value), $"{section} {name} missing on {node.BaseAddress}");
                if (parts.Length == 2)
                {
                    using var config = JsonDocument.Parse(value.GetString()!);
                    Assert.True(config.RootElement.TryGetProperty(parts[1], out _), $"{section} {name} missing on {node.BaseAddress}");
                }
            }
        }
    }

    private static async Task<Reply> Put(HttpClient client, string path, string body) =>
        await Reply.From(await client.PutAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json")));

    private static async Task<Reply> Timed(Task<Reply> request) =>
        await request.WaitAsync(PerRequest);
}
