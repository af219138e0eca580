using System.Net;
using System.Text.Json;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Http;

namespace Kuiper.Tests.Cluster;

/// <summary>An Idempotency-Key is cluster-wide: a retry through another node gets the first answer and runs nothing.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a cluster of node processes on PostgreSQL")]
public sealed class IdempotencyClusterTests
{
    [Fact]
    public async Task A_retry_through_another_node_gets_the_first_answer()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        var (first, second) = (cluster.Nodes[0].Client, cluster.Nodes[1].Client);
        var body = KuiperApi.ContentBody(JsonSerializer.Serialize(new { streams = new Dictionary<string, string>
        {
            ["keyed"] = "CREATE STREAM keyed () WITH (TYPE=\"memory\")",
        } }));

        var (answer, _) = await ImportOutcomeTests.PostWithKeyAsync(second, "/data/import?partial=1", body, "cluster-key");
        Assert.Equal((HttpStatusCode.OK, ImportReplyTexts.Success), (answer.Status, answer.Body));
        var (retry, replayed) = await ImportOutcomeTests.PostWithKeyAsync(first, "/data/import?partial=1", body, "cluster-key");
        Assert.Equal((answer.Status, answer.Body, "true"), (retry.Status, retry.Body, replayed));
        var (other, _) = await ImportOutcomeTests.PostWithKeyAsync(first, "/data/import", body, "cluster-key");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.Status);

        using var history = JsonDocument.Parse((await first.GetReplyAsync("/data/imports?limit=10")).Body);
        Assert.Equal(1, history.RootElement.GetArrayLength());
    }
}
