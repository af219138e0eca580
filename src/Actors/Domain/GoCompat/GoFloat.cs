using System.Globalization;
using System.Text;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Go's float64 texts: <c>strconv.ParseFloat</c> (an out-of-range literal is an error, not infinity),
/// the form <c>json.Marshal</c> writes (<c>1e+21</c>, <c>1e-7</c>, <c>100</c>) and the shortest
/// <c>%g</c> that <c>strconv.FormatFloat</c> and <c>fmt</c>'s <c>%v</c> write (<c>1e+06</c>, <c>1.234567e+06</c>, <c>1e-05</c>).
/// </summary>
internal static class GoFloat
{
    /// <summary>Go's <c>strconv.ParseFloat(literal, 64)</c> on a JSON number literal; false when it overflows.</summary>
    public static bool TryParse(string literal, out double value)
    {
        value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        return !double.IsInfinity(value);
    }

    /// <summary>Go's <c>encoding/json</c> float64 encoding.</summary>
    public static string FormatJson(double f)
    {
        var abs = Math.Abs(f);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var e = FormatE(f);
            // Go cleans e-09 up to e-9.
            var n = e.Length;
            if (n >= 4 && e[n - 4] == 'e' && e[n - 3] == '-' && e[n - 2] == '0') e = e[..(n - 2)] + e[n - 1];
            return e;
        }
        return FormatF(f);
    }

    /// <summary>
    /// Go's shortest <c>%g</c> (<c>strconv.FormatFloat(f, 'g', -1, 64)</c>, <c>fmt</c>'s <c>%v</c>): <c>%e</c> when the
    /// exponent is below -4 or at least 6.
    /// </summary>
    public static string FormatG(double f)
    {
        if (double.IsNaN(f)) return "NaN";
        if (double.IsInfinity(f)) return f > 0 ? "+Inf" : "-Inf";
        if (f == 0) return double.IsNegative(f) ? "-0" : "0";
        var (_, dp) = Shortest(f);
        var exp = dp - 1;
        return exp < -4 || exp >= 6 ? FormatE(f) : FormatF(f);
    }

    /// <summary>Go's int(f) on amd64: truncation, and 0x8000000000000000 for anything out of range.</summary>
    public static long ToInt64Amd64(double f)
    {
        if (double.IsNaN(f) || f >= 9223372036854775808.0 || f < -9223372036854775808.0) return long.MinValue;
        return (long)Math.Truncate(f);
    }

    // Shortest decimal digits that round-trip (no leading or trailing zeros) and the decimal point
    // position: value = 0.DIGITS × 10^dp.
    private static (string Digits, int Dp) Shortest(double f)
    {
        var r = Math.Abs(f).ToString("R", CultureInfo.InvariantCulture);
        var exp = 0;
        var ePos = r.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exp = int.Parse(r.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }
        var dot = r.IndexOf('.');
        var intPart = dot >= 0 ? r[..dot] : r;
        var fracPart = dot >= 0 ? r[(dot + 1)..] : "";
        var digits = intPart + fracPart;
        var dp = intPart.Length + exp;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0') lead++;
        digits = digits[lead..];
        dp -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0) return ("0", 1);
        return (digits, dp);
    }

    private static string FormatF(double f)
    {
        var sb = new StringBuilder();
        if (double.IsNegative(f)) sb.Append('-');
        if (f == 0) return sb.Append('0').ToString();
        var (d, dp) = Shortest(f);
        if (dp <= 0) sb.Append("0.").Append('0', -dp).Append(d);
        else if (dp >= d.Length) sb.Append(d).Append('0', dp - d.Length);
        else sb.Append(d, 0, dp).Append('.').Append(d, dp, d.Length - dp);
        return sb.ToString();
    }

    private static string FormatE(double f)
    {
        var sb = new StringBuilder();
        if (double.IsNegative(f)) sb.Append('-');
        var (d, dp) = f == 0 ? ("0", 1) : Shortest(f);
        sb.Append(d[0]);
        if (d.Length > 1) sb.Append('.').Append(d, 1, d.Length - 1);
        var exp = dp - 1;
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        var abs = Math.Abs(exp);
        if (abs < 10) sb.Append('0');
        sb.Append(abs.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
