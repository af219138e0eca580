namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Go's <c>time.ParseInLocation(layout, value, loc)</c>, success or failure only (jinzhu/now drops Go's
/// error text). Values are Go byte strings: one char per byte.
/// </summary>
internal static class GoTimeParse
{
    private enum Std
    {
        None,
        LongMonth, Month, NumMonth, ZeroMonth, LongWeekDay, WeekDay, Day, UnderDay, ZeroDay, UnderYearDay, ZeroYearDay,
        Hour, Hour12, ZeroHour12, Minute, ZeroMinute, Second, ZeroSecond,
        LongYear, Year, PM, pm,
        TZ, ISO8601TZ, ISO8601SecondsTZ, ISO8601ShortTZ, ISO8601ColonTZ, ISO8601ColonSecondsTZ,
        NumTZ, NumSecondsTz, NumShortTZ, NumColonTZ, NumColonSecondsTZ,
        FracSecond0, FracSecond9,
    }

    private static readonly string[] LongDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] ShortDayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] ShortMonthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    private static readonly string[] LongMonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static (GoInstant Instant, GoLocation Location)? Parse(string layout, string value, GoLocation local)
    {
        var amSet = false;
        var pmSet = false;
        long year = 0;
        var month = -1;
        var day = -1;
        var yday = -1;
        var hour = 0;
        var min = 0;
        var sec = 0;
        var nsec = 0;
        var utc = false;
        var zoneOffset = -1;
        var zoneName = "";

        while (true)
        {
            var (prefix, std, fracDigits, suffix) = NextStdChunk(layout);
            if (!Skip(ref value, prefix)) return null;
            if (std == Std.None)
            {
                if (value.Length != 0) return null;
                break;
            }
            layout = suffix;
            var ok = true;
            var rangeErr = false;
            switch (std)
            {
                case Std.Year:
                    if (value.Length < 2)
                    {
                        ok = false;
                        break;
                    }
                    if (Atoi(value[..2], out var yy))
                    {
                        value = value[2..];
                        year = yy >= 69 ? yy + 1900 : yy + 2000;
                    }
                    else
                    {
                        ok = false;
                    }
                    break;
                case Std.LongYear:
                    if (value.Length < 4 || !IsDigit(value, 0))
                    {
                        ok = false;
                        break;
                    }
                    ok = Atoi(value[..4], out var y4);
                    year = y4;
                    value = value[4..];
                    break;
                case Std.Month:
                    ok = Lookup(ShortMonthNames, ref value, out month);
                    month++;
                    break;
                case Std.LongMonth:
                    ok = Lookup(LongMonthNames, ref value, out month);
                    month++;
                    break;
                case Std.NumMonth:
                case Std.ZeroMonth:
                    ok = GetNum(ref value, std == Std.ZeroMonth, out month);
                    if (ok && (month <= 0 || month > 12)) rangeErr = true;
                    break;
                case Std.WeekDay:
                    ok = Lookup(ShortDayNames, ref value, out _);
                    break;
                case Std.LongWeekDay:
                    ok = Lookup(LongDayNames, ref value, out _);
                    break;
                case Std.Day:
                case Std.UnderDay:
                case Std.ZeroDay:
                    if (std == Std.UnderDay && value.Length > 0 && value[0] == ' ') value = value[1..];
                    ok = GetNum(ref value, std == Std.ZeroDay, out day);
                    break;
                case Std.UnderYearDay:
                case Std.ZeroYearDay:
                    for (var i = 0; i < 2; i++)
                        if (std == Std.UnderYearDay && value.Length > 0 && value[0] == ' ') value = value[1..];
                    ok = GetNum3(ref value, std == Std.ZeroYearDay, out yday);
                    break;
                case Std.Hour:
                    ok = GetNum(ref value, false, out hour);
                    if (hour < 0 || hour >= 24) rangeErr = true;
                    break;
                case Std.Hour12:
                case Std.ZeroHour12:
                    ok = GetNum(ref value, std == Std.ZeroHour12, out hour);
                    if (hour < 0 || hour > 12) rangeErr = true;
                    break;
                case Std.Minute:
                case Std.ZeroMinute:
                    ok = GetNum(ref value, std == Std.ZeroMinute, out min);
                    if (min < 0 || min >= 60) rangeErr = true;
                    break;
                case Std.Second:
                case Std.ZeroSecond:
                    ok = GetNum(ref value, std == Std.ZeroSecond, out sec);
                    if (sec < 0 || sec >= 60)
                    {
                        rangeErr = true;
                        break;
                    }
                    // A fractional second the layout does not ask for is still taken.
                    if (value.Length >= 2 && CommaOrPeriod(value[0]) && IsDigit(value, 1))
                    {
                        var next = NextStdChunk(layout).Std;
                        if (next is Std.FracSecond0 or Std.FracSecond9) break;
                        var n = 2;
                        while (n < value.Length && IsDigit(value, n)) n++;
                        ok = ParseNanoseconds(value, n, out nsec, out rangeErr);
                        value = value[n..];
                    }
                    break;
                case Std.PM:
                case Std.pm:
                    if (value.Length < 2)
                    {
                        ok = false;
                        break;
                    }
                    var p = value[..2];
                    value = value[2..];
                    if (p == (std == Std.PM ? "PM" : "pm")) pmSet = true;
                    else if (p == (std == Std.PM ? "AM" : "am")) amSet = true;
                    else ok = false;
                    break;
                case Std.ISO8601TZ or Std.ISO8601ColonTZ or Std.ISO8601SecondsTZ or Std.ISO8601ShortTZ or Std.ISO8601ColonSecondsTZ
                    or Std.NumTZ or Std.NumShortTZ or Std.NumColonTZ or Std.NumSecondsTz or Std.NumColonSecondsTZ:
                    if (std is Std.ISO8601TZ or Std.ISO8601ShortTZ or Std.ISO8601ColonTZ && value.Length >= 1 && value[0] == 'Z')
                    {
                        value = value[1..];
                        utc = true;
                        break;
                    }
                    ok = ParseOffset(std, ref value, out zoneOffset);
                    break;
                case Std.TZ:
                    if (value.Length >= 3 && value[..3] == "UTC")
                    {
                        utc = true;
                        value = value[3..];
                        break;
                    }
                    var tzLength = ParseTimeZone(value);
                    if (tzLength == 0)
                    {
                        ok = false;
                        break;
                    }
                    zoneName = value[..tzLength];
                    value = value[tzLength..];
                    break;
                case Std.FracSecond0:
                    var ndigit = 1 + fracDigits;
                    if (value.Length < ndigit)
                    {
                        ok = false;
                        break;
                    }
                    ok = ParseNanoseconds(value, ndigit, out nsec, out rangeErr);
                    value = value[ndigit..];
                    break;
                case Std.FracSecond9:
                    if (value.Length < 2 || !CommaOrPeriod(value[0]) || value[1] < '0' || value[1] > '9') break;
                    var k = 0;
                    while (k < 9 && k + 1 < value.Length && value[k + 1] >= '0' && value[k + 1] <= '9') k++;
                    ok = ParseNanoseconds(value, 1 + k, out nsec, out rangeErr);
                    value = value[(1 + k)..];
                    break;
            }
            if (rangeErr || !ok) return null;
        }

        if (pmSet && hour < 12) hour += 12;
        else if (amSet && hour == 12) hour = 0;

        if (yday >= 0)
        {
            var d = 0;
            var m = 0;
            if (Civil.IsLeap(year))
            {
                if (yday == 31 + 29)
                {
                    m = 2;
                    d = 29;
                }
                else if (yday > 31 + 29)
                {
                    yday--;
                }
            }
            if (yday < 1 || yday > 365) return null;
            if (m == 0)
            {
                m = (yday - 1) / 31 + 1;
                if (DaysBefore(m) < yday) m++;
                d = yday - DaysBefore(m - 1);
            }
            if (month >= 0 && month != m) return null;
            month = m;
            if (day >= 0 && day != d) return null;
            day = d;
        }
        else
        {
            if (month < 0) month = 1;
            if (day < 0) day = 1;
        }

        if (day < 1 || day > Civil.DaysIn(month, year)) return null;

        if (utc)
            return (GoLocation.Utc.Date(year, month, day, hour, min, sec, nsec), GoLocation.Utc);

        if (zoneOffset != -1)
        {
            var t = GoLocation.Utc.Date(year, month, day, hour, min, sec, nsec);
            t = t with { Sec = t.Sec - zoneOffset };
            // A zone offset that the local zone has at that instant means the local zone.
            if (local.OffsetAt(t.Sec) == zoneOffset && zoneName.Length == 0) return (t, local);
            return (t, GoLocation.Fixed(zoneOffset));
        }

        if (zoneName.Length > 0)
        {
            var t = GoLocation.Utc.Date(year, month, day, hour, min, sec, nsec);
            // Zone abbreviations are not known here (see CronDatetimeRangeValidation): a fabricated zone.
            var offset = 0;
            if (zoneName.Length > 3 && zoneName.StartsWith("GMT", StringComparison.Ordinal))
            {
                Atoi(zoneName[3..], out var h);
                offset = h * 3600;
            }
            // Go only labels the wall clock read as UTC with the fabricated zone: the instant is not shifted.
            return (t, GoLocation.Fixed(offset));
        }

        return (local.Date(year, month, day, hour, min, sec, nsec), local);
    }

    private static int DaysBefore(int m) => m switch
    {
        0 => 0, 1 => 31, 2 => 59, 3 => 90, 4 => 120, 5 => 151, 6 => 181, 7 => 212, 8 => 243, 9 => 273, 10 => 304, 11 => 334, _ => 365,
    };

    private static bool ParseOffset(Std std, ref string value, out int zoneOffset)
    {
        zoneOffset = -1;
        string sign, hh, mm, ss;
        if (std is Std.ISO8601ColonTZ or Std.NumColonTZ)
        {
            if (value.Length < 6 || value[3] != ':') return false;
            (sign, hh, mm, ss, value) = (value[..1], value[1..3], value[4..6], "00", value[6..]);
        }
        else if (std is Std.NumShortTZ or Std.ISO8601ShortTZ)
        {
            if (value.Length < 3) return false;
            (sign, hh, mm, ss, value) = (value[..1], value[1..3], "00", "00", value[3..]);
        }
        else if (std is Std.ISO8601ColonSecondsTZ or Std.NumColonSecondsTZ)
        {
            if (value.Length < 9 || value[3] != ':' || value[6] != ':') return false;
            (sign, hh, mm, ss, value) = (value[..1], value[1..3], value[4..6], value[7..9], value[9..]);
        }
        else if (std is Std.ISO8601SecondsTZ or Std.NumSecondsTz)
        {
            if (value.Length < 7) return false;
            (sign, hh, mm, ss, value) = (value[..1], value[1..3], value[3..5], value[5..7], value[7..]);
        }
        else
        {
            if (value.Length < 5) return false;
            (sign, hh, mm, ss, value) = (value[..1], value[1..3], value[3..5], "00", value[5..]);
        }
        var ok = Atoi(hh, out var hr);
        var m = 0;
        var s = 0;
        if (ok) ok = Atoi(mm, out m);
        if (ok) ok = Atoi(ss, out s);
        zoneOffset = (hr * 60 + m) * 60 + s;
        if (sign[0] == '-') zoneOffset = -zoneOffset;
        else if (sign[0] != '+') ok = false;
        return ok;
    }

    private static (string Prefix, Std Std, int FracDigits, string Suffix) NextStdChunk(string layout)
    {
        for (var i = 0; i < layout.Length; i++)
        {
            var c = layout[i];
            switch (c)
            {
                case 'J':
                    if (At(layout, i, "Jan"))
                    {
                        if (At(layout, i, "January")) return (layout[..i], Std.LongMonth, 0, layout[(i + 7)..]);
                        if (!StartsWithLowerCase(layout, i + 3)) return (layout[..i], Std.Month, 0, layout[(i + 3)..]);
                    }
                    break;
                case 'M':
                    if (layout.Length >= i + 3)
                    {
                        if (At(layout, i, "Mon"))
                        {
                            if (At(layout, i, "Monday")) return (layout[..i], Std.LongWeekDay, 0, layout[(i + 6)..]);
                            if (!StartsWithLowerCase(layout, i + 3)) return (layout[..i], Std.WeekDay, 0, layout[(i + 3)..]);
                        }
                        if (At(layout, i, "MST")) return (layout[..i], Std.TZ, 0, layout[(i + 3)..]);
                    }
                    break;
                case '0':
                    if (layout.Length >= i + 2 && layout[i + 1] >= '1' && layout[i + 1] <= '6')
                    {
                        Std[] std0X = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];
                        return (layout[..i], std0X[layout[i + 1] - '1'], 0, layout[(i + 2)..]);
                    }
                    if (layout.Length >= i + 3 && layout[i + 1] == '0' && layout[i + 2] == '2')
                        return (layout[..i], Std.ZeroYearDay, 0, layout[(i + 3)..]);
                    break;
                case '1':
                    if (layout.Length >= i + 2 && layout[i + 1] == '5') return (layout[..i], Std.Hour, 0, layout[(i + 2)..]);
                    return (layout[..i], Std.NumMonth, 0, layout[(i + 1)..]);
                case '2':
                    if (At(layout, i, "2006")) return (layout[..i], Std.LongYear, 0, layout[(i + 4)..]);
                    return (layout[..i], Std.Day, 0, layout[(i + 1)..]);
                case '_':
                    if (layout.Length >= i + 2 && layout[i + 1] == '2')
                    {
                        if (layout.Length >= i + 5 && layout.Substring(i + 1, 4) == "2006")
                            return (layout[..(i + 1)], Std.LongYear, 0, layout[(i + 5)..]);
                        return (layout[..i], Std.UnderDay, 0, layout[(i + 2)..]);
                    }
                    if (layout.Length >= i + 3 && layout[i + 1] == '_' && layout[i + 2] == '2')
                        return (layout[..i], Std.UnderYearDay, 0, layout[(i + 3)..]);
                    break;
                case '3': return (layout[..i], Std.Hour12, 0, layout[(i + 1)..]);
                case '4': return (layout[..i], Std.Minute, 0, layout[(i + 1)..]);
                case '5': return (layout[..i], Std.Second, 0, layout[(i + 1)..]);
                case 'P':
                    if (layout.Length >= i + 2 && layout[i + 1] == 'M') return (layout[..i], Std.PM, 0, layout[(i + 2)..]);
                    break;
                case 'p':
                    if (layout.Length >= i + 2 && layout[i + 1] == 'm') return (layout[..i], Std.pm, 0, layout[(i + 2)..]);
                    break;
                case '-':
                    if (At(layout, i, "-070000")) return (layout[..i], Std.NumSecondsTz, 0, layout[(i + 7)..]);
                    if (At(layout, i, "-07:00:00")) return (layout[..i], Std.NumColonSecondsTZ, 0, layout[(i + 9)..]);
                    if (At(layout, i, "-0700")) return (layout[..i], Std.NumTZ, 0, layout[(i + 5)..]);
                    if (At(layout, i, "-07:00")) return (layout[..i], Std.NumColonTZ, 0, layout[(i + 6)..]);
                    if (At(layout, i, "-07")) return (layout[..i], Std.NumShortTZ, 0, layout[(i + 3)..]);
                    break;
                case 'Z':
                    if (At(layout, i, "Z070000")) return (layout[..i], Std.ISO8601SecondsTZ, 0, layout[(i + 7)..]);
                    if (At(layout, i, "Z07:00:00")) return (layout[..i], Std.ISO8601ColonSecondsTZ, 0, layout[(i + 9)..]);
                    if (At(layout, i, "Z0700")) return (layout[..i], Std.ISO8601TZ, 0, layout[(i + 5)..]);
                    if (At(layout, i, "Z07:00")) return (layout[..i], Std.ISO8601ColonTZ, 0, layout[(i + 6)..]);
                    if (At(layout, i, "Z07")) return (layout[..i], Std.ISO8601ShortTZ, 0, layout[(i + 3)..]);
                    break;
                case '.':
                case ',':
                    if (i + 1 < layout.Length && (layout[i + 1] == '0' || layout[i + 1] == '9'))
                    {
                        var ch = layout[i + 1];
                        var j = i + 1;
                        while (j < layout.Length && layout[j] == ch) j++;
                        if (!IsDigit(layout, j))
                            return (layout[..i], ch == '9' ? Std.FracSecond9 : Std.FracSecond0, j - (i + 1), layout[j..]);
                    }
                    break;
            }
        }
        return (layout, Std.None, 0, "");
    }

    private static bool At(string s, int i, string token) =>
        s.Length >= i + token.Length && string.CompareOrdinal(s, i, token, 0, token.Length) == 0;

    private static bool StartsWithLowerCase(string s, int i) => i < s.Length && s[i] >= 'a' && s[i] <= 'z';

    private static bool IsDigit(string s, int i) => i < s.Length && s[i] >= '0' && s[i] <= '9';

    private static bool CommaOrPeriod(char c) => c is '.' or ',';

    private static bool Skip(ref string value, string prefix)
    {
        while (prefix.Length > 0)
        {
            if (prefix[0] == ' ')
            {
                if (value.Length > 0 && value[0] != ' ') return false;
                prefix = prefix.TrimStart(' ');
                value = value.TrimStart(' ');
                continue;
            }
            if (value.Length == 0 || value[0] != prefix[0]) return false;
            prefix = prefix[1..];
            value = value[1..];
        }
        return true;
    }

    private static bool Lookup(string[] table, ref string value, out int index)
    {
        for (var i = 0; i < table.Length; i++)
        {
            var v = table[i];
            if (value.Length >= v.Length && MatchIgnoringCase(value, v))
            {
                value = value[v.Length..];
                index = i;
                return true;
            }
        }
        index = -1;
        return false;
    }

    private static bool MatchIgnoringCase(string value, string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            int c1 = value[i];
            int c2 = name[i];
            if (c1 == c2) continue;
            c1 |= 0x20;
            c2 |= 0x20;
            if (c1 != c2 || c1 < 'a' || c1 > 'z') return false;
        }
        return true;
    }

    private static bool GetNum(ref string s, bool fixedWidth, out int n)
    {
        n = 0;
        if (!IsDigit(s, 0)) return false;
        if (!IsDigit(s, 1))
        {
            if (fixedWidth) return false;
            n = s[0] - '0';
            s = s[1..];
            return true;
        }
        n = (s[0] - '0') * 10 + (s[1] - '0');
        s = s[2..];
        return true;
    }

    private static bool GetNum3(ref string s, bool fixedWidth, out int n)
    {
        n = 0;
        var i = 0;
        for (; i < 3 && IsDigit(s, i); i++) n = n * 10 + (s[i] - '0');
        if (i == 0 || (fixedWidth && i != 3)) return false;
        s = s[i..];
        return true;
    }

    private static bool ParseNanoseconds(string value, int nbytes, out int ns, out bool rangeErr)
    {
        ns = 0;
        rangeErr = false;
        if (!CommaOrPeriod(value[0])) return false;
        if (nbytes > 10)
        {
            value = value[..10];
            nbytes = 10;
        }
        if (!Atoi(value[1..nbytes], out ns)) return false;
        if (ns < 0)
        {
            rangeErr = true;
            return true;
        }
        for (var i = 0; i < 10 - nbytes; i++) ns *= 10;
        return true;
    }

    // Go's time.atoi: optional sign, then digits only (overflow past 2^63 is an error).
    private static bool Atoi(string s, out int x)
    {
        x = 0;
        var neg = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            neg = s[0] == '-';
            s = s[1..];
        }
        ReadOnlySpan<byte> rest = System.Text.Encoding.UTF8.GetBytes(s);
        if (!GoDuration.LeadingInt(ref rest, out var q) || rest.Length != 0) return false;
        x = unchecked((int)(long)q);
        if (neg) x = -x;
        return true;
    }

    private static int ParseTimeZone(string value)
    {
        if (value.Length < 3) return 0;
        if (value.Length >= 4 && (value[..4] == "ChST" || value[..4] == "MeST")) return 4;
        if (value[..3] == "GMT") return 3 + (value.Length == 3 ? 0 : ParseSignedOffset(value[3..]));
        if (value[0] is '+' or '-') return ParseSignedOffset(value);
        var nUpper = 0;
        for (; nUpper < 6; nUpper++)
        {
            if (nUpper >= value.Length) break;
            if (value[nUpper] < 'A' || value[nUpper] > 'Z') break;
        }
        return nUpper switch
        {
            5 when value[4] == 'T' => 5,
            4 when value[3] == 'T' || value[..4] == "WITA" => 4,
            3 => 3,
            _ => 0,
        };
    }

    private static int ParseSignedOffset(string value)
    {
        if (value[0] != '-' && value[0] != '+') return 0;
        var i = 1;
        ulong x = 0;
        for (; i < value.Length && value[i] >= '0' && value[i] <= '9'; i++)
        {
            if (x > (1UL << 63) / 10) return 0;
            x = x * 10 + (ulong)(value[i] - '0');
            if (x > 1UL << 63) return 0;
        }
        if (i == 1 || x > 23) return 0;
        return i;
    }
}
