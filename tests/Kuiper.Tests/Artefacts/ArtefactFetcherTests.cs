using Kuiper.Domain.GoCompat;
using System.Net;
using System.Text;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Tests.Artefacts;

public sealed class ArtefactFetcherTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string Uploads => _dir.Join("data", "uploads");

    public ArtefactFetcherTests() => Directory.CreateDirectory(Uploads);

    public void Dispose() => _dir.Dispose();

    private ArtefactFetcher Fetcher(bool external = false, bool privateNet = false, long maxBytes = FetchOptions.DefaultMaxBytes,
        TimeSpan? timeout = null, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null, HttpMessageHandler? handler = null) =>
        new(new FetchOptions
        {
            UploadsDir = Uploads,
            AllowExternalFileAccess = external,
            EnablePrivateNet = privateNet,
            MaxBytes = maxBytes,
            Timeout = timeout ?? TimeSpan.FromSeconds(20),
            Resolve = resolve,
            Handler = handler,
        });

    private static async Task<string?> ErrorOf(ArtefactFetcher fetcher, string uri)
    {
        using (fetcher)
        {
            var result = await fetcher.FetchAsync(uri, CancellationToken.None);
            Assert.Equal(result.Error is null, result.Bytes is not null);
            return result.Error;
        }
    }

    // ---- file: ----

    [Fact]
    public async Task File_under_uploads_is_read()
    {
        await File.WriteAllTextAsync(Path.Join(Uploads, "a.json"), "{}");
        using var fetcher = Fetcher();
        var result = await fetcher.FetchAsync($"file://{Uploads}/a.json", CancellationToken.None);
        Assert.Null(result.Error);
        Assert.Equal("{}", Encoding.UTF8.GetString(result.Bytes!));
    }

    [Fact]
    public async Task File_outside_uploads_is_refused()
    {
        var outside = _dir.Join("data", "secret.json");
        await File.WriteAllTextAsync(outside, "{}");
        Assert.Equal($"file access denied: path must be under {Uploads}", await ErrorOf(Fetcher(), $"file://{outside}"));
        Assert.Equal($"file access denied: path must be under {Uploads}", await ErrorOf(Fetcher(), $"file://{Uploads}/../secret.json"));
        Assert.Equal($"file access denied: path must be under {Uploads}", await ErrorOf(Fetcher(), "file:///etc/passwd"));
    }

    [Fact]
    public async Task Link_in_uploads_that_leads_out_is_refused()
    {
        var outside = _dir.Join("data", "secret.json");
        await File.WriteAllTextAsync(outside, "secret");
        File.CreateSymbolicLink(Path.Join(Uploads, "link.json"), "../secret.json");
        Directory.CreateSymbolicLink(Path.Join(Uploads, "dir"), _dir.Join("data"));

        Assert.Equal("openat link.json: path escapes from parent", await ErrorOf(Fetcher(), $"file://{Uploads}/link.json"));
        Assert.Equal("openat dir/secret.json: path escapes from parent", await ErrorOf(Fetcher(), $"file://{Uploads}/dir/secret.json"));
    }

    [Fact]
    public async Task Link_that_stays_in_uploads_is_followed()
    {
        Directory.CreateDirectory(Path.Join(Uploads, "real"));
        await File.WriteAllTextAsync(Path.Join(Uploads, "real", "a.txt"), "inside");
        File.CreateSymbolicLink(Path.Join(Uploads, "alias.txt"), "real/a.txt");
        using var fetcher = Fetcher();
        var result = await fetcher.FetchAsync($"file://{Uploads}/alias.txt", CancellationToken.None);
        Assert.Equal("inside", Encoding.UTF8.GetString(result.Bytes!));
    }

    [Fact]
    public async Task Missing_file_in_uploads_is_reported_like_os_Root()
    {
        Assert.Equal("openat none.json: no such file or directory", await ErrorOf(Fetcher(), $"file://{Uploads}/none.json"));
        Assert.Equal("openat sub/none.json: no such file or directory", await ErrorOf(Fetcher(), $"file://{Uploads}/sub/none.json"));
        Directory.Delete(Uploads);
        Assert.Equal("openat none.json: no such file or directory", await ErrorOf(Fetcher(), $"file://{Uploads}/none.json"));
    }

    [Fact]
    public async Task External_access_reads_anywhere_with_stat_texts()
    {
        var outside = _dir.Join("outside.txt");
        await File.WriteAllTextAsync(outside, "x");
        using (var fetcher = Fetcher(external: true))
            Assert.Equal("x", Encoding.UTF8.GetString((await fetcher.FetchAsync($"file://{outside}", CancellationToken.None)).Bytes!));
        Assert.Equal($"stat {_dir.Path}/none: no such file or directory", await ErrorOf(Fetcher(external: true), $"file://{_dir.Path}/none"));
        Assert.Equal($"{_dir.Path} is not a regular file", await ErrorOf(Fetcher(external: true), $"file://{_dir.Path}"));
    }

    [Theory]
    [InlineData("ftp://example.com/a.zip", "unsupported url scheme ftp")]
    [InlineData("abc.zip", "parse \"abc.zip\": invalid URI for request")]
    [InlineData("://x", "parse \"://x\": missing protocol scheme")]
    [InlineData("file:///a%zz", "parse \"file:///a%zz\": invalid URL escape \"%zz\"")]
    [InlineData("http://a b/x", "parse \"http://a b/x\": invalid character \" \" in host name")]
    [InlineData("http://h:8x/x", "parse \"http://h:8x/x\": invalid port \":8x\" after host")]
    [InlineData("", "parse \"\": empty url")]
    public async Task Bad_uris_get_go_texts(string uri, string expected) => Assert.Equal(expected, await ErrorOf(Fetcher(), uri));

    [Fact]
    public async Task File_larger_than_the_cap_is_refused()
    {
        await File.WriteAllBytesAsync(Path.Join(Uploads, "ten.bin"), new byte[10]);
        await File.WriteAllBytesAsync(Path.Join(Uploads, "eleven.bin"), new byte[11]);
        using (var fetcher = Fetcher(maxBytes: 10))
            Assert.Equal(10, (await fetcher.FetchAsync($"file://{Uploads}/ten.bin", CancellationToken.None)).Bytes!.Length);
        Assert.Equal($"file file://{Uploads}/eleven.bin is larger than 10 bytes", await ErrorOf(Fetcher(maxBytes: 10), $"file://{Uploads}/eleven.bin"));
    }

    [Fact]
    public async Task UriFetcher_keeps_its_signature_and_reads_text()
    {
        await File.WriteAllTextAsync(Path.Join(Uploads, "b.json"), "{\"streams\":{}}");
        var (text, error) = await new UriFetcher(Uploads, false).ReadTextAsync($"file://{Uploads}/b.json", CancellationToken.None);
        Assert.Null(error);
        Assert.Equal("{\"streams\":{}}", text);

        await using var server = new LoopbackServer(_ => LoopbackServer.Ok("{}"u8.ToArray()));
        var (_, refused) = await new UriFetcher(Uploads, false).ReadTextAsync(server.Url("/b.json"), CancellationToken.None);
        Assert.Equal($"Get \"{server.Url("/b.json")}\": dial tcp 127.0.0.1:{server.Port}: ip 127.0.0.1 is in internal network", refused);
        var (allowed, _) = await new UriFetcher(Uploads, false, enablePrivateNet: true).ReadTextAsync(server.Url("/b.json"), CancellationToken.None);
        Assert.Equal("{}", allowed);
    }

    // ---- http(s): ----

    [Fact]
    public async Task Http_download_with_private_net_enabled()
    {
        await using var server = new LoopbackServer(r => r.Path == "/p.zip" ? LoopbackServer.Ok("zipbytes"u8.ToArray()) : new LoopbackServer.Response(404));
        using var fetcher = Fetcher(privateNet: true);
        var result = await fetcher.FetchAsync(server.Url("/p.zip"), CancellationToken.None);
        Assert.Null(result.Error);
        Assert.Equal("zipbytes", Encoding.UTF8.GetString(result.Bytes!));
    }

    [Fact]
    public async Task Non_200_is_reported_with_go_status_text()
    {
        await using var server = new LoopbackServer(_ => new LoopbackServer.Response(404));
        Assert.Equal("cannot download the file with status: 404 Not Found", await ErrorOf(Fetcher(privateNet: true), server.Url("/none.zip")));
        await using var failing = new LoopbackServer(_ => new LoopbackServer.Response(500));
        Assert.Equal("cannot download the file with status: 500 Internal Server Error", await ErrorOf(Fetcher(privateNet: true), failing.Url("/x")));
    }

    [Fact]
    public async Task Redirects_are_followed_hop_by_hop()
    {
        await using var server = new LoopbackServer(r => r.Path switch
        {
            "/a" => LoopbackServer.Redirect("/b", 301),
            "/b" => LoopbackServer.Redirect("/c", 307),
            "/c" => LoopbackServer.Ok("done"u8.ToArray()),
            _ => new LoopbackServer.Response(404),
        });
        using var fetcher = Fetcher(privateNet: true);
        var result = await fetcher.FetchAsync(server.Url("/a"), CancellationToken.None);
        Assert.Equal("done", Encoding.UTF8.GetString(result.Bytes!));
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task Redirect_to_another_scheme_is_refused()
    {
        await using var server = new LoopbackServer(_ => LoopbackServer.Redirect("file:///etc/passwd"));
        Assert.Equal("Get \"file:///etc/passwd\": unsupported protocol scheme \"file\"", await ErrorOf(Fetcher(privateNet: true), server.Url("/a")));
    }

    [Fact]
    public async Task Redirect_loops_stop_after_ten()
    {
        await using var server = new LoopbackServer(r => LoopbackServer.Redirect(r.Path + "x"));
        var error = await ErrorOf(Fetcher(privateNet: true), server.Url("/r"));
        Assert.Equal($"Get \"{server.Url("/r" + new string('x', 11))}\": stopped after 10 redirects", error);
        Assert.Equal(11, server.Requests);
    }

    [Fact]
    public async Task Loopback_is_refused_without_private_net_and_nothing_is_sent()
    {
        await using var server = new LoopbackServer(_ => LoopbackServer.Ok("x"u8.ToArray()));
        Assert.Equal(
            $"Get \"{server.Url("/a.zip")}\": dial tcp 127.0.0.1:{server.Port}: ip 127.0.0.1 is in internal network",
            await ErrorOf(Fetcher(), server.Url("/a.zip")));
        Assert.Equal(0, server.Requests);
    }

    [Theory]
    [InlineData("http://10.0.0.1/a.zip", "dial tcp 10.0.0.1:80: ip 10.0.0.1 is in internal network")]
    [InlineData("https://192.168.1.20/a.zip", "dial tcp 192.168.1.20:443: ip 192.168.1.20 is in internal network")]
    [InlineData("http://169.254.169.254/latest", "dial tcp 169.254.169.254:80: ip 169.254.169.254 is in internal network")]
    [InlineData("http://172.16.0.1:8080/a", "dial tcp 172.16.0.1:8080: ip 172.16.0.1 is in internal network")]
    [InlineData("http://0.0.0.0:9/a", "dial tcp 0.0.0.0:9: ip 0.0.0.0 is in internal network")]
    [InlineData("http://[::1]:8080/a", "dial tcp [::1]:8080: ip ::1 is in internal network")]
    [InlineData("http://[::ffff:127.0.0.1]:8080/a", "dial tcp 127.0.0.1:8080: ip 127.0.0.1 is in internal network")]
    [InlineData("http://[fe80::1]/a", "dial tcp [fe80::1]:80: ip fe80::1 is in internal network")]
    public async Task Private_addresses_are_refused_before_connecting(string uri, string dial) =>
        Assert.Equal($"Get \"{uri}\": {dial}", await ErrorOf(Fetcher(), uri));

    [Fact]
    public async Task A_name_resolving_to_loopback_is_refused_at_connect_time()
    {
        await using var server = new LoopbackServer(_ => LoopbackServer.Ok("x"u8.ToArray()));
        var resolve = (string host, CancellationToken _) => Task.FromResult(host == "rebind.test" ? new[] { IPAddress.Loopback } : Array.Empty<IPAddress>());
        var uri = $"http://rebind.test:{server.Port}/a.zip";
        Assert.Equal($"Get \"{uri}\": dial tcp 127.0.0.1:{server.Port}: ip 127.0.0.1 is in internal network", await ErrorOf(Fetcher(resolve: resolve), uri));
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task The_connection_goes_to_the_address_that_was_resolved_and_checked()
    {
        string? host = null;
        await using var server = new LoopbackServer(r =>
        {
            host = r.Headers["Host"];
            return LoopbackServer.Ok("via checked address"u8.ToArray());
        });
        var resolve = (string name, CancellationToken _) => Task.FromResult(new[] { IPAddress.Loopback });
        using var fetcher = Fetcher(privateNet: true, resolve: resolve);
        var result = await fetcher.FetchAsync($"http://artefacts.test:{server.Port}/a.zip", CancellationToken.None);
        Assert.Equal("via checked address", Encoding.UTF8.GetString(result.Bytes!));
        Assert.Equal($"artefacts.test:{server.Port}", host);
    }

    [Fact]
    public async Task Unknown_host_is_reported_like_go()
    {
        var resolve = (string name, CancellationToken _) => Task.FromResult(Array.Empty<IPAddress>());
        Assert.Equal("Get \"http://nowhere.test/a.zip\": dial tcp: lookup nowhere.test: no such host",
            await ErrorOf(Fetcher(resolve: resolve), "http://nowhere.test/a.zip"));
    }

    [Fact]
    public async Task Each_redirect_hop_is_checked()
    {
        // A first hop the node may reach answers with a redirect into the private network.
        var handler = new RedirectingHandler("http://10.1.2.3:8080/internal");
        var error = await ErrorOf(Fetcher(handler: handler), "http://93.184.216.34/a.zip");
        Assert.Equal("Get \"http://10.1.2.3:8080/internal\": dial tcp 10.1.2.3:8080: ip 10.1.2.3 is in internal network", error);
        Assert.Equal(["http://93.184.216.34/a.zip"], handler.Seen);
    }

    private sealed class RedirectingHandler(string location) : HttpMessageHandler
    {
        public List<string> Seen { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Add(request.RequestUri!.AbsoluteUri);
            var response = new HttpResponseMessage(HttpStatusCode.Found);
            response.Headers.Location = new Uri(location);
            return Task.FromResult(response);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Download_larger_than_the_cap_stops(bool chunked)
    {
        await using var server = new LoopbackServer(_ => new LoopbackServer.Response(200, new byte[5000], Chunked: chunked));
        Assert.Equal($"file {server.Url("/big.zip")} is larger than 1000 bytes", await ErrorOf(Fetcher(privateNet: true, maxBytes: 1000), server.Url("/big.zip")));
        using var fetcher = Fetcher(privateNet: true, maxBytes: 5000);
        Assert.Equal(5000, (await fetcher.FetchAsync(server.Url("/big.zip"), CancellationToken.None)).Bytes!.Length);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out()
    {
        await using var server = new LoopbackServer(_ => new LoopbackServer.Response(200, Hang: true));
        Assert.Equal($"Get \"{server.Url("/slow.zip")}\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)",
            await ErrorOf(Fetcher(privateNet: true, timeout: TimeSpan.FromMilliseconds(500)), server.Url("/slow.zip")));
    }

    [Fact]
    public async Task Certificates_are_verified()
    {
        using var certificate = LoopbackServer.SelfSigned();
        await using var server = new LoopbackServer(_ => LoopbackServer.Ok("x"u8.ToArray()), certificate);
        var error = await ErrorOf(Fetcher(privateNet: true), server.Url("/a.zip"));
        Assert.StartsWith($"Get \"{server.Url("/a.zip")}\": tls: failed to verify certificate: ", error);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Closed_port_is_connection_refused()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var uri = $"http://127.0.0.1:{port}/a.zip";
        Assert.Equal($"Get \"{uri}\": dial tcp 127.0.0.1:{port}: connect: connection refused", await ErrorOf(Fetcher(privateNet: true), uri));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.0.9", true)]
    [InlineData("10.20.30.40", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.0.1", true)]
    [InlineData("169.254.1.1", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("0.1.2.3", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("100.128.0.1", false)]
    [InlineData("255.255.255.255", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("93.184.216.34", false)]
    [InlineData("::", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fec0::1", true)]
    [InlineData("ff02::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("::ffff:8.8.8.8", false)]
    [InlineData("64:ff9b::a00:1", true)]
    [InlineData("2002:c0a8:0101::1", true)]
    [InlineData("2001:4860:4860::8888", false)]
    public void Internal_addresses(string address, bool expected) => Assert.Equal(expected, InternalAddress.IsInternal(IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://example.com/a.zip", true)]
    [InlineData("https://example.com:8443/a.zip?x=1", true)]
    [InlineData("file:///tmp/a.zip", true)]
    [InlineData("file:/tmp/a.zip", true)]
    [InlineData("file://host/tmp/a.zip", false)]
    [InlineData("file://", false)]
    [InlineData("http:///a.zip", false)]
    [InlineData("ftp://example.com/a.zip", false)]
    [InlineData("a.zip", false)]
    [InlineData("/tmp/a.zip", false)]
    public void Valid_urls_like_ekuiper(string uri, bool expected) => Assert.Equal(expected, GoUrl.IsValidUrl(uri));
}
