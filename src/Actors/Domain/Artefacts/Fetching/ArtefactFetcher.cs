using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Artefacts.Fetching;

/// <summary>
/// The one place that reads what an import names by URI (bundle <c>file</c>, plugin, service, schema and upload
/// files), the way eKuiper's <c>httpx.ReadFile</c> does, with its error texts, but safe by default
/// (docs/decisions.md#safe-fetching).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>file:</c> is confined to the uploads folder unless external access is allowed; links inside it may
/// not lead out (checked again on the opened handle on Linux).</item>
/// <item><c>http(s):</c> certificates are verified (eKuiper skips verification); no proxy; every connection
/// goes to an address that was checked, resolved by the fetcher itself inside the connect step, so DNS
/// rebinding cannot slip a private address in; redirects are followed one by one and each hop is checked.</item>
/// <item>One time limit covers the whole download; reading stops as soon as the size cap is passed.</item>
/// </list>
/// </remarks>
public sealed class ArtefactFetcher : IDisposable
{
    private static readonly HashSet<int> RedirectCodes = [301, 302, 303, 307, 308];

    private readonly FetchOptions _options;
    private readonly HttpClient _client;
    private readonly bool _ownHandler;

    public ArtefactFetcher(FetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxBytes < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxBytes must not be negative.");
        _options = options;
        _ownHandler = options.Handler is null;
        var handler = options.Handler ?? CreateHandler();
        _client = new HttpClient(handler, disposeHandler: _ownHandler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Kuiper.Actors", "1"));
    }

    public FetchOptions Options => _options;

    /// <summary>The content <paramref name="uri"/> names, or eKuiper's text for why it cannot be read.</summary>
    /// <exception cref="OperationCanceledException">When <paramref name="cancellationToken"/> is cancelled (the time limit is reported as an error instead).</exception>
    public async Task<FetchResult> FetchAsync(string uri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var url = GoUrl.ParseRequestUri(uri, out var parseError);
        if (parseError is not null) return FetchResult.Fail(parseError);
        return url!.Scheme switch
        {
            "file" => await ReadFileAsync(uri, url, cancellationToken),
            "http" or "https" => await DownloadAsync(uri, cancellationToken),
            var scheme => FetchResult.Fail($"unsupported url scheme {scheme}"),
        };
    }

    public void Dispose() => _client.Dispose();

    private string TooLarge(string uri) => $"file {uri} is larger than {_options.MaxBytes} bytes";

    // ---- file: ----

    private async Task<FetchResult> ReadFileAsync(string uri, GoUrl url, CancellationToken cancellationToken)
    {
        var path = url.Path;
        // eKuiper's Windows fix-up: file:///C:/x arrives as /C:/x.
        if (path.IndexOf(':') == 2) path = path[1..];
        // A NUL (file:///a%00b) cannot reach a system call: Go's stat/openat fail with EINVAL.
        if (path.Contains('\0')) return FetchResult.Fail($"{(_options.AllowExternalFileAccess ? "stat" : "openat")} {path}: invalid argument");

        if (_options.AllowExternalFileAccess)
        {
            if (Directory.Exists(path)) return FetchResult.Fail($"{path} is not a regular file");
            if (!File.Exists(path)) return FetchResult.Fail($"stat {path}: no such file or directory");
            return await ReadAllAsync(uri, path, display: path, realRoot: null, cancellationToken);
        }

        var absolute = Path.GetFullPath(path.Length == 0 ? Environment.CurrentDirectory : path);
        var uploads = Path.TrimEndingDirectorySeparator(Path.GetFullPath(_options.UploadsDir));
        var relative = Path.GetRelativePath(uploads, absolute);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
            return FetchResult.Fail($"file access denied: path must be under {_options.UploadsDir}");

        // eKuiper creates the uploads folder at start; a node that has none yet has no file in it.
        if (!Directory.Exists(uploads)) return FetchResult.Fail($"openat {relative}: no such file or directory");
        var realRoot = ConfinedPath.RealRoot(uploads);
        var (real, failure) = ConfinedPath.Resolve(realRoot, relative);
        if (failure != ConfinedPath.Failure.None) return FetchResult.Fail($"openat {relative}: {ConfinedPath.Text(failure)}");
        if (Directory.Exists(real)) return FetchResult.Fail($"read {Path.Join(uploads, relative)}: is a directory");
        return await ReadAllAsync(uri, real!, display: relative, realRoot, cancellationToken);
    }

    private async Task<FetchResult> ReadAllAsync(string uri, string path, string display, string? realRoot, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, Options = FileOptions.Asynchronous });
        }
        catch (UnauthorizedAccessException)
        {
            return FetchResult.Fail($"{(realRoot is null ? "open" : "openat")} {display}: permission denied");
        }
        catch (FileNotFoundException)
        {
            return FetchResult.Fail($"{(realRoot is null ? "open" : "openat")} {display}: no such file or directory");
        }
        catch (DirectoryNotFoundException)
        {
            return FetchResult.Fail($"{(realRoot is null ? "open" : "openat")} {display}: no such file or directory");
        }

        await using (stream)
        {
            // A link swapped in after the check would show here.
            if (realRoot is not null && ConfinedPath.OpenedPath(stream.SafeFileHandle) is { } opened && !ConfinedPath.IsUnder(opened, realRoot))
                return FetchResult.Fail($"openat {display}: path escapes from parent");
            if (stream.Length > _options.MaxBytes) return FetchResult.Fail(TooLarge(uri));
            var bytes = await ReadCappedAsync(stream, cancellationToken);
            return bytes is null ? FetchResult.Fail(TooLarge(uri)) : FetchResult.Ok(bytes);
        }
    }

    /// <summary>Reads to the end, or returns null as soon as more than the cap has arrived.</summary>
    private async Task<byte[]?> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
            if (total > _options.MaxBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    // ---- http(s): ----

    private async Task<FetchResult> DownloadAsync(string uri, CancellationToken cancellationToken)
    {
        // Go's client.Get parses with url.Parse: the fragment is not sent.
        var current = uri.Split('#', 2)[0];
        var parsed = GoUrl.Parse(uri, out var parseError);
        if (parseError is not null) return FetchResult.Fail($"Get {GoQuote.Quote(current)}: {parseError}");
        if (parsed!.Host.Length == 0) return FetchResult.Fail($"Get {GoQuote.Quote(current)}: http: no Host in request URL");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Timeout);
        var token = deadline.Token;

        for (var redirects = 0; ; redirects++)
        {
            if (!Uri.TryCreate(current, UriKind.Absolute, out var target))
                return FetchResult.Fail($"Get {GoQuote.Quote(current)}: invalid URL");

            if (_options.Handler is not null && !_options.EnablePrivateNet && IPAddress.TryParse(target.IdnHost, out var literal) && InternalAddress.IsInternal(literal))
                return FetchResult.Fail($"Get {GoQuote.Quote(current)}: dial tcp {InternalAddress.FormatEndPoint(literal, target.Port)}: ip {InternalAddress.Format(literal)} is in internal network");

            HttpResponseMessage response;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, target);
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return FetchResult.Fail($"Get {GoQuote.Quote(current)}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
            }
            catch (HttpRequestException e)
            {
                return FetchResult.Fail($"Get {GoQuote.Quote(current)}: {Describe(e)}");
            }

            using (response)
            {
                var code = (int)response.StatusCode;
                if (RedirectCodes.Contains(code) && response.Headers.Location is { } location)
                {
                    var next = new Uri(target, location).AbsoluteUri.Split('#', 2)[0];
                    if (redirects >= _options.MaxRedirects)
                        return FetchResult.Fail($"Get {GoQuote.Quote(next)}: stopped after {_options.MaxRedirects} redirects");
                    var scheme = new Uri(next).Scheme;
                    if (scheme is not ("http" or "https"))
                        return FetchResult.Fail($"Get {GoQuote.Quote(next)}: unsupported protocol scheme {GoQuote.Quote(scheme)}");
                    current = next;
                    continue;
                }

                if (code != 200) return FetchResult.Fail($"cannot download the file with status: {GoStatusText.Status(code)}");
                if (response.Content.Headers.ContentLength > _options.MaxBytes) return FetchResult.Fail(TooLarge(uri));
                try
                {
                    await using var body = await response.Content.ReadAsStreamAsync(token);
                    var bytes = await ReadCappedAsync(body, token);
                    return bytes is null ? FetchResult.Fail(TooLarge(uri)) : FetchResult.Ok(bytes);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    return FetchResult.Fail("context deadline exceeded (Client.Timeout or context cancellation while reading body)");
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    return FetchResult.Fail("unexpected EOF");
                }
            }
        }
    }

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case DialException dial:
                    return dial.Message;
                case AuthenticationException auth:
                    return $"tls: failed to verify certificate: {auth.Message}";
            }
        }
        return e.InnerException?.Message ?? e.Message;
    }

    private SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.GZip,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = ConnectAsync,
    };

    /// <summary>
    /// Resolves the host, refuses internal addresses (unless allowed) and connects to exactly the address it
    /// checked, trying the others in order like Go's dialer; the first failure is the one reported.
    /// </summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = _options.Resolve is { } resolve
                    ? await resolve(host, cancellationToken)
                    : await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException)
            {
                throw new DialException($"dial tcp: lookup {host}: no such host");
            }
            if (addresses.Length == 0) throw new DialException($"dial tcp: lookup {host}: no such host");
        }

        DialException? first = null;
        foreach (var raw in addresses)
        {
            var address = raw.IsIPv4MappedToIPv6 ? raw.MapToIPv4() : raw;
            var endPoint = InternalAddress.FormatEndPoint(address, port);
            if (!_options.EnablePrivateNet && InternalAddress.IsInternal(address))
            {
                first ??= new DialException($"dial tcp {endPoint}: ip {InternalAddress.Format(address)} is in internal network");
                continue;
            }
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                first ??= new DialException($"dial tcp {endPoint}: {SocketText(e)}");
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw first!;
    }

    private static string SocketText(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connect: connection refused",
        SocketError.TimedOut => "i/o timeout",
        SocketError.NetworkUnreachable => "connect: network is unreachable",
        SocketError.HostUnreachable => "connect: no route to host",
        _ => "connect: " + e.Message,
    };

    /// <summary>A connect-step failure, already worded like Go's <c>net.OpError</c>.</summary>
    private sealed class DialException(string message) : IOException(message);
}
