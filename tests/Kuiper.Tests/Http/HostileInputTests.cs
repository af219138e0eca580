using System.Diagnostics;
using System.Net;
using Kuiper.Tests.Harness;
using Xunit.Abstractions;

namespace Kuiper.Tests.Http;

/// <summary>One node for the whole corpus, with a small body limit and hostile archives in its uploads folder.</summary>
public sealed class HostileNodeFixture : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;

    public string Uploads => Path.Combine(Node.DataDir, "uploads");

    /// <summary>A client that never retries and keeps no connection a hostile request may have poisoned.</summary>
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Node = await NodeProcess.StartAsync(null, $"--Kuiper:Import:MaxRequestBytes={HostileCorpus.MaxRequestBytes}");
        Directory.CreateDirectory(Uploads);
        await File.WriteAllTextAsync(Path.Combine(Uploads, "fake.zip"), "this is not a zip");
        await PythonAsync("""
            import sys, zipfile
            d = sys.argv[1]
            # A zip bomb: 300 MB of zeros deflate to about 300 KB.
            with zipfile.ZipFile(d + '/bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z:
                with z.open('bomb.so', 'w', force_zip64=True) as f:
                    chunk = bytes(1 << 20)
                    for _ in range(300):
                        f.write(chunk)
            with zipfile.ZipFile(d + '/many.zip', 'w') as z:
                for i in range(10001):
                    z.writestr('f%d.so' % i, '')
            with zipfile.ZipFile(d + '/escape.zip', 'w') as z:
                z.writestr('../../evil.so', 'x')
            """, Uploads);
        Client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, MaxConnectionsPerServer = 4 })
        {
            BaseAddress = Node.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    private static async Task PythonAsync(string script, string argument)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("python3 failed: " + error);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Node.DisposeAsync();
    }
}

/// <summary>
/// The hostile-input corpus (<see cref="HostileCorpus"/>) against one real node: every request answered within a few
/// seconds, completely, never with a 5xx, and with eKuiper's exact answer where it defines one; the node still
/// answers afterwards.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class HostileInputTests(HostileNodeFixture fixture, ITestOutputHelper output) : IClassFixture<HostileNodeFixture>
{
    /// <summary>Generous for 2 shared cores; the slowest request of the corpus takes about a second.</summary>
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(15);

    public static IEnumerable<object[]> Corpus => HostileCorpus.Cases;

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task A_hostile_request_is_answered_completely_in_seconds_and_never_with_a_5xx(string name)
    {
        var request = HostileCorpus.Named(name);
        var started = Stopwatch.StartNew();

        var reply = await HostileClient.SendAsync(fixture.Client, fixture.Node.BaseAddress, request, fixture.Uploads, PerRequest);

        output.WriteLine($"{reply.Status} in {started.ElapsedMilliseconds} ms: {Shorten(reply.Body)}");
        Assert.True(reply.Status < 500, $"{name}: {reply.Status} {Shorten(reply.Body)}\n{Shorten(fixture.Node.Output, 4000)}");
        if (request.Status is { } status) Assert.Equal((int)status, reply.Status);
        if (request.Expected is { } expected) Assert.Equal(expected, reply.Body);
        // The node is still there and answers.
        using var ping = await fixture.Client.GetAsync("/ping");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
    }

    [Fact]
    public async Task Refused_management_writes_change_nothing_that_is_stored()
    {
        var before = await fixture.Client.GetStringAsync("/data/export");

        foreach (var request in HostileCorpus.RefusedManagementWrites)
        {
            var reply = await HostileClient.SendAsync(fixture.Client, fixture.Node.BaseAddress, request, fixture.Uploads, PerRequest);
            Assert.True(reply.Status is >= 400 and < 500, $"{request.Name}: {reply.Status} {Shorten(reply.Body)}");
            Assert.True(before == await fixture.Client.GetStringAsync("/data/export"), $"{request.Name} changed what is stored");
        }
    }

    [Fact]
    public void The_corpus_has_at_least_150_requests_across_every_endpoint_and_kind()
    {
        var corpus = HostileCorpus.All;
        output.WriteLine($"hostile corpus: {corpus.Count} requests");

        Assert.True(corpus.Count >= 150, $"only {corpus.Count} requests");
        Assert.Equal(corpus.Count, corpus.Select(r => r.Name).Distinct().Count());
        foreach (var path in new[] { "/data/import", "/data/export", "/streams", "/tables", "/rules", "/metadata/", "/cluster/", "/plugins/", "/schemas/",
                     "/services", "/udf/javascript", "/connections", "/batch/req", "/rules/tags/match", "/rules/validate" })
            Assert.Contains(corpus, r => r.Path.StartsWith(path, StringComparison.Ordinal));
        foreach (var kind in HostileCorpus.Kinds)
            Assert.Contains(corpus, r => r.Name.StartsWith(kind + " ", StringComparison.Ordinal));
        Assert.Contains(corpus, r => r.Raw is not null);
        Assert.Contains(corpus, r => r.Status == HttpStatusCode.RequestEntityTooLarge);
    }

    private static string Shorten(string text, int max = 300) => text.Length <= max ? text : text[..max] + $"... ({text.Length} chars)";
}
