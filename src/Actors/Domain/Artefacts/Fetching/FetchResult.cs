namespace Kuiper.Domain.Artefacts.Fetching;

/// <summary>The bytes a URI names, or eKuiper's text for why they could not be read.</summary>
public sealed record FetchResult
{
    private FetchResult(byte[]? bytes, string? error)
    {
        Bytes = bytes;
        Error = error;
    }

    /// <summary>The content; null when <see cref="Error"/> is set.</summary>
    public byte[]? Bytes { get; }

    /// <summary>The reason in eKuiper's words (e.g. <c>stat /x: no such file or directory</c>); null on success.</summary>
    public string? Error { get; }

    public bool Succeeded => Error is null;

    public static FetchResult Ok(byte[] bytes) => new(bytes ?? throw new ArgumentNullException(nameof(bytes)), null);

    public static FetchResult Fail(string error) => new(null, error ?? throw new ArgumentNullException(nameof(error)));
}
