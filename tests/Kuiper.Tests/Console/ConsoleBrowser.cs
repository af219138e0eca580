using Kuiper.Tests.Harness;
using Microsoft.Playwright;

namespace Kuiper.Tests.Console;

/// <summary>
/// Debian's Chromium driven by Playwright for .NET. Playwright's driver (with its own Node.js) ships in the package;
/// its browser download is never used: the gateways' test machines have no internet, so the system's
/// <c>/usr/bin/chromium</c> (installed by scripts/install-test-deps.sh) runs headless with a fresh profile.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private ConsoleBrowser(IPlaywright playwright, IBrowserContext context, string profile)
    {
        (_playwright, Context, _profile) = (playwright, context, profile);
    }

    public IBrowserContext Context { get; }

    /// <summary>
    /// Where screenshots go: <c>$KUIPER_TEST_RESULTS/console</c> (scripts/test.sh sets it to the repository's
    /// <c>TestResults</c>, where .ci/run also keeps the TRX files), else <c>&lt;repo&gt;/TestResults/console</c>.
    /// </summary>
    public static string ScreenshotDir { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("KUIPER_TEST_RESULTS") is { Length: > 0 } results ? results : Path.Combine(NodeBuild.RepoRoot, "TestResults"),
        "console");

    /// <summary>A laptop-sized window unless told otherwise (a tablet: 820 x 1180).</summary>
    public static async Task<ConsoleBrowser> LaunchAsync(int width = 1366, int height = 900)
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/install-test-deps.sh (apt-get install chromium)");
        var playwright = await Playwright.CreateAsync();
        var profile = Path.Combine(Path.GetTempPath(), "kuiper-tests", "chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Timeout = 60_000,
        });
        context.SetDefaultTimeout(30_000);
        return new ConsoleBrowser(playwright, context, profile);
    }

    /// <summary>A page at the node's console, with every console error and failed request kept for the assertion messages.</summary>
    public async Task<IPage> OpenAsync(NodeProcess node, string tab = "import")
    {
        var page = Context.Pages.FirstOrDefault() ?? await Context.NewPageAsync();
        await page.GotoAsync(new Uri(node.BaseAddress, "/console/#" + tab).ToString());
        await page.Locator("nav a.active").WaitForAsync();
        return page;
    }

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDir);
        var path = Path.Combine(ScreenshotDir, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits; the temp folder is disposable anyway.
        }
    }
}
