using System.Net;
using Kuiper.Tests.Harness;
using Kuiper.Tests.Security;

namespace Kuiper.Tests.Cli;

/// <summary>The data verbs and the new endpoints on a node with authentication on.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process and runs the built executable as a client")]
public sealed class DataVerbsTokenTests(AuthenticatedNodeFixture fixture) : IClassFixture<AuthenticatedNodeFixture>
{
    [Theory]
    [InlineData("POST", "/ruleset/import")]
    [InlineData("POST", "/ruleset/export")]
    [InlineData("GET", "/v2/data/export")]
    [InlineData("POST", "/v2/data/export")]
    [InlineData("POST", "/v2/data/import")]
    public async Task The_ruleset_and_yaml_endpoints_need_a_token(string method, string path)
    {
        using var anonymous = new HttpClient { BaseAddress = fixture.Node.BaseAddress };

        using var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("missing_token", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task The_data_verbs_send_the_token_from_the_option_or_the_environment()
    {
        var folder = NodeProcess.NewDataDir();
        var node = fixture.Node.BaseAddress.ToString();

        var refused = await CliProcess.RunWithTokenAsync(folder, null, "getstatus", "import", "--node", node);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("401 Unauthorized: missing_token (the node needs a token: --token or KUIPER_TOKEN)\n", refused.Err);

        var fromEnvironment = await CliProcess.RunWithTokenAsync(folder, fixture.Token(), "export", "ruleset", "r.json", "--node", node);
        Assert.True(fromEnvironment.ExitCode == 0, fromEnvironment.ToString());
        Assert.StartsWith("exported ", fromEnvironment.Out);

        var fromOption = await CliProcess.RunWithTokenAsync(folder, null, "import", "ruleset", "-f", Path.Combine(folder, "r.json"), "--node", node,
            "--token", fixture.Token());
        Assert.True(fromOption.ExitCode == 0, fromOption.ToString());
        Assert.StartsWith("imported ", fromOption.Out);
        Directory.Delete(folder, recursive: true);
    }
}
