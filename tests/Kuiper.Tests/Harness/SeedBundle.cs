namespace Kuiper.Tests.Harness;

/// <summary>The example bundle of the API description (data-import-export.zh.md), its plugin entries removed.</summary>
public static class SeedBundle
{
    /// <summary>The README's example file, so that the worked example and the tests cannot drift apart.</summary>
    public static readonly string Json = File.ReadAllText(Path.Combine(NodeBuild.RepoRoot, "examples", "seed-bundle.json"));

    /// <summary>What eKuiper exports for it: compact, all 12 keys in order, maps sorted.</summary>
    public const string Exported = """
        {"streams":{"demo":"CREATE STREAM demo () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\")"},"tables":{"T110":"\n CREATE TABLE T110\n (\n S1 string\n )\n WITH (DATASOURCE=\"test.json\", FORMAT=\"json\", TYPE=\"file\", KIND=\"scan\", );\n "},"rules":{"rule1":"{\"id\": \"rule1\",\"sql\": \"SELECT * FROM demo\",\"actions\": [{\"log\": {}}]}","rule2":"{\"id\": \"rule2\",\"sql\": \"SELECT * FROM demo\",\"actions\": [{  \"log\": {}}]}"},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{"mqtt":"{\"td\":{\"insecureSkipVerify\":false,\"password\":\"public\",\"protocolVersion\":\"3.1.1\",\"qos\":1,\"server\":\"tcp://broker.emqx.io:1883\",\"username\":\"admin\"},\"test\":{\"insecureSkipVerify\":false,\"password\":\"public\",\"protocolVersion\":\"3.1.1\",\"qos\":1,\"server\":\"tcp://127.0.0.1:1883\",\"username\":\"admin\"}}"},"sinkConfig":{"edgex":"{\"test\":{\"bufferLength\":1024,\"contentType\":\"application/json\",\"enableCache\":false,\"format\":\"json\",\"messageType\":\"event\",\"omitIfEmpty\":false,\"port\":6379,\"protocol\":\"redis\",\"sendSingle\":true,\"server\":\"localhost\",\"topic\":\"application\",\"type\":\"redis\"}}"},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{}}
        """;
}
