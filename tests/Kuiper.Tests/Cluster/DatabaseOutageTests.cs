using System.Diagnostics;
using System.Net;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Cluster;

/// <summary>
/// PostgreSQL stopped under a running two-node cluster, then started again: imports are answered 503 within the
/// bound, readiness says so, reads from memory go on, and the same processes take imports again afterwards.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts its own PostgreSQL server and a cluster of node processes")]
public sealed class DatabaseOutageTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The bound docs/operations.md#database-outage promises: about twice the journal call timeout (plus slack for a loaded 2-core box).</summary>
    private static readonly TimeSpan AnswerBound = CallTimeout * 2 + TimeSpan.FromSeconds(10);

    private static string Bundle(string stream, string rule) =>
        "{\"streams\":{\"" + stream + "\":\"CREATE STREAM " + stream + " () WITH (TYPE=\\\"memory\\\", FORMAT=\\\"json\\\")\"}," +
        "\"rules\":{\"" + rule + "\":\"{\\\"id\\\":\\\"" + rule + "\\\",\\\"sql\\\":\\\"SELECT * FROM " + stream +
        "\\\",\\\"actions\\\":[{\\\"log\\\":{}}]}\"}}";

    [Fact]
    public async Task A_database_outage_is_answered_within_the_bound_and_the_same_nodes_recover()
    {
        await using var server = await PostgresServer.StartAsync();
        string[] Args(int port, int seed) =>
        [
            .. server.NodeArgs, $"--Kuiper:Cluster:Port={port}", $"--Kuiper:Cluster:SeedNodes:0=akka.tcp://kuiper@127.0.0.1:{seed}",
            $"--Kuiper:Persistence:CallTimeout={CallTimeout}", "--Kuiper:Import:BatchRetryInterval=00:00:02",
        ];
        var (port1, port2) = (NodeProcess.FreeTcpPort(), NodeProcess.FreeTcpPort());
        await using var first = await NodeProcess.StartAsync(null, Args(port1, port1));
        await using var second = await NodeProcess.StartAsync(null, Args(port2, port1));

        Assert.Equal(HttpStatusCode.OK, (await first.Client.ImportAsync(Bundle("before", "r_before"), "?partial=1")).Status);

        await server.PauseAsync();

        // An import during the outage: 503 with the envelope, within the bound.
        var clock = Stopwatch.StartNew();
        var during = await second.Client.ImportAsync(Bundle("during", "r_during"), "?partial=1");
        clock.Stop();
        output.WriteLine($"import during the outage answered {(int)during.Status} after {clock.Elapsed.TotalSeconds:0.0}s: {during.Body}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
        Assert.StartsWith("{\"error\":1000,\"message\":\"the import could not be stored, nothing was applied: ", during.Body);
        Assert.True(clock.Elapsed < AnswerBound, $"answered after {clock.Elapsed}, bound {AnswerBound}");

        // Readiness says so on both nodes; what is in memory is still served.
        foreach (var node in new[] { first, second })
            await TestCluster.EventuallyAsync(() => node.Client.GetReplyAsync("/healthz/ready"),
                r => r.Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "readiness reporting the outage");
        var tables = await first.Client.GetReplyAsync("/tables");
        Assert.Equal(HttpStatusCode.OK, tables.Status);
        var status = await first.Client.GetReplyAsync("/data/import/status");
        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Contains("\"during\":\"not stored: the journal did not take the write", status.Body);
        Assert.Contains("\"r_during\":\"not imported: not stored: the journal did not take the write", status.Body);

        var downFor = Stopwatch.StartNew();
        await server.ResumeAsync();

        // The same processes, not restarted: ready again, and imports are taken again.
        foreach (var node in new[] { first, second })
            await TestCluster.EventuallyAsync(() => node.Client.GetReplyAsync("/healthz/ready"),
                r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "readiness after the outage");
        var after = await TestCluster.EventuallyAsync(() => second.Client.ImportAsync(Bundle("after", "r_after"), "?partial=1"),
            r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "an import accepted after the outage");
        output.WriteLine($"import accepted {downFor.Elapsed.TotalSeconds:0.0}s after PostgreSQL was back: {after.Body}");

        // Nothing acknowledged is lost, on either node.
        foreach (var node in new[] { first, second })
        {
            var export = await node.Client.ExportAsync();
            Assert.Contains("\"before\":", export);
            Assert.Contains("\"r_before\":", export);
            Assert.Contains("\"after\":", export);
            Assert.Contains("\"r_after\":", export);
        }
        Assert.False(first.Process.HasExited);
        Assert.False(second.Process.HasExited);
    }

    private static readonly TimeSpan ReadCallTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ReadAnswerBound = ReadCallTimeout * 2 + TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads during the outage: the partition whose write failed cannot recover without the database. Every read
    /// answers from what the node holds (200) or 503 with the envelope, within the read bound (twice the call timeout);
    /// before, the export waited 60 s and answered 500 with an empty body.
    /// </summary>
    [Fact]
    public async Task Reads_during_a_database_outage_answer_within_the_bound_never_500()
    {
        await using var server = await PostgresServer.StartAsync();
        var port = NodeProcess.FreeTcpPort();
        await using var node = await NodeProcess.StartAsync(null,
        [
            // A short call timeout: each read that cannot be answered waits twice this, and four of them do.
            .. server.NodeArgs, $"--Kuiper:Cluster:Port={port}", $"--Kuiper:Persistence:CallTimeout={ReadCallTimeout}",
            "--Kuiper:Import:BatchRetryInterval=00:00:05",
        ]);
        Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync(Bundle("before", "r_before"), "?partial=1")).Status);

        await server.PauseAsync();
        // A failed write stops its partition, which cannot recover until the database is back.
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Client.ImportAsync(Bundle("during", "r_during"), "?partial=1")).Status);

        foreach (var path in new[] { "/data/export", "/streams", "/streams/during", "/rules/r_before", "/data/export" })
        {
            var clock = Stopwatch.StartNew();
            var reply = await node.Client.GetReplyAsync(path);
            clock.Stop();
            output.WriteLine($"GET {path} during the outage: {(int)reply.Status} after {clock.Elapsed.TotalSeconds:0.0}s: {Shorten(reply.Body)}");
            Assert.True(clock.Elapsed < ReadAnswerBound, $"GET {path} answered after {clock.Elapsed}, bound {ReadAnswerBound}");
            if (reply.Status == HttpStatusCode.OK) continue;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, reply.Status);
            Assert.StartsWith("{\"error\":1000,\"message\":\"", reply.Body);
            Assert.Contains("did not answer within 4s", reply.Body);
        }

        await server.ResumeAsync();
        var export = await TestCluster.EventuallyAsync(() => node.Client.GetReplyAsync("/data/export"),
            r => r.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "an export after the outage");
        Assert.Contains("\"before\":", export.Body);
        Assert.DoesNotContain("\"during\":", export.Body);
    }

    private static string Shorten(string body) => body.Length > 300 ? body[..300] + "..." : body;
}
