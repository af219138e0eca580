using System.Text;
using Kuiper.Domain.Artefacts.Fetching;

namespace Kuiper.Domain.Artefacts.Fetching;

/// <summary>
/// Reads what an import names by URI, as text. A thin front of <see cref="ArtefactFetcher"/>: <c>file://</c> is
/// confined to the uploads folder unless external file access is allowed, and <c>http(s)://</c> may not reach
/// loopback or private addresses unless the private network is enabled.
/// </summary>
public sealed class UriFetcher(string uploadsDir, bool allowExternalFileAccess, bool enablePrivateNet = false)
{
    /// <summary>Refuse bundles beyond this size rather than exhaust memory.</summary>
    public const long MaxFileBytes = FetchOptions.DefaultMaxBytes;

    /// <summary>The text, or the error in eKuiper's words.</summary>
    public async Task<(string? Text, string? Error)> ReadTextAsync(string uri, CancellationToken cancellationToken)
    {
        var (bytes, error) = await ReadBytesAsync(uri, cancellationToken);
        return bytes is null ? (null, error) : (Encoding.UTF8.GetString(bytes), null);
    }

    /// <summary>The bytes, or the error in eKuiper's words (a bundle is parsed from its UTF-8 bytes: no text copy).</summary>
    public async Task<(byte[]? Bytes, string? Error)> ReadBytesAsync(string uri, CancellationToken cancellationToken)
    {
        using var fetcher = new ArtefactFetcher(new FetchOptions
        {
            UploadsDir = uploadsDir,
            AllowExternalFileAccess = allowExternalFileAccess,
            EnablePrivateNet = enablePrivateNet,
            MaxBytes = MaxFileBytes,
        });
        var result = await fetcher.FetchAsync(uri, cancellationToken);
        return result.Succeeded ? (result.Bytes!, null) : (null, result.Error);
    }
}
