using System.Text;

namespace Kuiper.Domain.Placement;

/// <summary>
/// Kubernetes' label syntax ("Labels and Selectors", "Syntax and character set"; apimachinery's
/// <c>IsLabelKey</c> and <c>IsLabelValue</c>): a key is an optional lowercase DNS-1123 subdomain prefix of at most 253
/// bytes and <c>/</c>, then a name of 1 to 63 bytes of <c>[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?</c>; a value is
/// empty or up to 63 bytes of the same characters. The texts are Kubernetes' own, so an operator who knows them from
/// <c>kubectl</c> reads the same words; several problems are joined with <c>"; "</c> as Kubernetes joins them.
/// </summary>
public static class LabelSyntax
{
    public const int NameMaxLength = 63;
    public const int PrefixMaxLength = 253;
    public const int ValueMaxLength = 63;

    private const string NameRegex = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string ValueRegex = "(" + NameRegex + ")?";
    private const string SubdomainRegex = @"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

    private static readonly string NameCharset = RegexError(
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        NameRegex, "MyName", "my.name", "123-abc");

    private static readonly string ValueCharset = RegexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        ValueRegex, "MyValue", "my_value", "12345");

    private static readonly string SubdomainCharset = RegexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        SubdomainRegex, "example.com");

    /// <summary>Why <paramref name="key"/> is not a label key, or null when it is one.</summary>
    public static string? KeyError(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var errors = new List<string>(2);
        var slash = key.IndexOf('/');
        string name;
        if (slash < 0) name = key;
        else if (key.IndexOf('/', slash + 1) >= 0)
            return "a valid label key " + NameCharset + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
        else
        {
            var prefix = key[..slash];
            name = key[(slash + 1)..];
            if (prefix.Length == 0) errors.Add("prefix part must be non-empty");
            else
            {
                if (Utf8Length(prefix) > PrefixMaxLength) errors.Add("prefix part " + MaxLength(PrefixMaxLength));
                if (!IsSubdomain(prefix)) errors.Add("prefix part " + SubdomainCharset);
            }
        }

        if (name.Length == 0) errors.Add("name part must be non-empty");
        else if (Utf8Length(name) > NameMaxLength) errors.Add("name part " + MaxLength(NameMaxLength));
        if (!IsName(name)) errors.Add("name part " + NameCharset);
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    /// <summary>Why <paramref name="value"/> is not a label value, or null when it is one (the empty value is one).</summary>
    public static string? ValueError(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var tooLong = Utf8Length(value) > ValueMaxLength;
        var badCharset = value.Length != 0 && !IsName(value);
        if (tooLong && badCharset) return MaxLength(ValueMaxLength) + "; " + ValueCharset;
        if (tooLong) return MaxLength(ValueMaxLength);
        return badCharset ? ValueCharset : null;
    }

    // Kubernetes measures in bytes; only ASCII passes the charset, so this matters for the length text of non-ASCII input.
    private static int Utf8Length(string text) => Encoding.UTF8.GetByteCount(text);

    private static string MaxLength(int bytes) => $"must be no more than {bytes} bytes";

    // Kubernetes' RegexError, double space after each example's comma included: the text kubectl users know.
    private static string RegexError(string message, string regex, params string[] examples)
    {
        var text = new StringBuilder(message).Append(" (e.g. ");
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0) text.Append(" or ");
            text.Append('\'').Append(examples[i]).Append("', ");
        }
        return text.Append("regex used for validation is '").Append(regex).Append("')").ToString();
    }

    /// <summary><c>([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]</c>, checked by hand: .NET's <c>$</c> would let a trailing newline through.</summary>
    internal static bool IsName(string text)
    {
        if (text.Length == 0 || !char.IsAsciiLetterOrDigit(text[0]) || !char.IsAsciiLetterOrDigit(text[^1])) return false;
        foreach (var c in text)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')) return false;
        return true;
    }

    /// <summary>Dot-separated lowercase RFC 1123 labels, each starting and ending with a letter or digit.</summary>
    private static bool IsSubdomain(string text)
    {
        foreach (var label in text.Split('.'))
        {
            if (label.Length == 0 || !IsLowerAlnum(label[0]) || !IsLowerAlnum(label[^1])) return false;
            foreach (var c in label)
                if (!IsLowerAlnum(c) && c != '-') return false;
        }
        return true;
    }

    private static bool IsLowerAlnum(char c) => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c);
}
