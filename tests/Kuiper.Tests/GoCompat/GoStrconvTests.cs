using Kuiper.Domain.GoCompat;
using Xunit;

namespace Kuiper.Tests.GoCompat;

/// <summary>
/// Go's <c>strconv</c> as the DDL parser and the SELECT analyzer use it (their tests of their former own
/// copies live here now).
/// </summary>
public class GoStrconvTests
{
    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"\\101\\x42\\u0043\\U00000044\"", "ABCD")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("\"it\\'s\"", null)]
    [InlineData("\"a\nb\"", null)]
    [InlineData("\"\\400\"", null)]
    [InlineData("\"\\uDC00\"", null)]
    [InlineData("\"\\x4\"", null)]
    [InlineData("\"a\"b\"", null)]
    public void Unquote_follows_strconv_unquote(string input, string? expected)
    {
        Assert.Equal(expected, GoStrconv.TryUnquote(input, out var value) ? value : null);
    }

    [Theory]
    [InlineData("10", 10L)]
    [InlineData("-0x10", -16L)]
    [InlineData("0B11", 3L)]
    [InlineData("0O17", 15L)]
    [InlineData("0_7", 7L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Int64Base0_parses(string input, long expected)
    {
        Assert.True(GoStrconv.TryParseInt64Base0(input, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("08")]
    [InlineData("1_")]
    [InlineData("0x")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999")]
    [InlineData(" 1")]
    public void Int64Base0_rejects(string input)
    {
        Assert.False(GoStrconv.TryParseInt64Base0(input, out _));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-.5e1", -5.0)]
    [InlineData("0x1.8p1", 3.0)]
    [InlineData("1_0.0_1", 10.01)]
    [InlineData("+Inf", double.PositiveInfinity)]
    [InlineData("-.5", -0.5)] // the shapes of the lexer's NUMBER tokens, which the SELECT analyzer parses
    [InlineData("7.", 7.0)]
    [InlineData("007.250", 7.25)]
    public void Float64_parses(string input, double expected)
    {
        Assert.True(GoStrconv.TryParseFloat64(input, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("1e309")]
    [InlineData("0x1")]
    [InlineData("1..2")]
    [InlineData("1e")]
    [InlineData("_1")]
    [InlineData("-nan")]
    [InlineData("1.5 ")]
    [InlineData("1.2.3")]
    public void Float64_rejects(string input)
    {
        Assert.False(GoStrconv.TryParseFloat64(input, out _));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("+7", 7L)]
    [InlineData("-0", 0L)]
    [InlineData("010", 10L)]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void Atoi_parses(string input, long expected)
    {
        Assert.True(GoStrconv.TryAtoi(input, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("", 0L)]
    [InlineData("-", 0L)]
    [InlineData("0x10", 0L)]
    [InlineData("1_000", 0L)]
    [InlineData(" 1", 0L)]
    [InlineData("1.5", 0L)]
    [InlineData("5\0", 0L)]
    [InlineData("\u0661", 0L)] // ARABIC-INDIC DIGIT ONE: not a Go digit
    [InlineData("9223372036854775808", long.MaxValue)] // out of range: clamped, as Go's Atoi does
    [InlineData("-9223372036854775809", long.MinValue)]
    public void Atoi_rejects(string input, long clamped)
    {
        Assert.False(GoStrconv.TryAtoi(input, out var value));
        Assert.Equal(clamped, value);
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0, "0")]
    [InlineData(100000.0, "100000")]
    [InlineData(123456.0, "123456")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e100, "1e+100")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    public void Formats_floats_like_Go(double value, string expected) => Assert.Equal(expected, GoStrconv.FormatFloat(value));
}
