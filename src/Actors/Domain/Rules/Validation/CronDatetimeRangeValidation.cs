using Kuiper.Domain.GoCompat;
using System.Text;
using System.Text.RegularExpressions;

namespace Kuiper.Domain.Rules.Validation;

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
