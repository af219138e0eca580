using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Http;

/// <summary><c>GET /metrics</c> (ours): Prometheus text, scraped from a real node after real imports.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class MetricsTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private HttpClient Client => fixture.Client;

    private async Task<string> ScrapeAsync()
    {
        var response = await Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The value of one series, or null when the scrape does not have it. Labels are given in exposition order.</summary>
    private static double? Value(string scrape, string series)
    {
        var match = Regex.Match(scrape, "^" + Regex.Escape(series) + @" (\S+)", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static double Labelled(string scrape, string name, params string[] labels)
    {
        // The exporter orders labels itself (and adds otel_scope_* ones): find the line by name and every label.
        var lines = scrape.Split('\n').Where(l => l.StartsWith(name + "{", StringComparison.Ordinal)
            && labels.All(label => l.Contains(label, StringComparison.Ordinal))).ToArray();
        Assert.True(lines.Length == 1, $"one series {name} with {string.Join(",", labels)} expected, found {lines.Length}:\n{scrape}");
        return double.Parse(lines[0][(lines[0].LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_scrape_after_an_import_shows_that_import_and_its_items()
    {
        var before = await ScrapeAsync();
        double Before(string name, params string[] labels) =>
            before.Split('\n').Any(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(x => l.Contains(x, StringComparison.Ordinal)))
                ? Labelled(before, name, labels) : 0;

        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);
        var failed = await Client.ImportAsync("""{"streams":{"broken":"CREATE STREAM broken ("}}""", "?partial=1");
        Assert.Equal(HttpStatusCode.BadRequest, failed.Status);

        var after = await ScrapeAsync();
        Assert.Equal(Before("kuiper_imports_total", "mode=\"full\"", "apply=\"always\"", "outcome=\"succeeded\"") + 1,
            Labelled(after, "kuiper_imports_total", "mode=\"full\"", "apply=\"always\"", "outcome=\"succeeded\""));
        Assert.Equal(Before("kuiper_imports_total", "mode=\"partial\"", "apply=\"always\"", "outcome=\"failed\"") + 1,
            Labelled(after, "kuiper_imports_total", "mode=\"partial\"", "apply=\"always\"", "outcome=\"failed\""));
        // The seed bundle: one stream, one table, two rules, one source and one sink configuration.
        Assert.Equal(Before("kuiper_import_items_total", "kind=\"streams\"", "result=\"imported\"") + 1,
            Labelled(after, "kuiper_import_items_total", "kind=\"streams\"", "result=\"imported\""));
        Assert.Equal(Before("kuiper_import_items_total", "kind=\"rules\"", "result=\"imported\"") + 2,
            Labelled(after, "kuiper_import_items_total", "kind=\"rules\"", "result=\"imported\""));
        Assert.Equal(Before("kuiper_import_items_total", "kind=\"streams\"", "result=\"failed\"") + 1,
            Labelled(after, "kuiper_import_items_total", "kind=\"streams\"", "result=\"failed\""));
        Assert.Equal(Before("kuiper_import_duration_seconds_count", "mode=\"full\"", "outcome=\"succeeded\"") + 1,
            Labelled(after, "kuiper_import_duration_seconds_count", "mode=\"full\"", "outcome=\"succeeded\""));
        Assert.Contains("kuiper_import_duration_seconds_bucket{", after);
        Assert.Contains("kuiper_journal_write_duration_seconds_count", after);
        Assert.DoesNotContain("broken", after);
        Assert.DoesNotContain("rule1", after);
    }

    [Fact]
    public async Task An_async_import_is_counted_when_its_task_ends()
    {
        var before = await ScrapeAsync();
        double Count(string scrape, params string[] labels) =>
            scrape.Split('\n').Any(l => l.StartsWith("kuiper_imports_total{", StringComparison.Ordinal) && labels.All(x => l.Contains(x, StringComparison.Ordinal)))
                ? Labelled(scrape, "kuiper_imports_total", labels) : 0;
        string[] partialSucceeded = ["mode=\"partial\"", "apply=\"always\"", "outcome=\"succeeded\""];

        var started = await Client.PostRawAsync("/async/data/import?partial=1", KuiperApi.ContentBody(SeedBundle.Json));
        Assert.Equal(HttpStatusCode.OK, started.Status);
        var id = System.Text.Json.JsonDocument.Parse(started.Body).RootElement.GetProperty("id").GetString();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(await Client.GetReplyAsync($"/async/task/{id}")).Body.Contains("\"status\":\"finish\"", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the async import never finished");
            await Task.Delay(100);
        }

        Assert.Equal(Count(before, partialSucceeded) + 1, Count(await ScrapeAsync(), partialSucceeded));
    }

    [Fact]
    public async Task The_fleet_gauges_show_what_is_stored_hosted_and_installed_here()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.ImportAsync(SeedBundle.Json)).Status);

        // Gauges that need a cluster query are read soon after an import through this node: poll with a deadline.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string scrape;
        while (true)
        {
            scrape = await ScrapeAsync();
            if (scrape.Contains("kuiper_resources_stored{", StringComparison.Ordinal)
                && Labelled(scrape, "kuiper_resources_stored", "kind=\"rules\"") == 2
                && Labelled(scrape, "kuiper_resources_stored", "kind=\"streams\"") == 1) break;
            Assert.True(DateTime.UtcNow < deadline, "the stored resources never showed the seed bundle:\n" + scrape);
            await Task.Delay(200);
        }
        Assert.Equal(1, Labelled(scrape, "kuiper_resources_stored", "kind=\"tables\""));
        Assert.Equal(0, Labelled(scrape, "kuiper_resources_stored", "kind=\"Service\""));
        // One node holds every partition of every kind it has touched.
        Assert.True(Labelled(scrape, "kuiper_partitions_hosted", "kind=\"rules\"") >= 1);
        Assert.True(Labelled(scrape, "kuiper_entities_hosted", "kind=\"rules\"") >= 1);
        Assert.Equal(1, Labelled(scrape, "kuiper_cluster_members", "status=\"up\""));
        Assert.Equal(0, Labelled(scrape, "kuiper_cluster_members", "status=\"down\""));
        Assert.Equal(0, Value(scrape, "kuiper_cluster_unreachable") ?? Labelled(scrape, "kuiper_cluster_unreachable"));
        Assert.Equal(0, Labelled(scrape, "kuiper_artefacts_installs", "kind=\"portablePlugins\"", "state=\"failed\""));
        // The runtime's own.
        Assert.Matches(@"(?m)^dotnet_gc_collections_total\{", scrape);
        Assert.Matches(@"(?m)^dotnet_thread_pool_thread_count_total\{", scrape);
    }

    [Fact]
    public async Task A_scrape_names_the_release_this_node_runs_and_counts_the_members_by_release()
    {
        var scrape = await ScrapeAsync();

        Assert.Equal(1, Labelled(scrape, "kuiper_build_info", $"version=\"{RepositoryRelease.Version}\""));
        // The commit the SDK stamped on the build: the repository's HEAD when the tests were built.
        Assert.Matches($@"(?m)^kuiper_build_info\{{.*commit=""[0-9a-f]{{40}}"".*\}} 1$", scrape);
        Assert.Equal(1, Labelled(scrape, "kuiper_cluster_versions", $"version=\"{RepositoryRelease.Version}\""));
    }
}
