using System.Net;

namespace Kuiper.Domain.Artefacts.Fetching;

/// <summary>What <see cref="ArtefactFetcher"/> may read, and how much.</summary>
public sealed record FetchOptions
{
    /// <summary>Default size cap of one download: 512 MiB.</summary>
    public const long DefaultMaxBytes = 512L * 1024 * 1024;

    /// <summary><c>&lt;DataDir&gt;/uploads</c>: the only folder <c>file://</c> may read unless external access is allowed.</summary>
    public required string UploadsDir { get; init; }

    /// <summary><c>Kuiper:Security:AllowExternalFileAccess</c>: <c>file://</c> anywhere the process can read.</summary>
    public bool AllowExternalFileAccess { get; init; }

    /// <summary><c>Kuiper:Security:EnablePrivateNet</c>: <c>http(s)://</c> to loopback, private and link-local addresses.</summary>
    public bool EnablePrivateNet { get; init; }

    /// <summary>A download larger than this fails with <c>file &lt;uri&gt; is larger than &lt;n&gt; bytes</c>.</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>The whole download, redirects included (eKuiper: 5 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Go's client stops after 10 redirects.</summary>
    public int MaxRedirects { get; init; } = 10;

    /// <summary>
    /// Replaces the built-in handler (tests only). The built-in one checks every address it connects to; with a
    /// replacement only host names that are IP literals are checked before the request.
    /// </summary>
    public HttpMessageHandler? Handler { get; init; }

    /// <summary>Replaces DNS (tests: a name that resolves to a chosen address). Default: <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>>? Resolve { get; init; }
}
