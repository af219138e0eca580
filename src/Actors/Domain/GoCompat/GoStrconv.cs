using System.Globalization;
using System.Numerics;
using System.Text;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Go's <c>strconv</c> as eKuiper's parsers use it: <c>Unquote</c> of a double-quoted literal,
/// <c>ParseInt(s, 0, 64)</c>, <c>Atoi</c>, <c>ParseFloat(s, 64)</c>, <c>ParseBool</c> and
/// <c>FormatFloat(v, 'g', -1, 64)</c>. For <c>Quote</c> see <see cref="GoQuote"/>.
/// Written from the documented Go semantics, not translated from Go source.
/// </summary>
internal static class GoStrconv
{
    /// <summary>Go's <c>math.NaN()</c> bit pattern (0x7FF8000000000001), which <c>ParseFloat("nan")</c> returns.</summary>
    public static readonly double GoNaN = BitConverter.Int64BitsToDouble(0x7FF8000000000001);

    /// <summary>
    /// Go <c>strconv.Unquote</c> restricted to a double-quoted literal (the scanner always hands it one).
    /// Returns false when Go would report a syntax error. Bytes produced by <c>\x</c> / octal escapes are
    /// decoded as UTF-8 at the end (invalid sequences become U+FFFD; Go would keep the raw bytes).
    /// </summary>
    public static bool TryUnquote(string word, out string value)
    {
        value = "";
        if (word.Length < 2 || word[0] != '"')
        {
            return false;
        }

        var bytes = new List<byte>(word.Length);
        var i = 1;
        while (i < word.Length && word[i] != '"')
        {
            var c = word[i];
            if (c == '\n')
            {
                return false;
            }

            if (c != '\\')
            {
                var len = char.IsHighSurrogate(c) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
                AppendUtf8(bytes, word.Substring(i, len));
                i += len;
                continue;
            }

            if (i + 1 >= word.Length)
            {
                return false;
            }

            var e = word[i + 1];
            i += 2;
            switch (e)
            {
                case 'a': bytes.Add(0x07); break;
                case 'b': bytes.Add(0x08); break;
                case 'f': bytes.Add(0x0C); break;
                case 'n': bytes.Add(0x0A); break;
                case 'r': bytes.Add(0x0D); break;
                case 't': bytes.Add(0x09); break;
                case 'v': bytes.Add(0x0B); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '"': bytes.Add((byte)'"'); break;
                case 'x':
                case 'u':
                case 'U':
                {
                    var n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + n > word.Length)
                    {
                        return false;
                    }

                    var code = 0L;
                    for (var j = 0; j < n; j++)
                    {
                        var h = HexValue(word[i + j]);
                        if (h < 0)
                        {
                            return false;
                        }

                        code = (code << 4) | (uint)h;
                    }

                    i += n;
                    if (e == 'x')
                    {
                        bytes.Add((byte)code);
                    }
                    else
                    {
                        if (code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
                        {
                            return false;
                        }

                        AppendUtf8(bytes, char.ConvertFromUtf32((int)code));
                    }

                    break;
                }

                case >= '0' and <= '7':
                {
                    if (i + 2 > word.Length)
                    {
                        return false;
                    }

                    var octal = e - '0';
                    for (var j = 0; j < 2; j++)
                    {
                        var d = word[i + j] - '0';
                        if (d < 0 || d > 7)
                        {
                            return false;
                        }

                        octal = (octal << 3) | d;
                    }

                    i += 2;
                    if (octal > 255)
                    {
                        return false;
                    }

                    bytes.Add((byte)octal);
                    break;
                }

                default:
                    // Includes \' which is only legal inside a single-quoted Go literal.
                    return false;
            }
        }

        // Must end exactly with the terminating quote.
        if (i != word.Length - 1)
        {
            return false;
        }

        value = Encoding.UTF8.GetString(bytes.ToArray());
        return true;
    }

    private static void AppendUtf8(List<byte> bytes, string s) => bytes.AddRange(Encoding.UTF8.GetBytes(s));

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    private static char LowerAscii(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;

    /// <summary>Go's rule for <c>_</c> digit separators (sign, optional base prefix, digits, single underscores between digits).</summary>
    private static bool UnderscoreOk(string s)
    {
        var saw = '^';
        var i = 0;
        if (s.Length >= 1 && (s[0] == '-' || s[0] == '+'))
        {
            s = s[1..];
        }

        var hex = false;
        if (s.Length >= 2 && s[0] == '0' && LowerAscii(s[1]) is 'b' or 'o' or 'x')
        {
            i = 2;
            saw = '0';
            hex = LowerAscii(s[1]) == 'x';
        }

        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= '0' and <= '9' || (hex && LowerAscii(c) is >= 'a' and <= 'f'))
            {
                saw = '0';
                continue;
            }

            if (c == '_')
            {
                if (saw != '0')
                {
                    return false;
                }

                saw = '_';
                continue;
            }

            if (saw == '_')
            {
                return false;
            }

            saw = '!';
        }

        return saw != '_';
    }

    /// <summary>
    /// Go <c>strconv.Atoi</c> (a 64-bit <c>int</c>): an optional sign and decimal digits, nothing else. False on a
    /// syntax error (value 0) or when out of range; then, as in Go, the value is clamped to the int64 range.
    /// </summary>
    public static bool TryAtoi(string s, out long value)
    {
        value = 0;
        var digits = s.Length > 0 && (s[0] == '+' || s[0] == '-') ? s[1..] : s;

        // The explicit digit check matters: .NET's integer parsing would also accept trailing NULs.
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        value = s[0] == '-' ? long.MinValue : long.MaxValue;
        return false;
    }

    /// <summary>Go <c>strconv.ParseInt(s, 0, 64)</c>: sign, 0b/0o/0x/0 prefixes, underscores, int64 range.</summary>
    public static bool TryParseInt64Base0(string s, out long value)
    {
        value = 0;
        if (s.Length == 0)
        {
            return false;
        }

        var negative = false;
        var body = s;
        if (s[0] == '+')
        {
            body = s[1..];
        }
        else if (s[0] == '-')
        {
            negative = true;
            body = s[1..];
        }

        if (body.Length == 0)
        {
            return false;
        }

        var original = body;
        var numberBase = 10UL;
        if (body[0] == '0')
        {
            if (body.Length >= 3 && LowerAscii(body[1]) == 'b')
            {
                numberBase = 2;
                body = body[2..];
            }
            else if (body.Length >= 3 && LowerAscii(body[1]) == 'o')
            {
                numberBase = 8;
                body = body[2..];
            }
            else if (body.Length >= 3 && LowerAscii(body[1]) == 'x')
            {
                numberBase = 16;
                body = body[2..];
            }
            else
            {
                numberBase = 8;
                body = body[1..];
            }
        }

        var underscores = false;
        var n = 0UL;
        foreach (var c in body)
        {
            if (c == '_')
            {
                underscores = true;
                continue;
            }

            ulong d;
            if (c is >= '0' and <= '9')
            {
                d = (ulong)(c - '0');
            }
            else if (LowerAscii(c) is >= 'a' and <= 'z')
            {
                d = (ulong)(LowerAscii(c) - 'a' + 10);
            }
            else
            {
                return false;
            }

            if (d >= numberBase)
            {
                return false;
            }

            if (n > (ulong.MaxValue - d) / numberBase)
            {
                return false; // out of range
            }

            n = (n * numberBase) + d;
        }

        if (underscores && !UnderscoreOk(original))
        {
            return false;
        }

        const ulong cutoff = 1UL << 63;
        if ((!negative && n >= cutoff) || (negative && n > cutoff))
        {
            return false;
        }

        value = negative ? (long)(0UL - n) : (long)n;
        return true;
    }

    /// <summary>
    /// Go <c>strconv.ParseFloat(s, 64)</c>: decimal and hexadecimal (<c>0x..p..</c>) forms, underscores,
    /// inf/infinity/nan. Overflow to infinity is an error, as in Go.
    /// </summary>
    public static bool TryParseFloat64(string s, out double value)
    {
        value = 0;
        if (TrySpecialFloat(s, out value))
        {
            return true;
        }

        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            negative = s[i] == '-';
            i++;
        }

        var hex = false;
        if (i + 2 < s.Length && s[i] == '0' && LowerAscii(s[i + 1]) == 'x')
        {
            hex = true;
            i += 2;
        }

        var mantissa = new StringBuilder();
        var fractionDigits = 0;
        var sawDot = false;
        var sawDigits = false;
        var underscores = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '_')
            {
                underscores = true;
                continue;
            }

            if (c == '.')
            {
                if (sawDot)
                {
                    break;
                }

                sawDot = true;
                continue;
            }

            if (c is >= '0' and <= '9' || (hex && LowerAscii(c) is >= 'a' and <= 'f'))
            {
                sawDigits = true;
                mantissa.Append(c);
                if (sawDot)
                {
                    fractionDigits++;
                }

                continue;
            }

            break;
        }

        if (!sawDigits)
        {
            return false;
        }

        var exponent = 0L;
        var hasExponent = false;
        if (i < s.Length && LowerAscii(s[i]) == (hex ? 'p' : 'e'))
        {
            i++;
            if (i >= s.Length)
            {
                return false;
            }

            var exponentSign = 1;
            if (s[i] == '+')
            {
                i++;
            }
            else if (s[i] == '-')
            {
                i++;
                exponentSign = -1;
            }

            if (i >= s.Length || s[i] is < '0' or > '9')
            {
                return false;
            }

            for (; i < s.Length && (s[i] is >= '0' and <= '9' || s[i] == '_'); i++)
            {
                if (s[i] == '_')
                {
                    underscores = true;
                    continue;
                }

                if (exponent < 100000)
                {
                    exponent = (exponent * 10) + (s[i] - '0');
                }
            }

            exponent *= exponentSign;
            hasExponent = true;
        }
        else if (hex)
        {
            return false; // a hexadecimal float must have a p exponent
        }

        if (i != s.Length)
        {
            return false;
        }

        if (underscores && !UnderscoreOk(s))
        {
            return false;
        }

        double magnitude;
        if (hex)
        {
            var bits = BigInteger.Parse("0" + mantissa, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            var binaryExponent = exponent - (4L * fractionDigits);
            magnitude = bits.IsZero ? 0 : ScaleBig(bits, binaryExponent);
        }
        else
        {
            var text = mantissa.ToString();
            var decimalExponent = (hasExponent ? exponent : 0) - fractionDigits;
            magnitude = double.Parse(
                text + "e" + decimalExponent.ToString(CultureInfo.InvariantCulture),
                NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture);
        }

        if (double.IsInfinity(magnitude))
        {
            return false;
        }

        value = negative ? -magnitude : magnitude;
        return true;
    }

    private static double ScaleBig(BigInteger bits, long binaryExponent)
    {
        // Keep 64 significant bits then scale; adequate for the DEFAULT literals this parser sees.
        var length = (long)bits.GetBitLength();
        var shift = Math.Max(0, length - 64);
        var top = (double)(ulong)(bits >> (int)shift);
        var e = binaryExponent + shift;
        if (e > 4000)
        {
            return double.PositiveInfinity;
        }

        return e < -4000 ? 0 : Math.ScaleB(top, (int)e);
    }

    private static bool TrySpecialFloat(string s, out double value)
    {
        value = 0;
        var body = s;
        var sign = 1.0;
        var signed = false;
        if (body.Length > 0 && (body[0] == '+' || body[0] == '-'))
        {
            sign = body[0] == '-' ? -1 : 1;
            body = body[1..];
            signed = true;
        }

        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) ||
            body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = sign * double.PositiveInfinity;
            return true;
        }

        if (!signed && body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = GoNaN;
            return true;
        }

        return false;
    }

    /// <summary>Go <c>strconv.ParseBool</c>.</summary>
    public static bool TryParseBool(string s, out bool value)
    {
        switch (s)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>Go's <c>strconv.FormatFloat(v, 'g', -1, 64)</c>, which is also what <c>fmt</c>'s <c>%v</c> prints.</summary>
    public static string FormatFloat(double v) => GoFloat.FormatG(v);
}
