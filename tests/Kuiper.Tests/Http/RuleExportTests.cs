using System.Net;
using Kuiper.Tests.Harness;
using Xunit;

namespace Kuiper.Tests.Http;

[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class RuleExportTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Bundle = """
        {"streams":{"demo":"CREATE STREAM demo () WITH (DATASOURCE=\"users\", CONF_KEY=\"td\", FORMAT=\"JSON\")",
                    "plain":"CREATE STREAM plain () WITH (DATASOURCE=\"x\")",
                    "unused":"CREATE STREAM unused () WITH (TYPE=\"memory\")"},
         "tables":{"lookup1":"CREATE TABLE lookup1 () WITH (TYPE=\"memory\", KEY=\"id\")"},
         "rules":{"rule2":"{\"id\": \"rule2\",\"sql\": \"SELECT name FROM demo\",\"actions\": [{\"mqtt\":{\"sendSingle\":true,\"resourceId\":\"remote\",\"server\":\"tcp://emqx:1883\",\"topic\":\"demo1When_result\"}}]}",
                  "joined":"{\"id\":\"joined\",\"sql\":\"SELECT * FROM plain INNER JOIN lookup1 ON plain.id = lookup1.id\",\"actions\":[{\"log\":{}}]}",
                  "other":"{\"id\":\"other\",\"sql\":\"SELECT * FROM unused\",\"actions\":[{\"log\":{}}]}"},
         "sourceConfig":{"mqtt":"{\"default\":{\"qos\":1},\"td\":{\"qos\":0},\"unrelated\":{\"qos\":2}}"},
         "sinkConfig":{"mqtt":"{\"remote\":{\"bufferLength\":1024,\"format\":\"json\",\"qos\":0,\"server\":\"tcp://broker.emqx.io:1883\",\"topic\":\"result/ruleRevert\"},\"spare\":{\"qos\":1}}"},
         "connectionConfig":{"mqtt":"{\"conn1\":{\"server\":\"tcp://127.0.0.1:1883\"}}"}}
        """;

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_rule_comes_with_its_streams_source_configs_sink_configs_and_connections()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(Bundle)).Status);

        var reply = await Client.PostRawAsync("/data/export", """["rule2"]""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(
            """{"streams":{"demo":"CREATE STREAM demo () WITH (DATASOURCE=\"users\", CONF_KEY=\"td\", FORMAT=\"JSON\")"},"tables":{},"rules":{"rule2":"{\"id\": \"rule2\",\"sql\": \"SELECT name FROM demo\",\"actions\": [{\"mqtt\":{\"sendSingle\":true,\"resourceId\":\"remote\",\"server\":\"tcp://emqx:1883\",\"topic\":\"demo1When_result\"}}]}"},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{"mqtt":"{\"td\":{\"qos\":0}}"},"sinkConfig":{"mqtt":"{\"remote\":{\"bufferLength\":1024,\"format\":\"json\",\"qos\":0,\"server\":\"tcp://broker.emqx.io:1883\",\"topic\":\"result/ruleRevert\"}}"},"connectionConfig":{"mqtt":"{\"conn1\":{\"server\":\"tcp://127.0.0.1:1883\"}}"},"Service":{},"Schema":{},"uploads":{},"scripts":{}}""",
            reply.Body);
    }

    [Fact]
    public async Task Joined_tables_and_default_conf_key_are_included()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(Bundle)).Status);

        var reply = await Client.PostRawAsync("/data/export", """["joined"]""");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.StartsWith(
            """{"streams":{"plain":"CREATE STREAM plain () WITH (DATASOURCE=\"x\")"},"tables":{"lookup1":"CREATE TABLE lookup1 () WITH (TYPE=\"memory\", KEY=\"id\")"},"rules":{"joined":""",
            reply.Body);
        Assert.Contains("""
            "sourceConfig":{"mqtt":"{\"default\":{\"qos\":1}}"},"sinkConfig":{},
            """.Trim(), reply.Body);
    }

    [Fact]
    public async Task Unknown_rule_ids_are_refused_with_not_found()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(Bundle)).Status);

        var one = await Client.PostRawAsync("/data/export", """["rule2","nope"]""");
        Assert.Equal(HttpStatusCode.NotFound, one.Status);
        Assert.Equal("""{"error":1002,"message":"Rule nope is not found."}""" + "\n", one.Body);

        var two = await Client.PostRawAsync("/data/export", """["nope","nada"]""");
        Assert.Equal("""{"error":1002,"message":"Rules nope, nada are not found."}""" + "\n", two.Body);
    }

    [Fact]
    public async Task A_body_that_is_not_a_list_exports_no_rules()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(Bundle)).Status);

        var reply = await Client.PostRawAsync("/data/export", "not json");

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.StartsWith("""{"streams":{},"tables":{},"rules":{},""", reply.Body);
    }
}
