using System.Globalization;
using System.Text;

namespace Kuiper.Actors.Rules.Sql;

/// <summary>
/// The few Go text conventions eKuiper's parser messages depend on (for <c>%q</c> quoting see
/// <see cref="Kuiper.Actors.GoCompat.GoQuote"/>): string-literal unquoting, shortest <c>'g'</c> float
/// formatting and integer parsing.
/// </summary>
internal static class GoText
{
    /// <summary>
    /// Go's <c>strconv.Unquote</c> for a double-quoted literal (the only form eKuiper's lexer hands it).
    /// Returns false where Go reports a syntax error.
    /// </summary>
    public static bool TryUnquote(string quoted, out string value)
    {
        value = "";
        if (quoted.Length < 2 || quoted[0] != '"')
        {
            return false;
        }
        var bytes = new List<byte>(quoted.Length);
        var i = 1;
        while (i < quoted.Length && quoted[i] != '"')
        {
            var c = quoted[i];
            if (c == '\n')
            {
                return false;
            }
            if (c != '\\')
            {
                var take = char.IsHighSurrogate(c) && i + 1 < quoted.Length && char.IsLowSurrogate(quoted[i + 1]) ? 2 : 1;
                bytes.AddRange(Encoding.UTF8.GetBytes(quoted.Substring(i, take)));
                i += take;
                continue;
            }
            if (i + 1 >= quoted.Length)
            {
                return false;
            }
            var e = quoted[i + 1];
            i += 2;
            switch (e)
            {
                case 'a': bytes.Add(0x07); break;
                case 'b': bytes.Add(0x08); break;
                case 'f': bytes.Add(0x0c); break;
                case 'n': bytes.Add(0x0a); break;
                case 'r': bytes.Add(0x0d); break;
                case 't': bytes.Add(0x09); break;
                case 'v': bytes.Add(0x0b); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '"': bytes.Add((byte)'"'); break;
                case 'x':
                case 'u':
                case 'U':
                {
                    var n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n > quoted.Length)
                    {
                        return false;
                    }
                    var v = 0;
                    for (var j = 0; j < n; j++)
                    {
                        var h = HexValue(quoted[i + j]);
                        if (h < 0)
                        {
                            return false;
                        }
                        v = (v << 4) | h;
                    }
                    i += n;
                    if (e == 'x')
                    {
                        bytes.Add((byte)v);
                        break;
                    }
                    if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) || v < 0)
                    {
                        return false;
                    }
                    bytes.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(v)));
                    break;
                }
                case >= '0' and <= '7':
                {
                    var v = e - '0';
                    if (i + 2 > quoted.Length)
                    {
                        return false;
                    }
                    for (var j = 0; j < 2; j++)
                    {
                        var d = quoted[i + j] - '0';
                        if (d < 0 || d > 7)
                        {
                            return false;
                        }
                        v = (v << 3) | d;
                    }
                    i += 2;
                    if (v > 255)
                    {
                        return false;
                    }
                    bytes.Add((byte)v);
                    break;
                }
                default:
                    return false;
            }
        }
        // The closing quote must be the last character.
        if (i != quoted.Length - 1)
        {
            return false;
        }
        value = Encoding.UTF8.GetString(bytes.ToArray());
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Go's <c>strconv.Atoi</c> value for a lexer INTEGER (an optional '-' then digits); out-of-range values clamp.</summary>
    public static bool TryAtoi(string text, out long value)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }
        value = text.StartsWith('-') ? long.MinValue : long.MaxValue;
        return false;
    }

    /// <summary>Go's <c>strconv.ParseFloat(s, 64)</c> for lexer NUMBER text (digits, dots, optional leading '-').</summary>
    public static bool TryParseFloat(string text, out double value)
    {
        value = 0;
        if (text.Count(c => c == '.') > 1 || !text.Any(char.IsAsciiDigit))
        {
            return false;
        }
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            return false;
        }
        return !double.IsInfinity(value);
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, 'g', -1, 64)</c>.</summary>
    public static string FormatFloat(double v)
    {
        if (double.IsNaN(v))
        {
            return "NaN";
        }
        if (double.IsPositiveInfinity(v))
        {
            return "+Inf";
        }
        if (double.IsNegativeInfinity(v))
        {
            return "-Inf";
        }
        // .NET's "R" gives the shortest digits that round-trip, as Go's precision -1 does.
        var shortest = v.ToString("R", CultureInfo.InvariantCulture);
        var neg = shortest.StartsWith('-');
        var (digits, dp) = Decompose(shortest.TrimStart('-'));
        if (digits.Length == 0)
        {
            return neg ? "-0" : "0";
        }
        var exp = dp - 1;
        var sb = new StringBuilder();
        if (neg)
        {
            sb.Append('-');
        }
        // For the shortest form Go switches to %e when the exponent is < -4 or >= 6.
        if (exp < -4 || exp >= 6)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }
            sb.Append('e').Append(exp < 0 ? '-' : '+');
            var abs = Math.Abs(exp);
            sb.Append(abs < 10 ? "0" + abs.ToString(CultureInfo.InvariantCulture) : abs.ToString(CultureInfo.InvariantCulture));
            return sb.ToString();
        }
        if (dp <= 0)
        {
            sb.Append("0.").Append('0', -dp).Append(digits);
        }
        else if (dp >= digits.Length)
        {
            sb.Append(digits).Append('0', dp - digits.Length);
        }
        else
        {
            sb.Append(digits, 0, dp).Append('.').Append(digits, dp, digits.Length - dp);
        }
        return sb.ToString();
    }

    /// <summary>Splits .NET's round-trip text into significant digits and the decimal point position.</summary>
    private static (string Digits, int DecimalPoint) Decompose(string text)
    {
        var exponent = 0;
        var ePos = text.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(text[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..ePos];
        }
        var dot = text.IndexOf('.');
        var intPart = dot >= 0 ? text[..dot] : text;
        var fracPart = dot >= 0 ? text[(dot + 1)..] : "";
        var all = intPart + fracPart;
        var dp = intPart.Length + exponent;
        var lead = 0;
        while (lead < all.Length && all[lead] == '0')
        {
            lead++;
        }
        all = all[lead..];
        dp -= lead;
        all = all.TrimEnd('0');
        return (all, dp);
    }
}
