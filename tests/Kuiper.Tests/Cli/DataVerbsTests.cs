using System.Net;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Cli;

/// <summary>
/// eKuiper's data verbs (<c>import data</c>, <c>export data</c>, <c>getstatus import</c>, <c>import ruleset</c>,
/// <c>export ruleset</c>) run as the built executable against a real node, printing what eKuiper's client prints.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process and runs the built executable as a client")]
public sealed class DataVerbsTests(NodeFixture fixture) : IClassFixture<NodeFixture>, IDisposable
{
    /// <summary>The 12 kinds, empty, as eKuiper's RPC prints them (<c>rpc_test.go TestConfiguration</c>), at an indentation.</summary>
    private static string EmptyKinds(int indent) => string.Join(",\n",
        new[] { "streams", "tables", "rules", "nativePlugins", "portablePlugins", "sourceConfig", "sinkConfig", "connectionConfig", "Service", "Schema", "uploads", "scripts" }
            .Select(kind => $"{new string(' ', indent)}\"{kind}\": {{}}"));

    private readonly string _folder = NodeProcess.NewDataDir();

    private NodeProcess Node => fixture.Node;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string FileWith(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private Task<CliProcessRun> RunAsync(params string[] args) => CliProcess.RunAsync(Node, _folder, args);

    private async Task ResetAsync() => Assert.Equal(HttpStatusCode.OK, (await Node.Client.ImportAsync("{}")).Status);

    [Fact]
    public async Task Import_data_sends_the_local_file_and_prints_eKuipers_indented_status()
    {
        var file = FileWith("seed.json", SeedBundle.Json);

        var run = await RunAsync("import", "data", "-f", file, "-s", "false", "-p", "false");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("{\n  \"ErrorMsg\": \"\",\n  \"ConfigResponse\": {\n" + EmptyKinds(4) + "\n  }\n}\n", run.Out);
        Assert.Equal("", run.Err);
        Assert.Equal(SeedBundle.Exported, await Node.Client.ExportAsync());
    }

    [Fact]
    public async Task Getstatus_import_prints_the_indented_status_and_json_the_compact_one()
    {
        await ResetAsync();

        var run = await RunAsync("getstatus", "import");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("{\n" + EmptyKinds(2) + "\n}\n", run.Out);
        var json = await RunAsync("getstatus", "import", "--json");
        Assert.Equal((await Node.Client.GetReplyAsync("/data/import/status")).Body + "\n", json.Out);
    }

    [Fact]
    public async Task A_partial_import_with_a_bare_flag_that_refuses_an_item_prints_process_error_and_exits_4()
    {
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.ImportAsync(SeedBundle.Json)).Status);
        var file = FileWith("partial.json", """{"streams":{"good":"CREATE STREAM good () WITH (TYPE=\"memory\")","bad":"CREATE STREAM notbad () WITH (TYPE=\"memory\")"}}""");

        var run = await RunAsync("import", "data", "-f", file, "-p");

        Assert.Equal(4, run.ExitCode);
        Assert.StartsWith("""
            {
              "ErrorMsg": "process error",
              "ConfigResponse": {
                "streams": {
                  "bad": "Replace bad fails: the sql statement must update the bad source."
                },
                "tables": {},

            """, run.Out);
        var exported = await Node.Client.ExportAsync();
        Assert.Contains("\"good\":", exported);
        Assert.Contains("\"demo\":", exported);
    }

    [Fact]
    public async Task A_file_that_is_no_bundle_prints_the_reason_as_eKuipers_status_and_exits_1()
    {
        var file = FileWith("broken.json", """{"streams": {"demo": 1}}""");

        var run = await RunAsync("import", "data", "-f", file, "--json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            """{"ErrorMsg":"configuration unmarshal with error json: cannot unmarshal number into Go struct field Configuration.streams of type string","ConfigResponse":{"streams":null,"tables":null,"rules":null,"nativePlugins":null,"portablePlugins":null,"sourceConfig":null,"sinkConfig":null,"connectionConfig":null,"Service":null,"Schema":null,"uploads":null,"scripts":null}}""" + "\n",
            run.Out);
    }

    [Fact]
    public async Task Export_data_writes_the_bundle_or_some_rules_where_the_command_runs()
    {
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.ImportAsync(SeedBundle.Json)).Status);

        var all = await RunAsync("export", "data", "all.json");
        Assert.Equal(0, all.ExitCode);
        Assert.Equal("export configuration success\n", all.Out);
        Assert.Equal(SeedBundle.Exported, await File.ReadAllTextAsync(Path.Combine(_folder, "all.json")));

        var some = await RunAsync("export", "data", "some.json", "-r", """["rule1"]""");
        Assert.Equal(0, some.ExitCode);
        var expected = await Node.Client.PostRawAsync("/data/export", """["rule1"]""");
        Assert.Equal(expected.Body, await File.ReadAllTextAsync(Path.Combine(_folder, "some.json")));

        var unknown = await RunAsync("export", "data", "none.json", "-r", """["nope"]""");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("Rule nope is not found.\n", unknown.Err);
        Assert.False(File.Exists(Path.Combine(_folder, "none.json")));
    }

    [Fact]
    public async Task Import_and_export_ruleset_print_eKuipers_counts()
    {
        await ResetAsync();
        // eKuiper's rpc_test_data/import.json (TestImportAndExport).
        var file = FileWith("import.json",
            """{"streams":{"test":"CREATE STREAM test () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\")"},"tables":{},"rules":{"myRule":"{\"id\": \"myRule\",\"sql\": \"SELECT * FROM test\",\"actions\": [{\"log\": {}}]}"}}""");

        var imported = await RunAsync("import", "ruleset", "-f", file);
        Assert.Equal(0, imported.ExitCode);
        Assert.Equal("imported 1 streams, 0 tables and 1 rules\n", imported.Out);

        var exported = await RunAsync("export", "ruleset", "ruleset.json");
        Assert.Equal(0, exported.ExitCode);
        Assert.Equal("exported 1 streams, 0 tables and 1 rules\n", exported.Out);
        Assert.Equal(await File.ReadAllTextAsync(file), await File.ReadAllTextAsync(Path.Combine(_folder, "ruleset.json")));
    }

    [Fact]
    public async Task A_ruleset_import_that_refuses_items_names_them_on_stderr_and_exits_4()
    {
        await ResetAsync();
        var file = FileWith("ruleset.json", """{"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")","bad":"CREATE STREAM notbad () WITH (TYPE=\"memory\")"}}""");

        var run = await RunAsync("import", "ruleset", "-f", file);

        Assert.Equal(4, run.ExitCode);
        Assert.Equal("imported 1 streams, 0 tables and 0 rules\n", run.Out);
        Assert.Equal("streams bad: Replace bad fails: the sql statement must update the bad source.\n", run.Err);
    }

    [Theory]
    [InlineData("Required configuration json file to import", "import", "data")]
    [InlineData("Expect s flag to be a boolean value.", "import", "data", "-f", "x.json", "-s", "yes")]
    [InlineData("Expect p flag to be a boolean value.", "import", "data", "-f", "x.json", "-p", "1")]
    [InlineData("Required ruleset json file to import", "import", "ruleset")]
    [InlineData("usage: export data FILE", "export", "data")]
    [InlineData("usage: export ruleset FILE", "export", "ruleset")]
    [InlineData("rules [] unmarshal error invalid character 'r' looking for beginning of value", "export", "data", "f.json", "-r", "rule1")]
    [InlineData("missing verb after 'getstatus'", "getstatus")]
    public async Task Usage_errors_exit_2_with_eKuipers_texts(string message, params string[] args)
    {
        var run = await RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        Assert.StartsWith($"error: {message}\n", run.Err);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_exits_1_and_an_unreachable_node_exits_3()
    {
        var missing = await RunAsync("import", "ruleset", "-f", "nowhere.json");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("fail to read file nowhere.json: ", missing.Err);

        // Port 1: refused at once (a port just released could be taken meanwhile by a listener that never answers HTTP).
        var file = FileWith("seed.json", SeedBundle.Json);
        var unreachable = await CliProcess.RunAsync(_folder, "import", "data", "-f", file, "--node", "http://127.0.0.1:1");
        Assert.True(unreachable.ExitCode == 3, unreachable.ToString());
        Assert.StartsWith("cannot reach the node at http://127.0.0.1:", unreachable.Err);
    }
}

/// <summary><c>import data -s</c>: the node stops after the import (exit code 100), as with <c>?stop=1</c>.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class ImportDataStopTests
{
    [Fact]
    public async Task Import_data_with_stop_prints_the_status_and_the_node_exits_100()
    {
        await using var node = await NodeProcess.StartAsync();
        var file = Path.Combine(node.DataDir, "seed.json");
        await File.WriteAllTextAsync(file, SeedBundle.Json);

        var run = await CliProcess.RunAsync(node, node.DataDir, "import", "data", "-f", file, "-s", "true");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("{\n  \"ErrorMsg\": \"\",\n", run.Out);
        Assert.Equal(100, await node.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }
}
