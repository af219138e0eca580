namespace Kuiper.Domain.Artefacts.Fetching;

/// <summary>
/// Resolves a relative path below a root folder the way Go's <c>os.Root</c> does: symbolic links are followed
/// but may neither be absolute nor lead outside the root, and <c>..</c> may not climb above it.
/// </summary>
internal static class ConfinedPath
{
    /// <summary>Linux's limit on links followed while resolving one path.</summary>
    private const int MaxLinks = 40;

    public enum Failure
    {
        None,
        NotFound,
        Escapes,
        TooManyLinks,
    }

    /// <summary>The go texts for a failure: <c>path escapes from parent</c>, <c>no such file or directory</c>.</summary>
    public static string Text(Failure failure) => failure switch
    {
        Failure.NotFound => "no such file or directory",
        Failure.Escapes => "path escapes from parent",
        Failure.TooManyLinks => "too many levels of symbolic links",
        _ => "",
    };

    /// <summary>The root with its own links resolved (the root itself may be a link, as for <c>os.OpenRoot</c>).</summary>
    public static string RealRoot(string root)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        return RealPathUnconfined(full);
    }

    /// <summary>The real path of <paramref name="relative"/> below <paramref name="realRoot"/>, or why there is none.</summary>
    public static (string? Path, Failure Failure) Resolve(string realRoot, string relative)
    {
        var parts = new LinkedList<string>(Split(relative));
        var current = realRoot;
        var depth = 0; // components below the root
        var links = 0;
        while (parts.First is { } node)
        {
            parts.RemoveFirst();
            var part = node.Value;
            if (part is "." or "") continue;
            if (part == "..")
            {
                if (depth == 0) return (null, Failure.Escapes);
                current = Path.GetDirectoryName(current)!;
                depth--;
                continue;
            }
            var next = Path.Join(current, part);
            var info = new FileInfo(next);
            string? target;
            try
            {
                target = info.LinkTarget;
            }
            catch (IOException)
            {
                target = null;
            }
            if (target is not null)
            {
                if (++links > MaxLinks) return (null, Failure.TooManyLinks);
                if (Path.IsPathRooted(target)) return (null, Failure.Escapes);
                var linked = Split(target);
                for (var i = linked.Length - 1; i >= 0; i--) parts.AddFirst(linked[i]);
                continue;
            }
            if (!info.Exists && !Directory.Exists(next)) return (null, Failure.NotFound);
            current = next;
            depth++;
        }
        return (current, Failure.None);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="root"/> or below it.</summary>
    public static bool IsUnder(string path, string root)
    {
        if (string.Equals(path, root, StringComparison.Ordinal)) return true;
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>
    /// Where an open handle really points, read back from <c>/proc/self/fd</c> on Linux (null elsewhere), so a link
    /// swapped in between the check and the open is caught.
    /// </summary>
    public static string? OpenedPath(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = handle.DangerousGetHandle().ToInt64();
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static string[] Split(string path) =>
        path.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    private static string RealPathUnconfined(string full)
    {
        var root = Path.GetPathRoot(full) ?? "/";
        var current = root;
        var parts = new LinkedList<string>(Split(full[root.Length..]));
        var links = 0;
        while (parts.First is { } node)
        {
            parts.RemoveFirst();
            var part = node.Value;
            if (part is "." or "") continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            var next = Path.Join(current, part);
            string? target = null;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException)
            {
            }
            if (target is not null && ++links <= MaxLinks)
            {
                if (Path.IsPathRooted(target))
                {
                    current = Path.GetPathRoot(target) ?? root;
                    target = target[current.Length..];
                }
                var linked = Split(target);
                for (var i = linked.Length - 1; i >= 0; i--) parts.AddFirst(linked[i]);
                continue;
            }
            current = next;
        }
        return current;
    }
}
