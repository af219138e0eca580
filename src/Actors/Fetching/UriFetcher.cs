namespace Kuiper.Actors.Fetching;

/// <summary>
/// Reads what an import names by URI. <c>file://</c> is confined to the uploads folder unless external file
/// access is allowed, so an HTTP client cannot make the node read arbitrary files.
/// </summary>
public sealed class UriFetcher(string uploadsDir, bool allowExternalFileAccess)
{
    /// <summary>Refuse bundles beyond this size rather than exhaust memory.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    private readonly string _uploadsDir = Path.GetFullPath(uploadsDir);

    /// <summary>The text, or the error in eKuiper's words.</summary>
    public async Task<(string? Text, string? Error)> ReadTextAsync(string uri, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
            return (null, $"parse \"{uri}\": invalid URI");
        return parsed.Scheme switch
        {
            "file" => await ReadFileAsync(parsed, cancellationToken),
            "http" or "https" => (null, $"fetching {parsed.Scheme} URLs is not supported by this version of Kuiper.Actors"),
            var scheme => (null, $"unsupported url scheme {scheme}"),
        };
    }

    private async Task<(string?, string?)> ReadFileAsync(Uri uri, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Uri.UnescapeDataString(uri.AbsolutePath));
        if (!allowExternalFileAccess)
        {
            if (!IsUnder(path, _uploadsDir))
                return (null, $"file access denied: path must be under {_uploadsDir}");
            var relative = Path.GetRelativePath(_uploadsDir, path);
            if (!File.Exists(path)) return (null, $"openat {relative}: no such file or directory");
            // A link inside uploads must not lead outside it.
            if (new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true) is { } target && !IsUnder(target.FullName, _uploadsDir))
                return (null, $"openat {relative}: path escapes from parent");
        }
        else
        {
            if (Directory.Exists(path)) return (null, $"{path} is not a regular file");
            if (!File.Exists(path)) return (null, $"stat {path}: no such file or directory");
        }

        var info = new FileInfo(path);
        if (info.Length > MaxFileBytes) return (null, $"{path} is larger than {MaxFileBytes} bytes");
        return (await File.ReadAllTextAsync(path, cancellationToken), null);
    }

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
