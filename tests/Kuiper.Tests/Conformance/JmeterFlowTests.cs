using System.Net;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Conformance;

/// <summary>
/// The reference's JMeter data import/export flow (ekuiper-reference.md §6.13), plugins left out, with the
/// deliberate differences of docs/decisions.md#export-of-unknown-rules (a stream without TYPE exports its mqtt source config).
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class JmeterFlowTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Rule2 = """{\"id\": \"rule2\",\"sql\": \"SELECT revert(name) FROM demo\",\"actions\": [{\"mqtt\":{\"sendSingle\":true,\"resourceId\":\"remote\",\"server\":\"tcp://emqx:1883\",\"topic\":\"demo1When_result\"}}]}""";

    private static string Bundle(string rule2) => $$$"""
        {"streams":{"demo":"CREATE STREAM demo () WITH (DATASOURCE=\"users\", CONF_KEY=\"td\", FORMAT=\"JSON\")"},
         "tables":{"T110":"\n CREATE TABLE T110\n (\n S1 string\n )\n WITH (DATASOURCE=\"test.json\", FORMAT=\"json\", TYPE=\"file\", KIND=\"scan\", );\n "},
         "rules":{"rule2":"{{{rule2}}}"},
         "sourceConfig":{"mqtt":"{\"td\":{\"insecureSkipVerify\":false,\"password\":\"public\",\"protocolVersion\":\"3.1.1\",\"qos\":1,\"server\":\"tcp://broker.emqx.io:1883\",\"username\":\"admin\"}}"},
         "sinkConfig":{"mqtt":"{\"remote\":{\"bufferLength\":1024,\"format\":\"json\",\"qos\":0,\"server\":\"tcp://broker.emqx.io:1883\",\"topic\":\"result/ruleRevert\"}}"},
         "connectionConfig":{},"Service":{},"Schema":{},"uploads":{}}
        """;

    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Import_list_describe_export_clean_up_partial_import_and_partial_export()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(Bundle(Rule2), "?stop=0")).Status);

        Assert.Contains("\"demo\"", (await Client.GetReplyAsync("/streams")).Body);
        Assert.Contains("\"T110\"", (await Client.GetReplyAsync("/tables")).Body);
        Assert.Equal(Rule2.Replace("\\\"", "\""), (await Client.GetReplyAsync("/rules/rule2")).Body);
        Assert.Equal(
            """{"remote":{"bufferLength":1024,"format":"json","qos":0,"server":"tcp://broker.emqx.io:1883","topic":"result/ruleRevert"}}""",
            (await Client.GetReplyAsync("/metadata/sinks/yaml/mqtt")).Body);
        Assert.Contains($"\"rules\":{{\"rule2\":\"{Rule2}\"}}", await Client.ExportAsync());

        Assert.Equal(HttpStatusCode.OK,
            (await Client.ImportAsync("""{"streams":{},"tables":{},"rules":{},"sourceConfig":{},"sinkConfig":{}}""", "?partial=0&stop=0")).Status);
        Assert.Equal("[]", (await Client.GetReplyAsync("/streams")).Body);

        var changedRule2 = Rule2.Replace("SELECT revert(name) FROM demo", "SELECT name FROM demo");
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(Bundle(changedRule2), "?stop=0&partial=1")).Status);

        var exported = await Client.PostRawAsync("/data/export", """["rule2"]""");
        Assert.Equal(
            $$$"""{"streams":{"demo":"CREATE STREAM demo () WITH (DATASOURCE=\"users\", CONF_KEY=\"td\", FORMAT=\"JSON\")"},"tables":{},"rules":{"rule2":"{{{changedRule2}}}"},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{"mqtt":"{\"td\":{\"insecureSkipVerify\":false,\"password\":\"public\",\"protocolVersion\":\"3.1.1\",\"qos\":1,\"server\":\"tcp://broker.emqx.io:1883\",\"username\":\"admin\"}}"},"sinkConfig":{"mqtt":"{\"remote\":{\"bufferLength\":1024,\"format\":\"json\",\"qos\":0,\"server\":\"tcp://broker.emqx.io:1883\",\"topic\":\"result/ruleRevert\"}}"},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{}}""",
            exported.Body);
    }

    [Fact]
    public async Task The_ruleset_round_trip_exports_the_identical_strings()
    {
        const string bundle = """{"streams":{"demo":"CREATE STREAM demo () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\")"},"tables":{},"rules":{"rule1":"{\"id\":\"rule1\",\"sql\": \"SELECT * FROM demo\",\"actions\": [{\"log\": {}}]}","rule2":"{\"id\": \"rule2\",\"sql\": \"SELECT * FROM demo\",\"actions\": [{  \"log\": {}}]}"}}""";

        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(bundle)).Status);

        Assert.StartsWith(bundle.TrimEnd('}'), await Client.ExportAsync());
    }

    [Fact]
    public async Task Stream_replace_follows_the_version_sequence_of_TestStreamReplace()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync("{}")).Status);
        var steps = new (string Options, string? Error)[]
        {
            ("", null),
            ("", null),
            (", VERSION=\\\"12345\\\"", null),
            (", VERSION=\\\"12345\\\"", "source r1 already exists with version (12345), new version (12345) is lower"),
            ("", "source r1 already exists with version (12345), new version () is lower"),
            (", VERSION=\\\"12346\\\", SHARED=\\\"true\\\"", "Replace r1 fails: do not support to change stream SHARED option."),
        };
        foreach (var (options, error) in steps)
        {
            var reply = await Client.ImportAsync($$$"""{"streams":{"r1":"CREATE STREAM r1 () WITH (TYPE=\"memory\"{{{options}}})"}}""", "?partial=1");
            if (error is null) Assert.Equal(HttpStatusCode.OK, reply.Status);
            else Assert.Contains(error, reply.Body);
        }
    }
}
