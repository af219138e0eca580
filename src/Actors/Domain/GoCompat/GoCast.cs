using Kuiper.Domain.GoCompat;
using System.Globalization;

namespace Kuiper.Domain.GoCompat;

/// <summary>The pieces of eKuiper's <c>pkg/cast</c> and Go's <c>strconv</c> that property rewriting relies on.</summary>
internal static class GoCast
{
    /// <summary>
    /// eKuiper's <c>cast.ToInt(v, CONVERT_ALL)</c> for a value decoded from JSON: a number is truncated
    /// (Go's <c>int(f)</c> on amd64), a string is read by <c>strconv.ParseInt(s, 0, 0)</c> (so
    /// <c>0x10</c>, <c>010</c>, <c>0b11</c>, <c>1_000</c> and <c>+5</c> count), <c>true</c> is 1,
    /// <c>false</c> and <c>null</c> are 0; objects and arrays do not convert.
    /// </summary>
    public static bool TryToIntConvertAll(GoJsonNode value, out long result)
    {
        result = 0;
        switch (value.Kind)
        {
            case GoJsonKind.Null:
            case GoJsonKind.False:
                return true;
            case GoJsonKind.True:
                result = 1;
                return true;
            case GoJsonKind.Number:
                result = GoFloat.ToInt64Amd64(double.Parse(value.Text!, NumberStyles.Float, CultureInfo.InvariantCulture));
                return true;
            case GoJsonKind.String:
                return TryParseInt(value.Text!, out result);
            default:
                return false;
        }
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c>: base from the prefix, underscores allowed.</summary>
    public static bool TryParseInt(string s, out long result)
    {
        result = 0;
        if (s.Length == 0) return false;
        var neg = false;
        var unsigned = s;
        if (s[0] == '+') unsigned = s[1..];
        else if (s[0] == '-')
        {
            neg = true;
            unsigned = s[1..];
        }
        if (!TryParseUint(unsigned, out var un)) return false;
        const ulong cutoff = 1UL << 63;
        if (!neg && un >= cutoff) return false;
        if (neg && un > cutoff) return false;
        result = neg ? unchecked(-(long)un) : (long)un;
        return true;
    }

    private static bool TryParseUint(string s0, out ulong n)
    {
        n = 0;
        if (s0.Length == 0) return false;
        var s = s0;
        var numberBase = 10;
        if (s[0] == '0')
        {
            if (s.Length >= 3 && Lower(s[1]) == 'b')
            {
                numberBase = 2;
                s = s[2..];
            }
            else if (s.Length >= 3 && Lower(s[1]) == 'o')
            {
                numberBase = 8;
                s = s[2..];
            }
            else if (s.Length >= 3 && Lower(s[1]) == 'x')
            {
                numberBase = 16;
                s = s[2..];
            }
            else
            {
                numberBase = 8;
                s = s[1..];
            }
        }

        var cutoff = ulong.MaxValue / (ulong)numberBase + 1;
        var underscores = false;
        foreach (var c in s)
        {
            int d;
            if (c == '_')
            {
                underscores = true;
                continue;
            }
            if (c is >= '0' and <= '9') d = c - '0';
            else if (Lower(c) is >= 'a' and <= 'z') d = Lower(c) - 'a' + 10;
            else return false;
            if (d >= numberBase) return false;
            if (n >= cutoff) return false;
            n *= (ulong)numberBase;
            var n1 = n + (ulong)d;
            if (n1 < n) return false;
            n = n1;
        }
        return !underscores || UnderscoreOk(s0);
    }

    // Go's underscoreOK: underscores only between digits, or between a base prefix and a digit.
    private static bool UnderscoreOk(string s)
    {
        var saw = '^';
        var i = 0;
        if (s.Length >= 1 && (s[0] == '-' || s[0] == '+')) s = s[1..];
        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && Lower(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = Lower(s[1]) == 'x';
        }
        for (; i < s.Length; i++)
        {
            if (s[i] is >= '0' and <= '9' || (hex && Lower(s[i]) is >= 'a' and <= 'f'))
            {
                saw = '0';
                continue;
            }
            if (s[i] == '_')
            {
                if (saw != '0') return false;
                saw = '_';
                continue;
            }
            if (saw == '_') return false;
            saw = '!';
        }
        return saw != '_';
    }

    // Go's strconv lower: sets the 0x20 bit, which only means "lower case" for letters.
    private static char Lower(char c) => (char)(c | 0x20);
}
