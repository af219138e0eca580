using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Kuiper.Tests.Harness;
using Xunit.Abstractions;

namespace Kuiper.Tests.Upgrades;

/// <summary>
/// What the previous release wrote opens with the current build: a node of the previous release (compat/previous-release)
/// takes a sizeable configuration, a stopped rule and a few more imports; it is stopped as an operator stops it and the
/// current build starts on the same data folder (SQLite) or journal (PostgreSQL). The export is the same bytes, the rule
/// is still stopped, the status and history are kept, and the next import goes through.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("builds the previous release and starts node processes of it and of the current build, one on PostgreSQL")]
public sealed class DataUpgradeTests(ITestOutputHelper output)
{
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(30);

    [Fact]
    public Task A_sqlite_data_folder_of_the_previous_release_opens_with_the_current_build() => UpgradeAsync("SQLite", []);

    [Fact]
    public async Task A_postgres_journal_of_the_previous_release_opens_with_the_current_build()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await UpgradeAsync("PostgreSQL", database.NodeArgs);
    }

    private async Task UpgradeAsync(string provider, string[] args)
    {
        var clock = Stopwatch.StartNew();
        var previous = await PreviousRelease.NodeDllAsync();
        var built = clock.Elapsed;
        await using var node = NodeProcess.Prepare(null, args).RunWith(previous);
        await node.StartAgainAsync();
        var client = node.Client;

        // What the previous release is given: a full import of some size, a bundle of awkward texts (every kind a node
        // stores without plugins: configs, uploads, scripts), a rule stopped, two more imports for the history.
        UpgradeBundle.AssertSucceeded(await client.ImportAsync(UpgradeBundle.Generate("g", streams: 20, tables: 10, rules: 300)), "full import");
        UpgradeBundle.AssertSucceeded(await client.ImportAsync(AwkwardBundle.Json, "?partial=1"), "awkward partial import");
        var stop = await client.PostRawAsync("/rules/gr007/stop", "");
        Assert.True(stop.Status == HttpStatusCode.OK, $"stop rule: {(int)stop.Status} {stop.Body}");
        UpgradeBundle.AssertSucceeded(await client.ImportAsync(UpgradeBundle.Rules(("h1", "gs1"), ("h2", "gs2")), "?partial=1"), "partial import");
        UpgradeBundle.AssertSucceeded(await client.ImportAsync(UpgradeBundle.Rules(("h3", "gs3")), "?partial=1"), "partial import");

        var export = await client.ExportAsync();
        var status = await client.GetStringAsync("/data/import/status");
        var history = await client.GetStringAsync("/data/imports?limit=100");
        var stoppedRule = await client.GetStringAsync("/rules/gr007/status");
        var ids = UpgradeBundle.HistoryIds(history);
        Assert.True(ids.Count >= 4, "harness: the previous release recorded fewer than 4 imports: " + history);
        // The configuration the first import left, as the history restores it: read back from the journal of the old release.
        var firstImportExport = await client.GetStringAsync($"/data/imports/{ids[^1]}/export");
        var rules = UpgradeBundle.Names(export, "rules");
        Assert.True(new[] { "gr000", "gr007", "gr299", "123", "007", "h1", "h2", "h3" }.All(rules.Contains),
            "harness: the previous release's export lacks rules it acknowledged: " + export[..Math.Min(500, export.Length)]);

        // The upgrade: stopped as a service is, started again on the same folder with the current build.
        var stopped = Stopwatch.StartNew();
        var code = await node.StopGracefullyAsync(StopWithin);
        var stopTook = stopped.Elapsed;
        Assert.True(code == 0, $"the previous release exited with {code} on SIGTERM:\n{node.Output}");
        node.RunWith(null);
        var started = Stopwatch.StartNew();
        await node.StartAgainAsync();
        var startTook = started.Elapsed;

        var after = await client.ExportAsync();
        Assert.True(export == after, $"the export changed across the upgrade ({export.Length} bytes before, {after.Length} after)");
        Assert.Equal(stoppedRule, await client.GetStringAsync("/rules/gr007/status"));
        using (var rule = JsonDocument.Parse(stoppedRule))
            Assert.False(rule.RootElement.GetProperty("triggered").GetBoolean(), "harness: the stopped rule said triggered: " + stoppedRule);
        Assert.Equal(status, await client.GetStringAsync("/data/import/status"));
        Assert.Equal(ids, UpgradeBundle.HistoryIds(await client.GetStringAsync("/data/imports?limit=100")));
        Assert.True(firstImportExport == await client.GetStringAsync($"/data/imports/{ids[^1]}/export"),
            "the configuration the first import left, read back from the history, changed across the upgrade");

        // And the current build goes on from there.
        UpgradeBundle.AssertSucceeded(await client.ImportAsync(UpgradeBundle.Rules(("after", "gs4")), "?partial=1"), "import after the upgrade");
        var next = await client.ExportAsync();
        Assert.Contains("after", UpgradeBundle.Names(next, "rules"));
        Assert.Equal(ids.Count + 1, UpgradeBundle.HistoryIds(await client.GetStringAsync("/data/imports?limit=100")).Count);

        var line = $"data upgrade ({provider}) {PreviousRelease.VersionOf(previous)} ({PreviousRelease.ShortCommit}) -> {PreviousRelease.VersionOf(NodeBuild.DllPath)}: " +
                   $"export of {export.Length} bytes ({UpgradeBundle.Names(export, "rules").Count} rules) byte-identical, {ids.Count} history records kept; " +
                   $"previous release's build {built.TotalSeconds:0.0} s (0 when kept from an earlier run or built by another test), " +
                   $"stop {stopTook.TotalSeconds:0.0} s, current build ready {startTook.TotalSeconds:0.0} s after its start; test {clock.Elapsed.TotalSeconds:0.0} s";
        output.WriteLine(line);
        UpgradeBundle.Record("data-upgrade.txt", line);
    }
}
