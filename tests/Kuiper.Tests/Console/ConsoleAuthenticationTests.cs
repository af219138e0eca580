using System.Net;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Security;
using static Microsoft.Playwright.Assertions;

namespace Kuiper.Tests.Console;

/// <summary>
/// With authentication on, the console's page is served without a token (it holds no data), the API behind it,
/// <c>/metrics</c> and <c>/openapi/v1.json</c> ask for one, and a token pasted into the page opens the views.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("drives Chromium against a node process")]
public sealed class ConsoleAuthenticationTests(AuthenticatedNodeFixture fixture) : IClassFixture<AuthenticatedNodeFixture>
{
    [Fact]
    public async Task The_page_is_open_the_data_needs_the_pasted_token()
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Node.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/console/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Node.Client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Node.Client.GetAsync("/openapi/v1.json")).StatusCode);

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.OpenAsync(fixture.Node, "cluster");
        await Expect(page.Locator("#notice")).ToHaveTextAsync(
            "The node asks for a token (authentication is on): paste one at the top right. (missing_token)");
        await Expect(page.Locator("[data-testid=members-table] tbody tr")).ToHaveCountAsync(0);

        await page.Locator("#token").FillAsync(fixture.Token());
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Use" }).ClickAsync();
        await Expect(page.Locator("[data-testid=members-table] tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid=members-table] tbody tr td").Nth(1)).ToHaveTextAsync("Up");
        await Expect(page.Locator("#notice")).ToBeHiddenAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "09-token-pasted");
    }
}
