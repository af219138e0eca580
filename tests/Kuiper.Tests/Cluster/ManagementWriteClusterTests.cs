using System.Net;
using System.Text;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// The management API's writes on a two-node cluster: each one is answered by the node that does not host the
/// coordinator, is seen by the other node as soon as the reply is in (files included), and survives kill -9 of both.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[FullTier("starts a cluster of node processes on PostgreSQL")]
public sealed class ManagementWriteClusterTests
{
    /// <summary>One write, and what the other node must answer to a read right after it.</summary>
    private sealed record Write(HttpMethod Method, string Path, string? Body, HttpStatusCode Status, string ReadPath, string ReadContains,
        string? InstalledFile = null);

    private static IReadOnlyList<Write> Writes(string uploads)
    {
        // Artefact files as users leave them beside the node that is asked (eKuiper reads file:// there).
        Directory.CreateDirectory(uploads);
        File.WriteAllBytes(Path.Combine(uploads, "shared.zip"), new Artefacts.ZipBuilder().File("shared.so", "ELF").Build());
        File.WriteAllBytes(Path.Combine(uploads, "tsvc.zip"), new Artefacts.ZipBuilder().File("tsvc.json", """
            {"about":{"author":{"name":"test"}},"interfaces":{"tsrest":{"address":"http://localhost:8090","protocol":"rest","schemaless":true}}}
            """).Build());
        return
    [
        new(HttpMethod.Post, "/streams", """{"sql":"CREATE STREAM demo (id BIGINT, name STRING) WITH (TYPE=\"memory\", DATASOURCE=\"t\")"}""",
            HttpStatusCode.Created, "/streams/demo/schema", "\"id\""),
        new(HttpMethod.Post, "/rules", """{"id":"r1","sql":"SELECT * FROM demo","actions":[{"log":{}}]}""",
            HttpStatusCode.Created, "/rules/r1", "\"r1\""),
        new(HttpMethod.Put, "/rules/r1/tags", """{"tags":["edge","north"]}""", HttpStatusCode.OK, "/rules/r1", "north"),
        new(HttpMethod.Put, "/metadata/sinks/mqtt/confKeys/broker", """{"server":"tcp://10.0.0.1:1883"}""",
            HttpStatusCode.OK, "/metadata/sinks/yaml/mqtt", "10.0.0.1"),
        new(HttpMethod.Post, "/connections", """{"id":"conn1","typ":"mqtt","props":{"server":"tcp://10.0.0.2:1883"}}""",
            HttpStatusCode.Created, "/connections/conn1", "10.0.0.2"),
        new(HttpMethod.Post, "/udf/javascript", """{"id":"area","description":"","script":"function area(x) { return x * x; }","isAgg":false}""",
            HttpStatusCode.Created, "/udf/javascript/area", "return x * x"),
        new(HttpMethod.Post, "/config/uploads", """{"name":"lookup.json","content":"{\"k\":1}"}""",
            HttpStatusCode.Created, "/config/uploads", "lookup.json", InstalledFile: Path.Combine("uploads", "lookup.json")),
        new(HttpMethod.Post, "/plugins/functions", $$"""{"name":"shared","file":"file://{{uploads}}/shared.zip"}""",
            HttpStatusCode.Created, "/plugins/functions/shared", "\"installed\":true", InstalledFile: Path.Combine("plugins", "functions", "shared.so")),
        new(HttpMethod.Post, "/services", $$"""{"name":"tsvc","file":"file://{{uploads}}/tsvc.zip"}""",
            HttpStatusCode.Created, "/services/functions/tsrest", "tsvc"),
        new(HttpMethod.Post, "/schemas/protobuf", """{"name":"book","content":"syntax = \"proto3\";message Book {string name = 1;}"}""",
            HttpStatusCode.Created, "/schemas/protobuf/book", "\"installed\":true", InstalledFile: Path.Combine("schemas", "protobuf", "book.proto")),
    ];
    }

    [Fact]
    public async Task Every_write_is_on_the_other_node_at_the_reply_and_survives_kill_9()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        // The second node answers; the first one runs the coordinator and reads right after each reply.
        var (reading, answering) = (cluster.Nodes[0], cluster.Nodes[1]);
        var writes = Writes(Path.Combine(answering.DataDir, "uploads"));

        foreach (var write in writes)
        {
            using var request = new HttpRequestMessage(write.Method, write.Path);
            if (write.Body is not null) request.Content = new StringContent(write.Body, Encoding.UTF8, "application/json");
            var reply = await Reply.From(await answering.Client.SendAsync(request));
            Assert.True(write.Status == reply.Status, $"{write.Method} {write.Path}: {reply.Status} {reply.Body}");

            var read = await reading.Client.GetReplyAsync(write.ReadPath);
            Assert.True(read.Status == HttpStatusCode.OK && read.Body.Contains(write.ReadContains, StringComparison.Ordinal),
                $"{write.ReadPath} on the other node right after {write.Method} {write.Path}: {read.Status} {read.Body}");
            if (write.InstalledFile is { } file)
                Assert.True(File.Exists(Path.Combine(reading.DataDir, file)), $"{file} on the other node at the reply to {write.Path}");
        }

        var before = await answering.Client.ExportAsync();
        var history = await answering.Client.GetReplyAsync("/data/imports?kind=change");
        Assert.Equal(writes.Count, System.Text.Json.Nodes.JsonNode.Parse(history.Body)!.AsArray().Count);

        await Task.WhenAll(reading.KillAsync(), answering.KillAsync());
        await reading.StartAgainAsync();
        await answering.StartAgainAsync();

        Assert.Equal(before, await answering.Client.ExportAsync());
        Assert.Equal(before, await reading.Client.ExportAsync());
        foreach (var write in writes)
        {
            var read = await answering.Client.GetReplyAsync(write.ReadPath);
            Assert.True(read.Status == HttpStatusCode.OK && read.Body.Contains(write.ReadContains, StringComparison.Ordinal),
                $"{write.ReadPath} after kill -9: {read.Status} {read.Body}");
        }
    }
}
