using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kuiper.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kuiper.Tests.Console;

/// <summary>
/// The web console (<c>/console/</c>) in a real browser against a real node: import, a failed import, the last import,
/// history with its diff and restore, export downloads. Screenshots: <see cref="ConsoleBrowser.ScreenshotDir"/>.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("drives Chromium against a node process")]
public sealed class ConsoleTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly string SeedFile = Path.Combine(NodeBuild.RepoRoot, "examples", "seed-bundle.json");

    private NodeProcess Node => fixture.Node;

    [Fact]
    public async Task The_page_is_served_from_the_node_with_its_own_files_only()
    {
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Node.BaseAddress };
        var redirect = await noRedirects.GetAsync("/console");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/console/", new Uri(Node.BaseAddress, redirect.Headers.Location!).AbsolutePath);
        var page = await Node.Client.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        var html = await page.Content.ReadAsStringAsync();
        // No CDN: every script and stylesheet is the node's own.
        Assert.DoesNotMatch(@"(src|href)=""(https?:)?//", html);
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.GetAsync("/console/console.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.GetAsync("/console/console.css")).StatusCode);
    }

    [Fact]
    public async Task Importing_the_seed_bundle_from_a_file_shows_every_item_imported_the_last_import_and_its_history()
    {
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.ImportAsync("{}")).Status);
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.OpenAsync(Node);

        await page.Locator("#bundle-file").SetInputFilesAsync(SeedFile);
        await page.Locator("#import-run").ClickAsync();

        await Expect(page.GetByTestId("import-outcome")).ToHaveTextAsync("Imported: every item succeeded.");
        var items = page.Locator("[data-testid=import-items] tbody tr");
        await Expect(items).ToHaveCountAsync(6);
        await Expect(page.Locator("[data-testid=import-items] tr.failed")).ToHaveCountAsync(0);
        await Expect(page.Locator("tr[data-kind=rules][data-name=rule2] td").Nth(2)).ToHaveTextAsync("ok");
        await ConsoleBrowser.ScreenshotAsync(page, "01-import-seed-bundle");
        Assert.Equal(SeedBundle.Exported, await Node.Client.ExportAsync());
        // The console ran it as eKuiper's async import (for its progress): the record's id is the task's.
        var newestRecord = JsonDocument.Parse((await Node.Client.GetReplyAsync("/data/imports?limit=1")).Body).RootElement[0];
        Assert.StartsWith("dataImport-", newestRecord.GetProperty("id").GetString());

        await page.Locator("nav a[data-tab=status]").ClickAsync();
        var status = page.GetByTestId("status-body");
        await Expect(status.Locator(".ok")).ToHaveTextAsync("succeeded");
        await Expect(status.Locator("tbody tr", new() { HasText = "rules" }).Locator("td").Nth(1)).ToHaveTextAsync("2");
        await ConsoleBrowser.ScreenshotAsync(page, "02-last-import");

        // History: the seed import and the empty one before it; the diff between them adds the seed's items.
        await page.Locator("nav a[data-tab=history]").ClickAsync();
        var newest = page.Locator("[data-testid=history-table] tbody tr").First;
        await Expect(newest.Locator("td").Nth(3)).ToHaveTextAsync(new Regex("^6 imported, 0 failed"));
        await newest.GetByRole(AriaRole.Button, new() { Name = "Diff" }).ClickAsync();
        var plan = page.Locator("[data-testid=history-detail] [data-testid=plan]");
        await Expect(plan.Locator("tr", new() { HasText = "rules" }).Locator("td").Nth(1)).ToHaveTextAsync("rule1, rule2");
        await ConsoleBrowser.ScreenshotAsync(page, "03-history-diff");
    }

    [Fact]
    public async Task A_write_through_the_REST_API_is_in_the_history_and_the_last_import_stays_the_import()
    {
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.ImportAsync(SeedBundle.Json)).Status);
        using var tags = new HttpRequestMessage(HttpMethod.Put, "/rules/rule1/tags") { Content = new StringContent("""{"tags":["north"]}""") };
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.SendAsync(tags)).StatusCode);
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.OpenAsync(Node);

        await page.Locator("nav a[data-tab=history]").ClickAsync();
        var rows = page.Locator("[data-testid=history-table] tbody tr");
        await Expect(rows.First.Locator("td").Nth(1)).ToHaveTextAsync("change: rules rule1 (set)");
        await Expect(rows.Nth(1).Locator("td").Nth(1)).ToHaveTextAsync("full");
        await ConsoleBrowser.ScreenshotAsync(page, "06-history-change");

        await page.Locator("nav a[data-tab=status]").ClickAsync();
        await Expect(page.GetByTestId("status-body").Locator("tbody tr", new() { HasText = "rules" }).Locator("td").Nth(1)).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task A_failed_import_shows_its_errors_highlighted_and_a_restore_brings_back_an_earlier_configuration()
    {
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.ImportAsync(SeedBundle.Json)).Status);
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.OpenAsync(Node);

        const string broken = """
            {"streams": {"broken": "CREATE STREAM broken (", "fine": "CREATE STREAM fine () WITH (TYPE=\"memory\")"},
             "rules": {"orphan": "{\"id\":\"orphan\",\"sql\":\"SELECT * FROM nowhere\",\"actions\":[{\"log\":{}}]}"}}
            """;
        await page.Locator("#bundle-text").FillAsync(broken);
        await page.Locator("#opt-partial").CheckAsync();
        await page.Locator("#import-run").ClickAsync();

        await Expect(page.GetByTestId("import-outcome")).ToHaveTextAsync("2 items failed; the others were imported.");
        var failed = page.Locator("[data-testid=import-items] tr.failed");
        await Expect(failed).ToHaveCountAsync(2);
        await Expect(page.Locator("tr.failed[data-kind=streams][data-name=broken] td").Nth(2))
            .ToHaveTextAsync("failed: found \"EOF\", expect stream field name.");
        await Expect(page.Locator("tr.failed[data-kind=rules][data-name=orphan]")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-kind=streams][data-name=fine]")).Not.ToHaveClassAsync("failed");
        await ConsoleBrowser.ScreenshotAsync(page, "04-failed-import");
        var status = JsonDocument.Parse((await Node.Client.GetReplyAsync("/data/import/status")).Body).RootElement;
        Assert.Equal("found \"EOF\", expect stream field name.", status.GetProperty("streams").GetProperty("broken").GetString());

        await page.Locator("nav a[data-tab=status]").ClickAsync();
        await Expect(page.GetByTestId("status-body").Locator(".bad")).ToHaveTextAsync("failed");
        await Expect(page.GetByTestId("status-body").Locator("tr.failed")).ToHaveCountAsync(2);

        // Restore the seed import (the second row): the partial import's stream goes away again.
        await page.Locator("nav a[data-tab=history]").ClickAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        var seedRow = page.Locator("[data-testid=history-table] tbody tr").Nth(1);
        await Expect(seedRow.Locator("td").Nth(3)).ToHaveTextAsync(new Regex("^6 imported, 0 failed"));
        await seedRow.GetByRole(AriaRole.Button, new() { Name = "Restore" }).ClickAsync();
        await Expect(page.GetByTestId("history-detail")).ToHaveTextAsync("Restored.");
        await Expect(page.Locator("[data-testid=history-table] tbody tr").First.Locator("td").Nth(1)).ToHaveTextAsync("full restore");
        await ConsoleBrowser.ScreenshotAsync(page, "05-history-restored");
        Assert.Equal(SeedBundle.Exported, await Node.Client.ExportAsync());
    }

    [Fact]
    public async Task Export_downloads_everything_or_the_chosen_rules()
    {
        Assert.Equal(HttpStatusCode.OK, (await Node.Client.ImportAsync(SeedBundle.Json)).Status);
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.OpenAsync(Node, "export");

        var everything = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-all").ClickAsync());
        Assert.Matches(@"^kuiper-export-.*\.json$", everything.SuggestedFilename);
        Assert.Equal(SeedBundle.Exported, await File.ReadAllTextAsync((await everything.PathAsync())!));

        await page.Locator("[data-testid=export-rules] input[data-rule=rule1]").CheckAsync();
        var chosen = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-chosen").ClickAsync());
        var expected = await (await Node.Client.PostAsync("/data/export", new StringContent("[\"rule1\"]", Encoding.UTF8, "application/json")))
            .Content.ReadAsStringAsync();
        Assert.Contains("\"rule1\"", expected);
        Assert.DoesNotContain("\"rule2\"", expected);
        Assert.Equal(expected, await File.ReadAllTextAsync((await chosen.PathAsync())!));
        await ConsoleBrowser.ScreenshotAsync(page, "06-export");
    }

    [Fact]
    public async Task On_a_tablet_the_import_page_fits_the_width()
    {
        await using var browser = await ConsoleBrowser.LaunchAsync(820, 1180);
        var page = await browser.OpenAsync(Node);
        var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than a tablet");
        await ConsoleBrowser.ScreenshotAsync(page, "07-tablet-import");
    }
}
