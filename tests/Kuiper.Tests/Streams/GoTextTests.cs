using Kuiper.Actors.Streams;
using Xunit;

namespace Kuiper.Tests.Streams;

/// <summary>The Go standard-library behaviours the parser's texts and values depend on.</summary>
public class GoTextTests
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
    public void UnquoteDouble_follows_strconv_unquote(string input, string? expected)
    {
        Assert.Equal(expected, GoText.UnquoteDouble(input));
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
        Assert.True(GoText.TryParseInt64Base0(input, out var value));
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
        Assert.False(GoText.TryParseInt64Base0(input, out _));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-.5e1", -5.0)]
    [InlineData("0x1.8p1", 3.0)]
    [InlineData("1_0.0_1", 10.01)]
    [InlineData("+Inf", double.PositiveInfinity)]
    public void Float64_parses(string input, double expected)
    {
        Assert.True(GoText.TryParseFloat64(input, out var value));
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
    public void Float64_rejects(string input)
    {
        Assert.False(GoText.TryParseFloat64(input, out _));
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData(" [1, \"x\", null] ", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("{\"a\":1,}", false)]
    [InlineData("/* c */ {}", false)]
    [InlineData("1 2", false)]
    [InlineData("TRUE", false)]
    public void IsValidJson_matches_json_valid(string input, bool expected)
    {
        Assert.Equal(expected, GoText.IsValidJson(input));
    }
}
