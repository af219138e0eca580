using System.IO.Compression;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Artefacts.Archives;

/// <summary>How big an archive may unpack.</summary>
public sealed record ZipLimits
{
    public static ZipLimits Default { get; } = new();

    /// <summary>Entries (files and folders) in one archive.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Bytes of all entries once unpacked.</summary>
    public long MaxUnpackedBytes { get; init; } = 256L * 1024 * 1024;
}

/// <summary>One entry of an archive that passed every check.</summary>
/// <param name="Name">The name exactly as stored in the archive (eKuiper matches on it).</param>
/// <param name="Path">The same, cleaned: <c>/</c>-separated, relative, no <c>.</c> or empty segments, no trailing slash.</param>
/// <param name="IsDirectory">A folder entry.</param>
/// <param name="Content">The unpacked bytes (empty for a folder).</param>
/// <param name="UnixMode">Permission bits recorded by a Unix zipper, limited to <c>0755</c>; null when none were recorded.</param>
public sealed record ZipEntryData(string Name, string Path, bool IsDirectory, byte[] Content, int? UnixMode);

/// <summary>The checked entries of an archive, in archive order.</summary>
public sealed class ZipContent(IReadOnlyList<ZipEntryData> entries)
{
    public IReadOnlyList<ZipEntryData> Entries { get; } = entries;

    /// <summary>The first entry whose stored name is exactly <paramref name="name"/>.</summary>
    public ZipEntryData? Find(string name) => Entries.FirstOrDefault(e => e.Name == name);

    public long UnpackedBytes => Entries.Sum(e => (long)e.Content.Length);
}

/// <summary>
/// Reads zip archives from bytes, refusing anything that could write outside a target folder: absolute paths,
/// drive letters, <c>..</c> segments, links and device entries, Windows device names, duplicate entries; bounds
/// entry count and unpacked size. eKuiper silently skips unsafe entries; we refuse the whole archive and name the
/// entry (docs/decisions.md#safe-fetching). Entries are typed as Go's <c>archive/zip</c> types them (<see cref="GoZipModes"/>,
/// docs/decisions.md#zip-entry-types): a Unix mode without file-type bits is a regular file, MS-DOS attributes are read when the
/// archive was made on FAT or NTFS.
/// </summary>
public static class SafeZip
{

    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    /// <summary>The text Go's <c>zip.OpenReader</c> gives for bytes that are not an archive.</summary>
    public const string NotAZip = "zip: not a valid zip file";

    /// <summary>Every entry, checked and unpacked into memory, or the first reason to refuse the archive.</summary>
    public static (ZipContent? Content, string? Error) Read(ReadOnlyMemory<byte> bytes, ZipLimits? limits = null)
    {
        limits ??= ZipLimits.Default;
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(bytes.ToArray(), writable: false), ZipArchiveMode.Read);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IOException)
        {
            return (null, NotAZip);
        }

        using (archive)
        {
            IReadOnlyCollection<ZipArchiveEntry> entries;
            try
            {
                entries = archive.Entries;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                return (null, NotAZip);
            }
            if (entries.Count > limits.MaxEntries) return (null, $"zip has more than {limits.MaxEntries} entries");
            // .NET does not expose the creator's host byte, which decides how Go reads the attributes.
            var headers = ZipCentralDirectory.Read(bytes.Span);
            if (headers is null || headers.Count != entries.Count) return (null, NotAZip);
            var modes = entries.Zip(headers, (entry, header) => GoZipModes.Mode(header.VersionMadeBy, header.ExternalAttributes, entry.FullName))
                .ToList();

            long declared = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var entry in entries)
            {
                var nameError = CheckEntry(entry.FullName, modes[index++]);
                if (nameError is not null) return (null, nameError);
                if (!seen.Add(CleanPath(entry.FullName))) return (null, $"zip entry {GoQuote.Quote(entry.FullName)} appears twice");
                declared += entry.Length;
                if (declared > limits.MaxUnpackedBytes) return (null, $"zip unpacks to more than {limits.MaxUnpackedBytes} bytes");
            }

            var result = new List<ZipEntryData>(entries.Count);
            long total = 0;
            index = 0;
            foreach (var entry in entries)
            {
                var mode = modes[index++];
                var isDirectory = mode.Type == GoZipEntryType.Directory;
                byte[] content = [];
                if (!isDirectory)
                {
                    try
                    {
                        using var stream = entry.Open();
                        using var buffer = new MemoryStream();
                        var chunk = new byte[81920];
                        int read;
                        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                        {
                            total += read;
                            // Declared sizes can lie: count what really comes out.
                            if (total > limits.MaxUnpackedBytes) return (null, $"zip unpacks to more than {limits.MaxUnpackedBytes} bytes");
                            buffer.Write(chunk, 0, read);
                        }
                        content = buffer.ToArray();
                    }
                    catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
                    {
                        return (null, $"zip: cannot read entry {GoQuote.Quote(entry.FullName)}: {e.Message}");
                    }
                }
                result.Add(new ZipEntryData(entry.FullName, CleanPath(entry.FullName), isDirectory, content, UnixMode(mode)));
            }
            return (new ZipContent(result), null);
        }
    }

    /// <summary>
    /// Unpacks the archive into <paramref name="targetDir"/>: everything goes to a fresh folder next to it first and
    /// replaces the target only when complete, so a failure leaves the target as it was. Returns the error or null.
    /// </summary>
    public static string? ExtractTo(ReadOnlyMemory<byte> bytes, string targetDir, ZipLimits? limits = null)
    {
        var (content, error) = Read(bytes, limits);
        if (error is not null) return error;
        return ExtractTo(content!, targetDir);
    }

    /// <inheritdoc cref="ExtractTo(ReadOnlyMemory{byte}, string, ZipLimits?)"/>
    public static string? ExtractTo(ZipContent content, string targetDir)
    {
        ArgumentNullException.ThrowIfNull(content);
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(targetDir));
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException("The target must not be a root folder.", nameof(targetDir));
        Directory.CreateDirectory(parent);
        var staging = Path.Join(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        var backup = Path.Join(parent, $".{Path.GetFileName(target)}.old-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var entry in content.Entries)
            {
                var write = WriteEntry(staging, entry.Path, entry.IsDirectory, entry.Content, entry.UnixMode);
                if (write is not null) return write;
            }

            var hadTarget = Directory.Exists(target);
            if (hadTarget) Directory.Move(target, backup);
            try
            {
                Directory.Move(staging, target);
            }
            catch
            {
                if (hadTarget) Directory.Move(backup, target);
                throw;
            }
            if (hadTarget) Directory.Delete(backup, recursive: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>
    /// Writes one file or folder at <paramref name="relativePath"/> below <paramref name="root"/>, after checking that
    /// its full path really is below the root. Returns the error or null.
    /// </summary>
    internal static string? WriteEntry(string root, string relativePath, bool isDirectory, byte[] content, int? unixMode)
    {
        var full = Path.GetFullPath(Path.Join(root, relativePath));
        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!full.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            return $"zip entry {GoQuote.Quote(relativePath)} leaves the target folder";
        if (isDirectory)
        {
            Directory.CreateDirectory(full);
            return null;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // CreateNew: never follow or overwrite something already there.
        using (var stream = new FileStream(full, FileMode.CreateNew, FileAccess.Write))
            stream.Write(content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(full, (UnixFileMode)(unixMode ?? 0x1A4 /* 0644 */));
        return null;
    }

    /// <summary>Why an entry name may not be unpacked, or null.</summary>
    public static string? CheckName(string name)
    {
        var quoted = GoQuote.Quote(name);
        if (name.Length == 0) return $"zip entry {quoted} has an empty name";
        if (name.Contains('\0')) return $"zip entry {quoted} has a NUL character";
        var slashed = name.Replace('\\', '/');
        if (slashed.StartsWith('/')) return $"zip entry {quoted} has an absolute path";
        if (slashed.Length >= 2 && char.IsAsciiLetter(slashed[0]) && slashed[1] == ':') return $"zip entry {quoted} has a drive letter";
        var segments = slashed.Split('/');
        foreach (var segment in segments)
        {
            if (segment == "..") return $"zip entry {quoted} has a \"..\" segment";
            var stem = segment.Split('.')[0].TrimEnd(' ');
            if (DeviceNames.Contains(stem)) return $"zip entry {quoted} has a reserved device name";
        }
        if (CleanPath(name).Length == 0) return $"zip entry {quoted} has an empty name";
        return null;
    }

    /// <summary>The entry name with <c>\</c> as <c>/</c>, without empty or <c>.</c> segments and trailing slash.</summary>
    public static string CleanPath(string name) =>
        string.Join('/', name.Replace('\\', '/').Split('/').Where(s => s.Length > 0 && s != "."));

    private static string? CheckEntry(string name, GoZipMode mode)
    {
        var nameError = CheckName(name);
        if (nameError is not null) return nameError;
        var quoted = GoQuote.Quote(name);
        return mode.Type switch
        {
            GoZipEntryType.Regular or GoZipEntryType.Directory => null,
            GoZipEntryType.Symlink => $"zip entry {quoted} is a symbolic link",
            GoZipEntryType.Device or GoZipEntryType.CharDevice => $"zip entry {quoted} is a device",
            GoZipEntryType.NamedPipe => $"zip entry {quoted} is a named pipe",
            _ => $"zip entry {quoted} is a socket",
        };
    }

    /// <summary>
    /// The permission bits to write, when the archive recorded a Unix mode: at most <c>0755</c> (no setuid, setgid,
    /// sticky, nothing writable by group or others), and the owner can always read and write a file and enter a
    /// folder. Null (<c>0644</c>) for MS-DOS attributes and unknown hosts, as Go's <c>0666</c> would become.
    /// </summary>
    private static int? UnixMode(GoZipMode mode)
    {
        if (!mode.FromUnixMode || mode.Permissions == 0) return null;
        var permissions = mode.Permissions & 0x1ED;
        return permissions | (mode.Type == GoZipEntryType.Directory ? 0x1C0 : 0x180);
    }
}
