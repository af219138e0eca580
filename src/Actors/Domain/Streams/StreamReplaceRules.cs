using System.Text;

namespace Kuiper.Domain.Streams;

/// <summary>
/// The checks eKuiper's <c>ExecReplaceStream</c> runs before overwriting a stream/table during import,
/// after the statement has parsed as a CREATE of the expected kind
/// (see <see cref="StreamStatementParser.ParseForKind"/>).
/// </summary>
public static class StreamReplaceRules
{
    /// <summary>
    /// Returns null when <paramref name="replacement"/> may be stored under <paramref name="key"/>, otherwise
    /// eKuiper's exact error text. Checks, in order: the statement names the key (case-sensitive); it is not
    /// TEMP; and, if <paramref name="existing"/> is given, SHARED is unchanged and the version is newer.
    /// </summary>
    public static string? Check(string key, StreamDefinition replacement, StreamDefinition? existing)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(replacement);

        if (!string.Equals(replacement.Name, key, StringComparison.Ordinal))
        {
            return $"Replace {key} fails: the sql statement must update the {key} source.";
        }

        if (replacement.Options.Temp)
        {
            return $"Replace {key} fails: cannot replace with temp option.";
        }

        if (existing is null)
        {
            return null;
        }

        if (existing.Options.Shared != replacement.Options.Shared)
        {
            return $"Replace {key} fails: do not support to change stream SHARED option.";
        }

        var oldVersion = existing.Options.Version;
        var newVersion = replacement.Options.Version;
        return CanReplace(oldVersion, newVersion)
            ? null
            : $"source {key} already exists with version ({oldVersion}), new version ({newVersion}) is lower";
    }

    /// <summary>
    /// eKuiper's <c>CanReplace</c>: true when both versions are empty, otherwise a plain string comparison
    /// <c>new &gt; old</c> over the UTF-8 bytes (Go string order), so <c>"9"</c> → <c>"10"</c> is refused.
    /// </summary>
    public static bool CanReplace(string oldVersion, string newVersion)
    {
        ArgumentNullException.ThrowIfNull(oldVersion);
        ArgumentNullException.ThrowIfNull(newVersion);
        if (oldVersion.Length == 0 && newVersion.Length == 0)
        {
            return true;
        }

        var a = Encoding.UTF8.GetBytes(newVersion);
        var b = Encoding.UTF8.GetBytes(oldVersion);
        return a.AsSpan().SequenceCompareTo(b) > 0;
    }
}
