using System.Net;
using System.Security.Cryptography;
using System.Text;
using Kuiper.Actors.Database;
using Kuiper.Node.Provisioning;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Provisioning;

/// <summary>
/// <c>&lt;DataDir&gt;/init.json</c> imported at start, once per version, cluster-wide exactly once, with real node processes.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes, on SQLite and on PostgreSQL")]
public sealed class StartupProvisioningTests
{
    private const string Ruleset = """
        {"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")","bad":"CREATE STREAM notbad () WITH (TYPE=\"memory\")"},
         "rules":{"r":"{\"id\":\"r\",\"version\":\"1\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"log\":{}}]}"}}
        """;

    private const string Imported = "imported 1 streams, 0 tables and 1 rules";

    private const string BadStream = "\"bad\":\"Replace bad fails: the sql statement must update the bad source.\"";

    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    /// <summary>Provisioning's lines in the node's output, and a short claim timeout for the take-over tests.</summary>
    private static readonly string[] Verbose = ["--Logging:LogLevel:Kuiper.Node.Provisioning=Information", "--Kuiper:Provisioning:ClaimTimeout=00:00:04"];

    private static string Version(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    private static string DataDirWith(string initJson)
    {
        var dir = NodeProcess.NewDataDir();
        File.WriteAllText(Path.Combine(dir, "init.json"), initJson);
        return dir;
    }

    private static Task<string> EventuallyOutputAsync(NodeProcess node, string text) =>
        TestCluster.EventuallyAsync(() => Task.FromResult(node.Output), output => output.Contains(text, StringComparison.Ordinal), Within,
            $"'{text}' in the output of the node on {node.BaseAddress}");

    private static Task<string> EventuallyExportAsync(NodeProcess node, string text) =>
        TestCluster.EventuallyAsync(() => node.Client.ExportAsync(), export => export.Contains(text, StringComparison.Ordinal), Within,
            $"'{text}' in the export of {node.BaseAddress}");

    [Fact]
    public async Task Init_json_is_imported_at_start_once_per_version_and_its_failures_are_in_the_status()
    {
        await using var node = await NodeProcess.StartAsync(DataDirWith(Ruleset), Verbose);

        await EventuallyOutputAsync(node, $"init.json version {Version(Ruleset)}: {Imported}; failed: {{\"streams\":{{{BadStream}}}");
        var export = await node.Client.ExportAsync();
        Assert.Contains("\"streams\":{\"s\":\"CREATE STREAM s () WITH (TYPE=\\\"memory\\\")\"}", export);
        Assert.Contains("\"rules\":{\"r\":", export);
        Assert.StartsWith($"{{\"streams\":{{{BadStream}}},\"tables\":{{}},\"rules\":{{}},", (await node.Client.GetReplyAsync("/data/import/status")).Body);

        // The same version is not imported again: a rule deleted since stays deleted.
        Assert.Equal(HttpStatusCode.OK, (await node.Client.DeleteAsync("/rules/r")).StatusCode);
        await node.KillAsync();
        await node.StartAgainAsync();
        await EventuallyOutputAsync(node, $"init.json version {Version(Ruleset)} was imported already, by akka.tcp://kuiper@");
        Assert.DoesNotContain("\"rules\":{\"r\":", await node.Client.ExportAsync());

        // A new version is.
        var changed = Ruleset.Replace("\"version\\\":\\\"1\\\"", "\"version\\\":\\\"2\\\"", StringComparison.Ordinal);
        Assert.NotEqual(Ruleset, changed);
        await File.WriteAllTextAsync(Path.Combine(node.DataDir, "init.json"), changed);
        await node.KillAsync();
        await node.StartAgainAsync();
        await EventuallyOutputAsync(node, $"init.json version {Version(changed)}: {Imported}");
        await EventuallyExportAsync(node, "\\\"version\\\":\\\"2\\\"");
    }

    [Fact]
    public async Task An_invalid_init_json_is_logged_with_eKuipers_text_and_marked_done_as_eKuiper_does()
    {
        await using var node = await NodeProcess.StartAsync(DataDirWith("notjson"), Verbose);

        await EventuallyOutputAsync(node, "fail to import ruleset: invalid import file: invalid character 'o' in literal null (expecting 'u')");
        Assert.StartsWith("{\"streams\":{},\"tables\":{},\"rules\":{},", (await node.Client.GetReplyAsync("/data/import/status")).Body);

        await node.KillAsync();
        await node.StartAgainAsync();
        await EventuallyOutputAsync(node, "was imported already, by akka.tcp://kuiper@");
        Assert.Contains(": invalid import file: invalid character 'o' in literal null (expecting 'u')", node.Output);
    }

    [Fact]
    public async Task No_init_json_is_no_import()
    {
        await using var node = await NodeProcess.StartAsync(null, Verbose);

        await EventuallyOutputAsync(node, $"init rules file {Path.Combine(node.DataDir, "init.json")} does not exist");
        Assert.StartsWith("{\"streams\":{},\"tables\":{},\"rules\":{},", await node.Client.ExportAsync());
    }

    [Fact]
    public async Task A_claim_left_by_a_node_that_died_is_taken_over_once_it_lapses()
    {
        var dir = DataDirWith(Ruleset);
        var claims = new ProvisioningClaims(new PersistenceSettings(), dir);
        const string dead = "akka.tcp://kuiper@10.255.0.9:4053#42";
        Assert.Equal(new ProvisioningClaim.Granted(null), await claims.ClaimAsync(Version(Ruleset), dead, TimeSpan.FromMinutes(1), default));
        var claimed = DateTime.UtcNow;

        await using var node = await NodeProcess.StartAsync(dir, Verbose);

        await EventuallyOutputAsync(node, $"init.json version {Version(Ruleset)}: taking over from {dead}, whose claim was not renewed");
        Assert.True(DateTime.UtcNow - claimed >= TimeSpan.FromSeconds(4), "taken over before the claim timeout");
        await EventuallyOutputAsync(node, $"init.json version {Version(Ruleset)}: {Imported}");
        Assert.Contains("\"rules\":{\"r\":", await node.Client.ExportAsync());
    }

    [Fact]
    public async Task A_claim_left_by_an_earlier_run_of_the_same_node_is_taken_over_at_once()
    {
        var dir = DataDirWith(Ruleset);
        var remotingPort = NodeProcess.FreeTcpPort();
        var claims = new ProvisioningClaims(new PersistenceSettings(), dir);
        var earlierRun = $"akka.tcp://kuiper@127.0.0.1:{remotingPort}#42";
        Assert.Equal(new ProvisioningClaim.Granted(null), await claims.ClaimAsync(Version(Ruleset), earlierRun, TimeSpan.FromMinutes(1), default));

        await using var node = await NodeProcess.StartAsync(dir,
            ["--Logging:LogLevel:Kuiper.Node.Provisioning=Information", "--Kuiper:Provisioning:ClaimTimeout=00:10:00", $"--Kuiper:Cluster:Port={remotingPort}"]);

        await EventuallyOutputAsync(node, $"taking over from {earlierRun}");
        await EventuallyOutputAsync(node, $"init.json version {Version(Ruleset)}: {Imported}");
    }

    [Fact]
    public async Task Two_nodes_starting_together_with_the_same_file_import_it_once()
    {
        // A second import of the versioned rule would be refused ("already exists with version (1)") and show in the status.
        const string ruleset = """
            {"streams":{"s":"CREATE STREAM s () WITH (TYPE=\"memory\")"},
             "rules":{"r":"{\"id\":\"r\",\"version\":\"1\",\"sql\":\"SELECT * FROM s\",\"actions\":[{\"log\":{}}]}"}}
            """;
        await using var database = await PostgresDatabase.CreateAsync();
        var ports = new[] { NodeProcess.FreeTcpPort(), NodeProcess.FreeTcpPort() };
        string[] Args(int i) => [.. database.NodeArgs, .. Verbose, $"--Kuiper:Cluster:Port={ports[i]}",
            $"--Kuiper:Cluster:SeedNodes:0=akka.tcp://kuiper@127.0.0.1:{ports[0]}"];

        var started = await Task.WhenAll(NodeProcess.StartAsync(DataDirWith(ruleset), Args(0)), NodeProcess.StartAsync(DataDirWith(ruleset), Args(1)));
        await using var first = started[0];
        await using var second = started[1];

        foreach (var node in started) await EventuallyExportAsync(node, "\"rules\":{\"r\":");
        var importedLine = $"init.json version {Version(ruleset)}: imported 1 streams, 0 tables and 1 rules";
        await TestCluster.EventuallyAsync(() => Task.FromResult(started.Count(n => n.Output.Contains("was imported already", StringComparison.Ordinal))),
            count => count == 1, Within, "the other node finding the version imported");
        Assert.Equal(1, started.Count(n => n.Output.Contains(importedLine, StringComparison.Ordinal)));
        Assert.Equal(1, await database.CountAsync("SELECT COUNT(*) FROM kuiper_provisioning WHERE finished_at IS NOT NULL"));
        foreach (var node in started)
            Assert.StartsWith("{\"streams\":{},\"tables\":{},\"rules\":{},", (await node.Client.GetReplyAsync("/data/import/status")).Body);
    }

    [Fact]
    public async Task Concurrent_claims_on_PostgreSQL_grant_one_and_a_lapsed_claim_is_taken_over_by_one()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var settings = new PersistenceSettings { Provider = PersistenceSettings.Postgres, ConnectionString = database.ConnectionString };
        var claims = new ProvisioningClaims(settings, "unused");

        var first = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => claims.ClaimAsync("v1", $"akka.tcp://kuiper@10.0.0.{i}:4053#1", TimeSpan.FromMinutes(1), default))));
        Assert.Single(first, c => c is ProvisioningClaim.Granted);
        Assert.Equal(15, first.Count(c => c is ProvisioningClaim.HeldBy));

        // With a timeout of zero every claim has lapsed: still only one node takes it.
        var second = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => claims.ClaimAsync("v1", $"akka.tcp://kuiper@10.0.1.{i}:4053#1", TimeSpan.Zero, default))));
        var takeOvers = second.OfType<ProvisioningClaim.Granted>().ToList();
        Assert.NotEmpty(takeOvers);
        Assert.All(takeOvers, t => Assert.NotNull(t.TakenFrom));
        // Each take-over replaced a distinct holder (a compare-and-set): no two nodes took the same claim.
        Assert.Equal(takeOvers.Count, takeOvers.Select(t => t.TakenFrom).Distinct().Count());

        await claims.FinishAsync("v1", (await HolderAsync(database))!, "imported 0 streams, 0 tables and 0 rules", default);
        var done = await claims.ClaimAsync("v1", "akka.tcp://kuiper@10.0.2.1:4053#1", TimeSpan.Zero, default);
        Assert.Equal("imported 0 streams, 0 tables and 0 rules", Assert.IsType<ProvisioningClaim.Done>(done).Outcome);
    }

    private static async Task<string?> HolderAsync(PostgresDatabase database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT claimed_by FROM kuiper_provisioning WHERE file_sha256 = 'v1'", connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
