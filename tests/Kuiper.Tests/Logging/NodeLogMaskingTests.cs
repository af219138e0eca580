using System.Net;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Logging;

/// <summary>
/// A real node's output with secrets masked: a request line carrying a password, logged as ASP.NET Core logs every request
/// once an operator turns its level up, reaches the console (and the captured log file) with <c>******</c> in their place.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class NodeLogMaskingTests
{
    [Fact]
    public async Task A_request_logged_with_passwords_in_its_query_shows_them_masked()
    {
        using var logs = new Artefacts.TempDir();
        var outer = Environment.GetEnvironmentVariable(NodeProcess.LogDirVariable);
        // The collection runs alone: no other node reads the variable while this one starts.
        Environment.SetEnvironmentVariable(NodeProcess.LogDirVariable, logs.Path);
        try
        {
            await using var node = await NodeProcess.StartAsync(null, "--Logging:LogLevel:Microsoft.AspNetCore.Hosting=Information");
            var query = $"/rules?password={TestSecrets.QueryPassword}&server=tcp://admin:{TestSecrets.UrlPassword}@10.0.0.1:1883";
            using (var reply = await node.Client.GetAsync(query))
                Assert.Equal(HttpStatusCode.OK, reply.StatusCode);

            const string masked = "/rules?password=******&server=tcp://admin:******@10.0.0.1:1883 - 200";
            var output = await TestCluster.EventuallyAsync(() => Task.FromResult(node.Output), o => o.Contains(masked, StringComparison.Ordinal),
                TimeSpan.FromSeconds(30), "the request's line in the node's output");
            Assert.Contains("Request finished HTTP/1.1 GET http://127.0.0.1:", output);
            Assert.DoesNotContain(TestSecrets.QueryPassword, output);
            Assert.DoesNotContain(TestSecrets.UrlPassword, output);

            var (code, scan) = ScanTestLogsScriptTests.Scan(logs.Path);
            Assert.True(code == 0, scan);
            var file = Assert.Single(Directory.GetFiles(logs.Path));
            Assert.Contains(Path.GetFileName(node.DataDir), file);
            Assert.Contains(masked, await File.ReadAllTextAsync(file));
        }
        finally
        {
            Environment.SetEnvironmentVariable(NodeProcess.LogDirVariable, outer);
        }
    }
}
