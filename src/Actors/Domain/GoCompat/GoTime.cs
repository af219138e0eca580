namespace Kuiper.Domain.GoCompat;

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
