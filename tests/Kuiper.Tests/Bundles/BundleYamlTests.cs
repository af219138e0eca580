using System.Text;
using Kuiper.Domain.Bundles;
using Kuiper.Domain.Bundles.Yaml;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Resources;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Bundles;

public sealed class BundleYamlTests
{
    private static Bundle Parse(string json) => BundleCodec.Parse(json).Bundle!;

    private static string Yaml(Bundle bundle) => Encoding.UTF8.GetString(BundleYaml.Write(bundle));

    private static Bundle ReadYaml(string yaml)
    {
        var (bundle, error) = BundleYaml.Read(Encoding.UTF8.GetBytes(yaml));
        Assert.Null(error);
        return bundle!;
    }

    private static string? ErrorOf(string yaml) => BundleYaml.Read(Encoding.UTF8.GetBytes(yaml)).Error;

    private static string JsonOf(Bundle bundle) => Encoding.UTF8.GetString(BundleCodec.Write(bundle));

    [Fact]
    public void Seed_bundle_is_written_in_eKuipers_shape()
    {
        Assert.Equal("""
            sourceConfig:
                sources.mqtt.td:
                    insecureSkipVerify: false
                    password: public
                    protocolVersion: 3.1.1
                    qos: 1
                    server: tcp://broker.emqx.io:1883
                    username: admin
                sources.mqtt.test:
                    insecureSkipVerify: false
                    password: public
                    protocolVersion: 3.1.1
                    qos: 1
                    server: tcp://127.0.0.1:1883
                    username: admin
            sinkConfig:
                sinks.edgex.test:
                    bufferLength: 1024
                    contentType: application/json
                    enableCache: false
                    format: json
                    messageType: event
                    omitIfEmpty: false
                    port: 6379
                    protocol: redis
                    sendSingle: true
                    server: localhost
                    topic: application
                    type: redis
            streams:
                demo:
                    sql: CREATE STREAM demo () WITH (DATASOURCE="users", FORMAT="JSON")
            tables:
                T110:
                    sql: "\n CREATE TABLE T110\n (\n S1 string\n )\n WITH (DATASOURCE=\"test.json\", FORMAT=\"json\", TYPE=\"file\", KIND=\"scan\", );\n "
            rules:
                rule1: '{"id": "rule1","sql": "SELECT * FROM demo","actions": [{"log": {}}]}'
                rule2: '{"id": "rule2","sql": "SELECT * FROM demo","actions": [{  "log": {}}]}'

            """, Yaml(Parse(SeedBundle.Json)));
    }

    [Fact]
    public void Canonical_rules_are_objects_as_eKuiper_writes_them_and_empty_sections_follow_its_omitempty()
    {
        var yaml = Yaml(Parse("""{"rules":{"r":"{\"triggered\":false,\"id\":\"r\",\"sql\":\"select * from s\",\"actions\":[{\"log\":{}}]}"}}"""));

        Assert.Equal("""
            streams: {}
            rules:
                r:
                    triggered: false
                    id: r
                    sql: select * from s
                    actions:
                        -   log: {}

            """, yaml);
    }

    [Theory]
    [InlineData("seed")]
    [InlineData("awkward")]
    public void Written_and_read_back_gives_the_same_json_byte_for_byte(string which)
    {
        var json = which == "seed" ? SeedBundle.Exported : AwkwardBundle.Json;

        var back = ReadYaml(Yaml(Parse(json)));

        Assert.Equal(JsonOf(Parse(json)), JsonOf(back));
    }

    [Fact]
    public void Awkward_texts_keep_their_shapes_where_lossless()
    {
        var yaml = Yaml(Parse(AwkwardBundle.Json));

        Assert.Contains("\n    \"123\":\n        id: \"123\"\n", yaml);
        Assert.Contains("                  n1: 1.0\n", yaml);
        Assert.Contains("                  s: \"123\"\n", yaml);
        Assert.Contains("                  m: {}\n", yaml);
        Assert.Contains("                  a: []\n", yaml);
        Assert.Contains("    sinks.mqtt.a.b:\n        topic: x/#\n", yaml);
        Assert.Contains("    connections.my.plugin: '{\"c1\":{\"server\":\"tcp://h:1\"}}'\n", yaml);
        Assert.Contains("    \"007\": |-\n        {\"id\": \"007\",\n         \"sql\"", yaml);
        Assert.Contains("                    crlf: \"a\\r\\nb\"\n", yaml);
        Assert.Contains("                    nl: |-\n                        a\n                        b\n", yaml);
        Assert.Contains("    dir/a b.txt:\n        name: dir/a b.txt\n", yaml);
    }

    [Fact]
    public void Schemas_and_uploads_use_eKuipers_yaml_field_names()
    {
        var bundle = Parse("""{"Schema":{"protobuf_a":"{\"type\":\"protobuf\",\"name\":\"a\",\"file\":\"file:///x\",\"soFile\":\"file:///y\"}"},"uploads":{"u":"{\"name\":\"u\",\"file\":\"file:///z\"}"}}""");

        var yaml = Yaml(bundle);

        Assert.Contains("schema:\n    protobuf_a:\n        type: protobuf\n        name: a\n        filePath: file:///x\n        soPath: file:///y\n", yaml);
        Assert.Contains("uploads:\n    u:\n        name: u\n        filePath: file:///z\n", yaml);
        Assert.Equal(JsonOf(bundle), JsonOf(ReadYaml(yaml)));
    }

    [Fact]
    public void eKuipers_own_yaml_import_file_is_read()
    {
        // internal/server/rpc_test_data/yaml_import.yaml (TestYamlImport)
        var bundle = ReadYaml("""
            sourceConfig:
              sources.mqtt.demoImport:
                a: 1
            sinkConfig:
              sinks.mqtt.demoImport:
                a: 1
            connectionConfig:
              connections.mqtt.demoImport:
                a: 1
            streams:
              demoImport:
                sql: create stream demoImport () WITH (DATASOURCE="/yisa/data")
            tables:
              helloImport:
                sql: create table helloImport () WITH (DATASOURCE="/hello")
            rules:
              ruleImport:
                id: ruleImport
                sql: select a,b from demoImport
                actions:
                  - log: {}
                options:
                  lateTolerance: 1s
                  concurrency: 1
                  bufferLength: 1024
                  sendError: true
                  checkpointInterval: 5m0s
                  restartStrategy:
                    delay: 1s
                    multiplier: 2
                    maxDelay: 30s
                    jitter: 0.1
            """);

        Assert.Equal(
            """{"streams":{"demoImport":"create stream demoImport () WITH (DATASOURCE=\"/yisa/data\")"},"tables":{"helloImport":"create table helloImport () WITH (DATASOURCE=\"/hello\")"},"rules":{"ruleImport":"{\"id\":\"ruleImport\",\"sql\":\"select a,b from demoImport\",\"actions\":[{\"log\":{}}],\"options\":{\"lateTolerance\":\"1s\",\"concurrency\":1,\"bufferLength\":1024,\"sendError\":true,\"checkpointInterval\":\"5m0s\",\"restartStrategy\":{\"delay\":\"1s\",\"multiplier\":2,\"maxDelay\":\"30s\",\"jitter\":0.1}}}"},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{"mqtt":"{\"demoImport\":{\"a\":1}}"},"sinkConfig":{"mqtt":"{\"demoImport\":{\"a\":1}}"},"connectionConfig":{"mqtt":"{\"demoImport\":{\"a\":1}}"},"Service":{},"Schema":{},"uploads":{},"scripts":{}}""",
            JsonOf(bundle));
    }

    [Fact]
    public void Scalars_resolve_as_yaml_v3_resolves_them_into_interface_values()
    {
        var bundle = ReadYaml("""
            rules:
                r:
                    a: [~, null, Null, true, FALSE, 0x1F, 0o17, +12, 007, .5, 1., 1_000, yes, '1', "true", !!str 5, 2024-01-01, -.0e3]
            """);

        Assert.Equal("""[null,null,null,true,false,31,15,12,7,0.5,1,1000,"yes","1","true","5","2024-01-01",-0]""",
            bundle[ResourceKind.Rules]["r"][5..^1]);
    }

    [Theory]
    [InlineData("streams: [a]", "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into map[string]*server.DatasourceExport")]
    [InlineData("- a", "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into server.MetaConfiguration")]
    [InlineData("hello", "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!str `hello` into server.MetaConfiguration")]
    [InlineData("rules: 5\nstreams: {s: [1]}", "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!int `5` into map[string]*def.Rule\n  line 2: cannot unmarshal !!seq into server.DatasourceExport")]
    [InlineData("streams:\n  a: {sql: x}\n  a: {sql: y}", "yaml: unmarshal errors:\n  line 3: mapping key \"a\" already defined at line 2")]
    [InlineData("sourceConfig:\n  mqtt.x.y: {a: 1}", "yaml: unmarshal errors:\n  line 2: mqtt.x.y isn't valid conf key")]
    [InlineData("sourceConfig:\n  sources.mqtt.y: 1", "yaml: unmarshal errors:\n  line 2: cannot unmarshal !!int `1` into map[string]interface {}")]
    [InlineData("rules:\n  r: {a: .inf}", "yaml: json: unsupported value: +Inf")]
    [InlineData("rules: *x", "yaml: line 1: unknown anchor 'x' referenced")]
    [InlineData("rules: &a {r: *a}", "yaml: anchor 'a' value contains itself")]
    public void Refused_documents_give_yaml_v3_style_texts(string yaml, string expected)
    {
        Assert.Equal(expected, ErrorOf(yaml));
    }

    [Fact]
    public void Syntax_errors_name_the_line()
    {
        var error = ErrorOf("streams:\n  a: {sql: x\n");

        Assert.NotNull(error);
        Assert.StartsWith("yaml: line 3: ", error);
    }

    [Fact]
    public void Aliases_that_expand_beyond_the_text_are_refused()
    {
        var laughs = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i <= 9; i++) laughs.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n");
        laughs.Append("rules:\n  r: *a9\n");

        Assert.Equal("yaml: document contains excessive aliasing", ErrorOf(laughs.ToString()));
    }

    [Fact]
    public void Nesting_beyond_Gos_depth_is_refused_without_exhausting_the_stack()
    {
        var deep = "rules:\n  r: " + new string('[', 100_000) + new string(']', 100_000);

        Assert.Equal("yaml: exceeded max depth of 10000", ErrorOf(deep));
    }

    [Fact]
    public void Empty_document_and_null_sections_are_an_empty_bundle()
    {
        Assert.Equal(0, ReadYaml("").Count);
        Assert.Equal(0, ReadYaml("# nothing\n").Count);
        Assert.Equal(0, ReadYaml("streams:\nrules: ~\nother: 1\nStreams: {a: {sql: x}}").Count);
    }

    [Fact]
    public void Random_awkward_strings_round_trip_as_values_keys_and_statements()
    {
        string[] pieces = ["a", " ", "  ", "\n", "\r", "\r\n", "\t", "\u0000", "\u0085", "\u2028", "\uFEFF", "é", "日本", "😀", "\"", "'", "\\",
            "<", ">", "&", ":", ": ", "#", " #", "-", "- ", "?", "!", "%", "@", "`", "|", ">-", "{", "}", "[", "]", ",", "*", "&x",
            "123", "1.5", "1e5", "0x1F", "true", "no", "null", "~", ".inf", "<<", "---", "...", "\u007f", "\u00a0", "\u200b"];
        var random = new Random(13);
        var streams = new Dictionary<string, string>();
        var props = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(0, 6)).Select(_ => pieces[random.Next(pieces.Length)]));
            streams[$"s{i}"] = text;
            props.Add($"{Kuiper.Domain.GoCompat.GoJsonEncoder.Marshal(text + i)}:{Kuiper.Domain.GoCompat.GoJsonEncoder.Marshal(text)}");
        }
        var rule = "{\"id\":\"r\",\"actions\":[{\"log\":{" + string.Join(",", props) + "}}]}";
        var bundle = new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Streams] = streams,
            [ResourceKind.Rules] = new Dictionary<string, string> { ["r"] = rule },
        });

        var yaml = Yaml(bundle);

        Assert.Contains("\nrules:\n    r:\n        id: r\n", yaml);
        Assert.Equal(JsonOf(bundle), JsonOf(ReadYaml(yaml)));
    }

    [Fact]
    public void Keys_longer_than_yamls_implicit_key_limit_round_trip()
    {
        var name = new string('k', 3000);
        var bundle = Parse($$$"""{"rules":{"{{{name}}}":"{\"id\":\"{{{name}}}\",\"x\":{\"{{{name}}}\":1}}"},"streams":{"{{{name}}}":"x"}}""");

        Assert.Equal(JsonOf(bundle), JsonOf(ReadYaml(Yaml(bundle))));
    }
}
