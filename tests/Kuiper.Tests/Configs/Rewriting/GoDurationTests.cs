using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Configs.Rewriting;

namespace Kuiper.Tests.Configs.Rewriting;

public class GoDurationTests
{
    // Expected texts are Go's time.Duration(n).String().
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "1ns")]
    [InlineData(999L, "999ns")]
    [InlineData(1_000L, "1µs")]
    [InlineData(1_500L, "1.5µs")]
    [InlineData(1_000_000L, "1ms")]
    [InlineData(1_500_000L, "1.5ms")]
    [InlineData(1_001_000L, "1.001ms")]
    [InlineData(100_000_000L, "100ms")]
    [InlineData(1_000_000_000L, "1s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(-1_500_000_000L, "-1.5s")]
    [InlineData(61_000_000_000L, "1m1s")]
    [InlineData(90_000_000_000L, "1m30s")]
    [InlineData(3_600_000_000_000L, "1h0m0s")]
    [InlineData(3_723_004_005_006L, "1h2m3.004005006s")]
    [InlineData(86_400_000_000_000L, "24h0m0s")]
    [InlineData(long.MaxValue, "2562047h47m16.854775807s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void Formats_like_Go(long nanoseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(nanoseconds));

    [Fact]
    public void Formats_time_spans() =>
        Assert.Equal("1m30.5s", GoDuration.Format(TimeSpan.FromSeconds(90.5)));

    [Fact]
    public void Time_spans_beyond_Go_durations_throw() =>
        Assert.Throws<OverflowException>(() => GoDuration.Format(TimeSpan.MaxValue));

    [Theory]
    [InlineData(1000L, 1_000_000_000L)]
    [InlineData(-1L, -1_000_000L)]
    [InlineData(9_223_372_036_854_775_807L, -1_000_000L)]
    [InlineData(long.MinValue, 0L)]
    public void Milliseconds_multiply_with_wrap_around(long ms, long expected) =>
        Assert.Equal(expected, GoDuration.FromMilliseconds(ms));

    // Expected values and texts are Go's time.ParseDuration.
    [Theory]
    [InlineData("1s", 1_000_000_000L)]
    [InlineData("1.5s", 1_500_000_000L)]
    [InlineData("-1s", -1_000_000_000L)]
    [InlineData("+5m", 300_000_000_000L)]
    [InlineData("1h2m3.5s", 3_723_500_000_000L)]
    [InlineData(".5s", 500_000_000L)]
    [InlineData("10µs", 10_000L)]
    [InlineData("10μs", 10_000L)]
    [InlineData("10us", 10_000L)]
    [InlineData("1.0000000001s", 1_000_000_000L)]
    [InlineData("9223372036854775807ns", long.MaxValue)]
    [InlineData("2562047h", 9_223_369_200_000_000_000L)]
    [InlineData("0", 0L)]
    [InlineData("+0", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("300s", 300_000_000_000L)]
    public void Parses_like_Go(string text, long expected)
    {
        Assert.True(GoDuration.TryParse(text, out var nanoseconds, out var error));
        Assert.Null(error);
        Assert.Equal(expected, nanoseconds);
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("abc", "time: invalid duration \"abc\"")]
    [InlineData("1", "time: missing unit in duration \"1\"")]
    [InlineData("5.", "time: missing unit in duration \"5.\"")]
    [InlineData("1e3s", "time: unknown unit \"e\" in duration \"1e3s\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    [InlineData("2562048h", "time: invalid duration \"2562048h\"")]
    [InlineData("1s ", "time: unknown unit \"s \" in duration \"1s \"")]
    [InlineData("1 s", "time: unknown unit \" s\" in duration \"1 s\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("é", "time: invalid duration \"\\xc3\\xa9\"")]
    [InlineData("1é", "time: unknown unit \"\\xc3\\xa9\" in duration \"1\\xc3\\xa9\"")]
    [InlineData("1\"x", "time: unknown unit \"\\\"x\" in duration \"1\\\"x\"")]
    public void Refuses_like_Go(string text, string expected)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }
}
