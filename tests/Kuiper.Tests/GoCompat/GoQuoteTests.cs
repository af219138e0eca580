using Kuiper.Domain.GoCompat;
using Xunit;

namespace Kuiper.Tests.GoCompat;

public class GoQuoteTests
{
    // Expected texts are what Go's strconv.Quote prints; the right-hand side is verbatim, so a
    // backslash there is a literal backslash in the output.
    [Theory]
    [InlineData("", @"""""")]
    [InlineData("abc", @"""abc""")]
    [InlineData("a\"b", @"""a\""b""")]
    [InlineData("a\\b", @"""a\\b""")]
    [InlineData("it's", @"""it's""")]
    [InlineData("<a&b>", @"""<a&b>""")]
    [InlineData("\a\b\f\n\r\t\v", @"""\a\b\f\n\r\t\v""")]
    [InlineData("\0", @"""\x00""")]
    [InlineData("\u0001", @"""\x01""")]
    [InlineData("\u001b[0m", @"""\x1b[0m""")]
    [InlineData("\u001f", @"""\x1f""")]
    [InlineData("\u007f", @"""\x7f""")]
    [InlineData("~ !", @"""~ !""")]
    [InlineData("é中😀", "\"é中😀\"")]
    [InlineData("\u0080", @"""\u0080""")]
    [InlineData("\u009f", @"""\u009f""")]
    [InlineData("\u00a0", @"""\u00a0""")] // no-break space: a space separator, not printable in Go
    [InlineData("\u00ad", @"""\u00ad""")] // soft hyphen: format
    [InlineData("\u00a1", "\"\u00a1\"")] // inverted exclamation: punctuation, printable
    [InlineData("\u200b", @"""\u200b""")] // zero width space: format
    [InlineData("\u2028\u2029", @"""\u2028\u2029""")]
    [InlineData("\u3000", @"""\u3000""")] // ideographic space
    [InlineData("\ufeff", @"""\ufeff""")] // BOM: format
    [InlineData("\ue000", @"""\ue000""")] // private use
    [InlineData("\u0378", @"""\u0378""")] // unassigned
    [InlineData("\ufffd", "\"\ufffd\"")] // replacement character is a symbol: printable
    [InlineData("\U000F0000", @"""\U000f0000""")] // supplementary private use
    [InlineData("\U000E0001", @"""\U000e0001""")] // language tag: format
    [InlineData("\U0001FFFE", @"""\U0001fffe""")] // noncharacter: unassigned
    [InlineData("\U0001F600x", "\"\U0001F600x\"")]
    [InlineData("invalid character 'x' looking for beginning of value",
        @"""invalid character 'x' looking for beginning of value""")]
    [InlineData("line1\nline2 \"q\"", @"""line1\nline2 \""q\""""")]
    public void Quote_matches_strconv_Quote(string input, string expected)
    {
        Assert.Equal(expected, GoQuote.Quote(input));
    }

    // Rows of the tests that pinned the DDL parser's and the SELECT analyzer's own copies of
    // Quote, before both were made to use this one (rows the two shared are listed once).
    [Theory]
    [InlineData("", "\"\"")]
    [InlineData("abc", "\"abc\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    [InlineData("\a\b\f\n\r\t\v", "\"\\a\\b\\f\\n\\r\\t\\v\"")]
    [InlineData("\0\u001f\u007f", "\"\\x00\\x1f\\x7f\"")]
    [InlineData("\u00e9\u4e2d", "\"\u00e9\u4e2d\"")]
    [InlineData("\u00a0\u200b\u2028", "\"\\u00a0\\u200b\\u2028\"")]
    [InlineData("\U0001F600", "\"\U0001F600\"")]
    [InlineData("\U000E0001", "\"\\U000e0001\"")]
    [InlineData("\n\t\a\u0001\u007f", "\"\\n\\t\\a\\x01\\x7f\"")]
    [InlineData("中文 😀", "\"中文 😀\"")]
    [InlineData("\u00a0\u00ad", "\"\\u00a0\\u00ad\"")]
    public void Quote_matches_percent_q(string input, string expected)
    {
        Assert.Equal(expected, GoQuote.Quote(input));
    }

    // A .NET-only case: a lone surrogate has no UTF-8 form and is treated as U+FFFD. The inputs
    // are built at run time because attribute metadata stores strings as UTF-8 and would mangle
    // them, and discovery enumeration is off because xUnit's row serialization would too.
    public static TheoryData<string, string> LoneSurrogates => new()
    {
        { ((char)0xD800).ToString(), "\"\ufffd\"" },
        { "a" + (char)0xDC00 + "b", "\"a\ufffdb\"" },
        { "x" + (char)0xD83D, "\"x\ufffd\"" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void Quote_treats_lone_surrogates_as_replacement_character(string input, string expected)
    {
        Assert.Contains(input, char.IsSurrogate); // the row reached the test unmangled
        Assert.Equal(expected, GoQuote.Quote(input));
    }

    [Theory]
    [InlineData(0x20, true)]
    [InlineData(0x7e, true)]
    [InlineData(0x1f, false)]
    [InlineData(0x7f, false)]
    [InlineData(0xa0, false)]
    [InlineData(0xe9, true)]
    [InlineData(0x2028, false)]
    [InlineData(0xd800, false)]
    [InlineData(0x1f600, true)]
    [InlineData(0x110000, false)]
    public void IsPrint_approximates_unicode_IsPrint(int scalar, bool expected)
    {
        Assert.Equal(expected, GoQuote.IsPrint(scalar));
    }
}
