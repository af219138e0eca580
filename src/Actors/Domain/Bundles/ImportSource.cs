using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Messages.Bundles;

namespace Kuiper.Domain.Bundles;

/// <summary>
/// The bundle an import request names, read as eKuiper's import reads it: the content or file checks, the fetch of
/// the file, then the parse of the whole envelope. The synchronous import runs it before it answers, the async import
/// inside its task; both answer with the same texts.
/// </summary>
/// <param name="beforeLocalRead">runs before a <c>file:</c> URI is read: an upload another node received is installed here first</param>
public sealed class ImportSource(UriFetcher fetcher, Func<CancellationToken, Task>? beforeLocalRead = null)
{
    public async Task<BundleReading> ReadAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        if (request.Problem is { } problem) return BundleReading.Refused(problem);
        var (content, fetchError) = await ContentAsync(request, cancellationToken);
        if (fetchError is not null) return BundleReading.Refused(fetchError);

        // The whole envelope is checked before anything is cleared (docs/decisions.md#check-before-clearing).
        var (bundle, bundleError) = BundleCodec.Parse(content);
        return bundleError is not null
            ? new BundleReading(null, $"configuration unmarshal with error {bundleError}", Unmarshal: true)
            : new BundleReading(bundle, null, Unmarshal: false);
    }

    /// <summary>The request's content, or the bytes of the file it names (every import reads its file this way); the error is the fetcher's text.</summary>
    public async Task<(ReadOnlyMemory<byte> Content, string? Error)> ContentAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        if (request.File.Length == 0) return (request.Content, null);
        if (beforeLocalRead is not null && request.File.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            await beforeLocalRead(cancellationToken);
        var (bytes, fetchError) = await fetcher.ReadBytesAsync(request.File, cancellationToken);
        return (bytes ?? ReadOnlyMemory<byte>.Empty, fetchError);
    }
}

/// <summary>
/// A bundle, or why there is none in eKuiper's words. <paramref name="Unmarshal"/>: the envelope did not parse (eKuiper
/// then has an import status to show, with no kind filled in; a refused request or file has none).
/// </summary>
public sealed record BundleReading(Bundle? Bundle, string? Error, bool Unmarshal)
{
    public static BundleReading Refused(string error) => new(null, error, Unmarshal: false);
}
