using Kuiper.Domain.Connections;

namespace Kuiper.Tests.Connections;

public sealed class ConnectionReferencesTests
{
    private static readonly Dictionary<string, string> None = [];

    private static StoredDefinitions Stored(Dictionary<string, string> rules, Dictionary<string, string>? streams = null,
        Dictionary<string, string>? sourceConfig = null, Dictionary<string, string>? sinkConfig = null, Dictionary<string, string>? tables = null) =>
        new(rules, streams ?? None, tables ?? None, sourceConfig ?? None, sinkConfig ?? None);

    [Fact]
    public void A_stream_reads_its_connection_from_its_confKey_over_the_default()
    {
        var stored = Stored(
            new() { ["r1"] = """{"id":"r1","sql":"SELECT * FROM s1","actions":[{"log":{}}]}""", ["r2"] = """{"id":"r2","sql":"SELECT * FROM s2","actions":[{"log":{}}]}""" },
            new()
            {
                ["s1"] = """CREATE STREAM s1 () WITH (DATASOURCE="t", CONF_KEY="own")""",
                ["s2"] = """CREATE STREAM s2 () WITH (DATASOURCE="t")""",
            },
            sourceConfig: new() { ["mqtt"] = """{"default":{"connectionSelector":"base"},"own":{"connectionSelector":"mine"}}""" });

        var users = ConnectionReferences.Of(stored);

        Assert.Equal(["r1"], users["mine"]);
        Assert.Equal(["r2"], users["base"]);
    }

    [Fact]
    public void A_table_of_another_type_counts_too()
    {
        var stored = Stored(
            new() { ["r"] = """{"id":"r","sql":"SELECT * FROM demo INNER JOIN t ON demo.a = t.a","actions":[{"log":{}}]}""" },
            new() { ["demo"] = """CREATE STREAM demo () WITH (DATASOURCE="x")""" },
            sourceConfig: new() { ["sql"] = """{"db":{"connectionSelector":"pg"}}""" },
            tables: new() { ["t"] = """CREATE TABLE t () WITH (DATASOURCE="x", TYPE="sql", CONF_KEY="db")""" });

        Assert.Equal(["r"], ConnectionReferences.Of(stored)["pg"]);
    }

    [Fact]
    public void An_actions_own_selector_wins_over_its_resources()
    {
        var stored = Stored(
            new()
            {
                ["own"] = """{"id":"own","sql":"SELECT * FROM demo","actions":[{"mqtt":{"resourceId":"res","connectionSelector":"direct"}}]}""",
                ["viaResource"] = """{"id":"viaResource","sql":"SELECT * FROM demo","actions":[{"log":{}},{"mqtt":{"resourceId":"res"}}]}""",
                ["notAString"] = """{"id":"notAString","sql":"SELECT * FROM demo","actions":[{"mqtt":{"resourceId":"res","connectionSelector":1}}]}""",
            },
            new() { ["demo"] = """CREATE STREAM demo () WITH (DATASOURCE="x")""" },
            sinkConfig: new() { ["mqtt"] = """{"res":{"connectionSelector":"pooled"}}""" });

        var users = ConnectionReferences.Of(stored);

        Assert.Equal(["own"], users["direct"]);
        Assert.Equal(["viaResource"], users["pooled"]);
        Assert.Equal(2, users.Count);
    }

    [Fact]
    public void Only_rules_that_would_run_hold_a_connection_and_each_counts_once()
    {
        const string actions = """[{"mqtt":{"connectionSelector":"c"}},{"mqtt":{"connectionSelector":"c"}}]""";
        var stored = Stored(new()
        {
            ["running"] = $$"""{"id":"running","sql":"SELECT * FROM demo","actions":{{actions}}}""",
            ["started"] = $$"""{"id":"started","sql":"SELECT * FROM demo","actions":{{actions}},"triggered":true}""",
            ["stopped"] = $$"""{"id":"stopped","sql":"SELECT * FROM demo","actions":{{actions}},"triggered":false}""",
        });

        Assert.Equal(["running", "started"], ConnectionReferences.Of(stored)["c"]);
    }
}
