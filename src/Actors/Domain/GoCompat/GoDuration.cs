using System.Text;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Go's <c>time.Duration</c>: a signed 64-bit count of nanoseconds, its <c>String()</c> form
/// (<c>1.5s</c>, <c>1m30s</c>, <c>1h0m0s</c>, <c>1.5µs</c>) and <c>time.ParseDuration</c> with its
/// exact error texts. eKuiper writes config durations this way, so stored props and rule options
/// read the same as in eKuiper.
/// </summary>
public static class GoDuration
{
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;
    private const long Second = 1_000_000_000;

    /// <summary>Go's <c>time.Duration(nanoseconds).String()</c>.</summary>
    public static string Format(long nanoseconds)
    {
        // Go works on the unsigned magnitude, so MinValue prints correctly.
        var u = nanoseconds < 0 ? unchecked((ulong)-nanoseconds) : (ulong)nanoseconds;
        var neg = nanoseconds < 0;
        Span<char> buf = stackalloc char[32];
        var w = buf.Length;

        if (u < Second)
        {
            int prec;
            buf[--w] = 's';
            w--;
            if (u == 0) return "0s";
            if (u < Microsecond)
            {
                prec = 0;
                buf[w] = 'n';
            }
            else if (u < Millisecond)
            {
                prec = 3;
                buf[w] = 'µ'; // U+00B5, as Go writes it
            }
            else
            {
                prec = 6;
                buf[w] = 'm';
            }
            (w, u) = FormatFraction(buf[..w], u, prec);
            w = FormatInteger(buf[..w], u);
        }
        else
        {
            buf[--w] = 's';
            (w, u) = FormatFraction(buf[..w], u, 9);
            w = FormatInteger(buf[..w], u % 60);
            u /= 60;
            if (u > 0)
            {
                buf[--w] = 'm';
                w = FormatInteger(buf[..w], u % 60);
                u /= 60;
                if (u > 0)
                {
                    buf[--w] = 'h';
                    w = FormatInteger(buf[..w], u);
                }
            }
        }
        if (neg) buf[--w] = '-';
        return new string(buf[w..]);
    }

    /// <summary>
    /// <see cref="Format(long)"/> of a <see cref="TimeSpan"/> (whole 100 ns ticks).
    /// </summary>
    /// <exception cref="OverflowException">The span is beyond Go's ±292 years.</exception>
    public static string Format(TimeSpan duration) => Format(checked(duration.Ticks * 100));

    /// <summary>
    /// Go's <c>time.Duration(ms) * time.Millisecond</c>: the product wraps around on overflow, exactly as
    /// Go's 64-bit multiplication does (eKuiper never checks).
    /// </summary>
    public static long FromMilliseconds(long milliseconds) => unchecked(milliseconds * Millisecond);

    /// <summary>
    /// Go's <c>time.ParseDuration</c>. On failure <paramref name="error"/> is Go's text, e.g.
    /// <c>time: invalid duration "abc"</c>, <c>time: missing unit in duration "1"</c> or
    /// <c>time: unknown unit "d" in duration "1d"</c>.
    /// </summary>
    public static bool TryParse(string text, out long nanoseconds, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Go reads bytes; a lone surrogate reaches Go as U+FFFD.
        var orig = Encoding.UTF8.GetBytes(text);
        nanoseconds = 0;
        error = null;
        ReadOnlySpan<byte> s = orig;
        ulong d = 0;
        var neg = false;

        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        if (s.Length == 1 && s[0] == '0') return true;
        if (s.IsEmpty) return Fail(out error, "time: invalid duration " + TimeQuote(orig));

        while (!s.IsEmpty)
        {
            ulong v, f = 0;
            double scale = 1;
            if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
                return Fail(out error, "time: invalid duration " + TimeQuote(orig));

            var before = s.Length;
            if (!LeadingInt(ref s, out v)) return Fail(out error, "time: invalid duration " + TimeQuote(orig));
            var pre = before != s.Length;

            var post = false;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var fracBefore = s.Length;
                (f, scale) = LeadingFraction(ref s);
                post = fracBefore != s.Length;
            }
            if (!pre && !post) return Fail(out error, "time: invalid duration " + TimeQuote(orig));

            var i = 0;
            for (; i < s.Length; i++)
            {
                var c = s[i];
                if (c == '.' || (c >= '0' && c <= '9')) break;
            }
            if (i == 0) return Fail(out error, "time: missing unit in duration " + TimeQuote(orig));
            var unitBytes = s[..i];
            s = s[i..];
            if (!TryUnit(unitBytes, out var unit))
                return Fail(out error, "time: unknown unit " + TimeQuote(unitBytes) + " in duration " + TimeQuote(orig));
            if (v > (1UL << 63) / unit) return Fail(out error, "time: invalid duration " + TimeQuote(orig));
            v *= unit;
            if (f > 0)
            {
                v += (ulong)((double)f * ((double)unit / scale));
                if (v > 1UL << 63) return Fail(out error, "time: invalid duration " + TimeQuote(orig));
            }
            d += v;
            if (d > 1UL << 63) return Fail(out error, "time: invalid duration " + TimeQuote(orig));
        }
        if (neg)
        {
            nanoseconds = unchecked(-(long)d);
            return true;
        }
        if (d > long.MaxValue) return Fail(out error, "time: invalid duration " + TimeQuote(orig));
        nanoseconds = (long)d;
        return true;
    }

    private static bool Fail(out string? error, string text)
    {
        error = text;
        return false;
    }

    private static bool TryUnit(ReadOnlySpan<byte> unit, out ulong nanos)
    {
        nanos = unit switch
        {
            [(byte)'n', (byte)'s'] => 1,
            [(byte)'u', (byte)'s'] => Microsecond,
            [0xC2, 0xB5, (byte)'s'] => Microsecond, // µs, U+00B5 micro sign
            [0xCE, 0xBC, (byte)'s'] => Microsecond, // μs, U+03BC Greek mu
            [(byte)'m', (byte)'s'] => Millisecond,
            [(byte)'s'] => Second,
            [(byte)'m'] => 60 * Second,
            [(byte)'h'] => 3600 * Second,
            _ => 0,
        };
        return nanos != 0;
    }

    /// <summary>Go's <c>time.leadingInt</c>: the decimal digits at the start of <paramref name="s"/>, which is left after them; false past 2^63.</summary>
    internal static bool LeadingInt(ref ReadOnlySpan<byte> s, out ulong x)
    {
        x = 0;
        var i = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c < '0' || c > '9') break;
            if (x > (1UL << 63) / 10) return false;
            x = x * 10 + (ulong)(c - '0');
            if (x > 1UL << 63) return false;
        }
        s = s[i..];
        return true;
    }

    private static (ulong X, double Scale) LeadingFraction(ref ReadOnlySpan<byte> s)
    {
        ulong x = 0;
        double scale = 1;
        var overflow = false;
        var i = 0;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c < '0' || c > '9') break;
            if (overflow) continue;
            if (x > (ulong)(long.MaxValue / 10))
            {
                overflow = true;
                continue;
            }
            var y = x * 10 + (ulong)(c - '0');
            if (y > 1UL << 63)
            {
                overflow = true;
                continue;
            }
            x = y;
            scale *= 10;
        }
        s = s[i..];
        return (x, scale);
    }

    private static (int W, ulong V) FormatFraction(Span<char> buf, ulong v, int prec)
    {
        var w = buf.Length;
        var print = false;
        for (var i = 0; i < prec; i++)
        {
            var digit = v % 10;
            print = print || digit != 0;
            if (print) buf[--w] = (char)('0' + digit);
            v /= 10;
        }
        if (print) buf[--w] = '.';
        return (w, v);
    }

    private static int FormatInteger(Span<char> buf, ulong v)
    {
        var w = buf.Length;
        if (v == 0)
        {
            buf[--w] = '0';
            return w;
        }
        while (v > 0)
        {
            buf[--w] = (char)('0' + v % 10);
            v /= 10;
        }
        return w;
    }

    /// <summary>
    /// The <c>quote</c> of Go's time package (not <c>strconv.Quote</c>): printable ASCII as is with
    /// <c>"</c> and <c>\</c> escaped, every byte of anything else as <c>\xNN</c>.
    /// </summary>
    internal static string TimeQuote(ReadOnlySpan<byte> s)
    {
        const string hex = "0123456789abcdef";
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        var i = 0;
        while (i < s.Length)
        {
            var status = Rune.DecodeFromUtf8(s[i..], out var rune, out var size);
            var c = status == System.Buffers.OperationStatus.Done ? rune.Value : 0xFFFD;
            if (c >= 0x80 || c < ' ')
            {
                int width;
                if (c == 0xFFFD)
                {
                    width = 1;
                    if (i + 2 < s.Length && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBD) width = 3;
                }
                else
                {
                    width = size;
                }
                for (var j = 0; j < width; j++)
                {
                    sb.Append("\\x").Append(hex[s[i + j] >> 4]).Append(hex[s[i + j] & 0xF]);
                }
                // Go's range loop steps over the decoded rune (one byte for an invalid one).
                i += status == System.Buffers.OperationStatus.Done ? size : 1;
                continue;
            }
            if (c == '"' || c == '\\') sb.Append('\\');
            sb.Append((char)c);
            i += size;
        }
        sb.Append('"');
        return sb.ToString();
    }
}
