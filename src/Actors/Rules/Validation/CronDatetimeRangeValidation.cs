using System.Text;
using System.Text.RegularExpressions;

namespace Kuiper.Actors.Rules.Validation;

/// <summary>
/// eKuiper's <c>schedule.ValidateRanges</c> for <c>options.cronDatetimeRange</c>, with the time parsing it
/// relies on: <c>cast.InterfaceToTime</c> → <c>cast.ParseTime(s, "2006-01-02 15:04:05")</c> →
/// <c>padFractionalSeconds</c> → <c>jinzhu/now</c> v1.1.5 <c>Config.Parse</c> → Go's
/// <c>time.ParseInLocation</c> over eKuiper's list of layouts.
/// </summary>
/// <remarks>
/// A range with both timestamps positive compares the two millisecond timestamps; otherwise both
/// <c>begin</c> and <c>end</c> must parse. Errors, first range first: <c>Can't parse string as time: X</c>
/// (X after fractional-second padding, e.g. <c>.5</c> becomes <c>.500</c>) and
/// <c>begin time shouldn't after end time</c>. Like eKuiper, a time-only text (<c>10:00</c>) means that
/// time today, and a missing year is this year, in the configured zone: so the outcome can depend on
/// the clock and zone, which are therefore given explicitly. Zone abbreviations other than <c>UTC</c> and
/// <c>GMT±h</c> count as offset 0, which is what Go does unless the server's own zone defines them.
/// </remarks>
internal static partial class CronDatetimeRangeValidation
{
    private const string EkuiperLayout = "2006-01-02 15:04:05";

    // jinzhu/now v1.1.5 TimeFormats, with eKuiper's JSISO and ISO8601 appended (pkg/cast init) and the
    // layout eKuiper passes put in front (ParseTime).
    private static readonly string[] Layouts =
    [
        EkuiperLayout,
        "2006", "2006-1", "2006-1-2", "2006-1-2 15", "2006-1-2 15:4", "2006-1-2 15:4:5", "1-2",
        "15:4:5", "15:4", "15",
        "15:4:5 Jan 2, 2006 MST", "2006-01-02 15:04:05.999999999 -0700 MST", "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05Z07",
        "2006.1.2", "2006.1.2 15:04:05", "2006.01.02", "2006.01.02 15:04:05", "2006.01.02 15:04:05.999999999",
        "1/2/2006", "1/2/2006 15:4:5", "2006/01/02", "20060102", "2006/01/02 15:04:05",
        "Mon Jan _2 15:04:05 2006", "Mon Jan _2 15:04:05 MST 2006", "Mon Jan 02 15:04:05 -0700 2006",
        "02 Jan 06 15:04 MST", "02 Jan 06 15:04 -0700", "Monday, 02-Jan-06 15:04:05 MST",
        "Mon, 02 Jan 2006 15:04:05 MST", "Mon, 02 Jan 2006 15:04:05 -0700", "2006-01-02T15:04:05Z07:00",
        "2006-01-02T15:04:05.999999999Z07:00",
        "3:04PM", "Jan _2 15:04:05", "Jan _2 15:04:05.000", "Jan _2 15:04:05.000000", "Jan _2 15:04:05.000000000",
        "2006-01-02T15:04:05.000Z07:00", "2006-01-02T15:04:05",
    ];

    /// <summary>schedule.ValidateRanges: null when every range is valid, else the first error.</summary>
    public static string? Validate(IEnumerable<RuleDatetimeRange> ranges, TimeZoneInfo zone, DateTimeOffset now)
    {
        foreach (var r in ranges)
        {
            if (r.BeginTimestamp > 0 && r.EndTimestamp > 0)
            {
                if (r.BeginTimestamp > r.EndTimestamp) return "begin time shouldn't after end time";
                continue;
            }
            var loc = GoLocation.Of(zone);
            if (ParseTime(r.Begin, loc, now) is not { } begin) return "Can't parse string as time: " + PadForMessage(r.Begin);
            if (ParseTime(r.End, loc, now) is not { } end) return "Can't parse string as time: " + PadForMessage(r.End);
            if (begin.CompareTo(end) > 0) return "begin time shouldn't after end time";
        }
        return null;
    }

    private static string PadForMessage(string s) => Encoding.UTF8.GetString(PadFractionalSeconds(Encoding.UTF8.GetBytes(s)));

    /// <summary>cast.ParseTime(s, layout) → the instant, or null when it cannot be parsed.</summary>
    internal static GoInstant? ParseTime(string text, GoLocation loc, DateTimeOffset now)
    {
        // Go strings are bytes; one char per byte keeps Go's byte indexing.
        var value = Encoding.Latin1.GetString(PadFractionalSeconds(Encoding.UTF8.GetBytes(text)));
        return JinzhuParse(value, loc, now);
    }

    // eKuiper's padFractionalSeconds: with exactly one '.', the digits after it are padded or cut to 3, 6 or 9.
    internal static byte[] PadFractionalSeconds(byte[] s)
    {
        var dots = s.Count(b => b == '.');
        if (dots != 1) return s;
        var dot = Array.IndexOf(s, (byte)'.');
        var integerPart = s[..dot];
        var rest = s[(dot + 1)..];
        byte[] digits = [];
        byte[] suffix = [];
        var i = 0;
        var found = false;
        while (i < rest.Length)
        {
            var status = Rune.DecodeFromUtf8(rest.AsSpan(i), out var rune, out var size);
            var isDigit = status == System.Buffers.OperationStatus.Done && Rune.IsDigit(rune);
            if (!isDigit)
            {
                digits = rest[..i];
                suffix = rest[i..];
                found = true;
                break;
            }
            i += size;
        }
        if (!found) digits = rest;
        var target = digits.Length > 6 ? 9 : digits.Length > 3 ? 6 : 3;
        if (digits.Length < target) digits = [.. digits, .. Enumerable.Repeat((byte)'0', target - digits.Length)];
        else if (digits.Length > target) digits = digits[..target];
        return [.. integerPart, (byte)'.', .. digits, .. suffix];
    }

    // jinzhu/now (*Now).Parse with one string.
    private static GoInstant? JinzhuParse(string str, GoLocation loc, DateTimeOffset now)
    {
        var nowInstant = new GoInstant(now.ToUnixTimeSeconds(), (int)(now.UtcTicks % TimeSpan.TicksPerSecond * 100));
        var current = loc.Components(nowInstant);
        var hasTime = HasTime().IsMatch(str);
        var onlyTime = hasTime && OnlyTime().IsMatch(str);

        foreach (var layout in Layouts)
        {
            if (GoTimeParse.Parse(layout, str, loc) is not { } parsed) continue;
            var parseTime = parsed.Location.Components(parsed.Instant);
            var setCurrentTime = false;
            for (var i = 0; i < parseTime.Length; i++)
            {
                if (hasTime && i <= 3) continue;
                if (parseTime[i] == 0)
                {
                    if (setCurrentTime) parseTime[i] = current[i];
                }
                else
                {
                    setCurrentTime = true;
                }
                if (onlyTime && i is 4 or 5) parseTime[i] = current[i];
            }
            return parsed.Location.Date(parseTime[6], parseTime[5], parseTime[4], parseTime[3], parseTime[2], parseTime[1], parseTime[0]);
        }
        return null;
    }

    // Go RE2: \s is [\t\n\f\r ], \d is [0-9], $ is the end of the text.
    [GeneratedRegex(@"([\t\n\f\r ]+|^[\t\n\f\r ]*|T)[0-9]{1,2}((:[0-9]{1,2})*|((:[0-9]{1,2}){2}\.([0-9]{3}|[0-9]{6}|[0-9]{9})))([\t\n\f\r ]*\z|[Z+-])", RegexOptions.CultureInvariant)]
    private static partial Regex HasTime();

    [GeneratedRegex(@"^[\t\n\f\r ]*[0-9]{1,2}((:[0-9]{1,2})*|((:[0-9]{1,2}){2}\.([0-9]{3}|[0-9]{6}|[0-9]{9})))[\t\n\f\r ]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex OnlyTime();
}

/// <summary>An instant as Go's time keeps it: Unix seconds and nanoseconds.</summary>
internal readonly record struct GoInstant(long Sec, int Nsec) : IComparable<GoInstant>
{
    public int CompareTo(GoInstant other) => Sec != other.Sec ? Sec.CompareTo(other.Sec) : Nsec.CompareTo(other.Nsec);
}

/// <summary>A Go <c>*time.Location</c>: a fixed offset, or a real zone.</summary>
internal sealed class GoLocation
{
    private readonly int _fixedOffset;
    private readonly TimeZoneInfo? _zone;

    private GoLocation(int fixedOffset, TimeZoneInfo? zone)
    {
        _fixedOffset = fixedOffset;
        _zone = zone;
    }

    public static GoLocation Utc { get; } = new(0, null);

    public static GoLocation Of(TimeZoneInfo zone) => zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime ? Utc : new(0, zone);

    public static GoLocation Fixed(int offsetSeconds) => new(offsetSeconds, null);

    public int OffsetAt(long unixSec)
    {
        if (_zone is null) return _fixedOffset;
        var clamped = Math.Clamp(unixSec, -62135596800L, 253402300799L);
        return (int)_zone.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(clamped)).TotalSeconds;
    }

    /// <summary>[nsec, sec, min, hour, day, month, year] of the instant in this location (jinzhu's formatTimeToList).</summary>
    public int[] Components(GoInstant t)
    {
        var local = t.Sec + OffsetAt(t.Sec);
        var days = Math.DivRem(local, 86400, out var secOfDay);
        if (secOfDay < 0)
        {
            secOfDay += 86400;
            days--;
        }
        var (y, m, d) = Civil.FromDays(days);
        return [t.Nsec, (int)(secOfDay % 60), (int)(secOfDay / 60 % 60), (int)(secOfDay / 3600), d, m, (int)y];
    }

    /// <summary>Go's <c>time.Date</c>: fields normalised (Feb 30 is Mar 1), then the zone offset applied.</summary>
    public GoInstant Date(long year, long month, long day, long hour, long min, long sec, long nsec)
    {
        var m = month - 1;
        (year, m) = Norm(year, m, 12);
        (sec, nsec) = Norm(sec, nsec, 1_000_000_000);
        (min, sec) = Norm(min, sec, 60);
        (hour, min) = Norm(hour, min, 60);
        (day, hour) = Norm(day, hour, 24);
        var days = Civil.ToDays(year, (int)m + 1, 1) + day - 1;
        var unix = days * 86400 + hour * 3600 + min * 60 + sec;
        var offset = OffsetAt(unix);
        if (offset != 0)
        {
            var utc = unix - offset;
            var again = OffsetAt(utc);
            if (again != offset) offset = again;
            unix -= offset;
        }
        return new GoInstant(unix, (int)nsec);
    }

    private static (long Hi, long Lo) Norm(long hi, long lo, long b)
    {
        if (lo < 0)
        {
            var n = (-lo - 1) / b + 1;
            hi -= n;
            lo += n * b;
        }
        if (lo >= b)
        {
            var n = lo / b;
            hi += n;
            lo -= n * b;
        }
        return (hi, lo);
    }
}

/// <summary>Proleptic Gregorian day numbers (days since 1970-01-01).</summary>
internal static class Civil
{
    public static long ToDays(long y, int m, int d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - era * 400;
        var doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        var doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    public static (long Y, int M, int D) FromDays(long z)
    {
        z += 719468;
        var era = (z >= 0 ? z : z - 146096) / 146097;
        var doe = z - era * 146097;
        var yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        var y = yoe + era * 400;
        var doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        var mp = (5 * doy + 2) / 153;
        var d = (int)(doy - (153 * mp + 2) / 5 + 1);
        var m = (int)(mp < 10 ? mp + 3 : mp - 9);
        return (m <= 2 ? y + 1 : y, m, d);
    }

    public static bool IsLeap(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    public static int DaysIn(int month, long year) =>
        month == 2 && IsLeap(year) ? 29 : month switch { 2 => 28, 4 or 6 or 9 or 11 => 30, _ => 31 };
}
