using System.Text;
using Kuiper.Domain.GoCompat;
using Xunit;

namespace Kuiper.Tests.GoCompat;

public class GoJsonSyntaxTests
{
    private const string Eof = "unexpected end of JSON input";

    [Theory]
    [InlineData("{}")]
    [InlineData("[]")]
    [InlineData("[[]]")]
    [InlineData("{\"a\":{}}")]
    [InlineData(" {\"a\" : [1, 2, {\"b\":null}], \"c\":true, \"d\":false} ")]
    [InlineData("\"x\"")]
    [InlineData("0")]
    [InlineData("123")]
    [InlineData("-0.5e+10")]
    [InlineData("1E5")]
    [InlineData("1.25e-3")]
    [InlineData("null")]
    [InlineData("\t\r\n 1 \n")]
    [InlineData(@"""\u00e9\n\t\b\f\r\/\\\""""")]
    [InlineData("\"é中😀\u007f\"")]
    [InlineData("{\"é\":\"<&>\"}")]
    public void Check_accepts_valid_json(string text)
    {
        Assert.Null(GoJsonSyntax.Check(text));
    }

    // Rows of the DDL parser's former json.Valid copy (the EXTRA option now uses Check).
    [Theory]
    [InlineData("{}", true)]
    [InlineData(" [1, \"x\", null] ", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("{\"a\":1,}", false)]
    [InlineData("/* c */ {}", false)]
    [InlineData("1 2", false)]
    [InlineData("TRUE", false)]
    public void Check_is_null_exactly_where_json_Valid_is_true(string input, bool expected)
    {
        Assert.Equal(expected, GoJsonSyntax.Check(input) is null);
    }

    // Expected texts are Go 1.22+ json.Unmarshal errors (unchanged since long before that).
    [Theory]
    // input ends too soon
    [InlineData("", Eof)]
    [InlineData("   ", Eof)]
    [InlineData("{", Eof)]
    [InlineData("[", Eof)]
    [InlineData("{\"a\":", Eof)]
    [InlineData("{\"a\":\"b\" ", Eof)]
    [InlineData("[1,2", Eof)]
    [InlineData("\"abc", Eof)]
    [InlineData("\"\\u00e9", Eof)]
    // beginning of value
    [InlineData("s", "invalid character 's' looking for beginning of value")]
    [InlineData("True", "invalid character 'T' looking for beginning of value")]
    [InlineData(".5", "invalid character '.' looking for beginning of value")]
    [InlineData("+1", "invalid character '+' looking for beginning of value")]
    [InlineData("[1,]", "invalid character ']' looking for beginning of value")]
    [InlineData("{\"a\":}", "invalid character '}' looking for beginning of value")]
    [InlineData("'a'", @"invalid character '\'' looking for beginning of value")]
    [InlineData("\\", @"invalid character '\\' looking for beginning of value")]
    // object keys
    [InlineData("{x}", "invalid character 'x' looking for beginning of object key string")]
    [InlineData("{,}", "invalid character ',' looking for beginning of object key string")]
    [InlineData("{\"a\":1,}", "invalid character '}' looking for beginning of object key string")]
    [InlineData("{'a':1}", @"invalid character '\'' looking for beginning of object key string")]
    [InlineData("{1:2}", "invalid character '1' looking for beginning of object key string")]
    [InlineData("{\"a\" 1}", "invalid character '1' after object key")]
    [InlineData("{\"a\"}", "invalid character '}' after object key")]
    [InlineData("{\"a\"=1}", "invalid character '=' after object key")]
    // after members and elements
    [InlineData("{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair")]
    [InlineData("{\"a\":1]", "invalid character ']' after object key:value pair")]
    [InlineData("{\"a\":01}", "invalid character '1' after object key:value pair")]
    [InlineData("{\"a\":[1,2}", "invalid character '}' after array element")]
    [InlineData("[1 2]", "invalid character '2' after array element")]
    [InlineData("[01]", "invalid character '1' after array element")]
    [InlineData("[\"a\":1]", "invalid character ':' after array element")]
    // after the top-level value
    [InlineData("{} x", "invalid character 'x' after top-level value")]
    [InlineData("{}}", "invalid character '}' after top-level value")]
    [InlineData("1 2", "invalid character '2' after top-level value")]
    [InlineData("01", "invalid character '1' after top-level value")]
    [InlineData("truex", "invalid character 'x' after top-level value")]
    [InlineData("{\"a\":1}\n{\"b\":2}", "invalid character '{' after top-level value")]
    // strings
    [InlineData("\"a\nb\"", @"invalid character '\n' in string literal")]
    [InlineData("\"a\tb\"", @"invalid character '\t' in string literal")]
    [InlineData("\"\u0001\"", @"invalid character '\x01' in string literal")]
    [InlineData("\"\0\"", @"invalid character '\x00' in string literal")]
    [InlineData("{\"k\u001f\":1}", @"invalid character '\x1f' in string literal")]
    [InlineData(@"""\x""", @"invalid character 'x' in string escape code")]
    [InlineData(@"""\'""", @"invalid character '\'' in string escape code")]
    [InlineData(@"""\U0041""", @"invalid character 'U' in string escape code")]
    [InlineData(@"""\u12G4""", @"invalid character 'G' in \u hexadecimal character escape")]
    [InlineData(@"""\u""", @"invalid character '""' in \u hexadecimal character escape")]
    [InlineData(@"""\u123""", @"invalid character '""' in \u hexadecimal character escape")]
    // numbers: a cut-short number is completed by Go's imaginary trailing space
    [InlineData("-", "invalid character ' ' in numeric literal")]
    [InlineData("-x", "invalid character 'x' in numeric literal")]
    [InlineData("[-]", "invalid character ']' in numeric literal")]
    [InlineData("--1", "invalid character '-' in numeric literal")]
    [InlineData("1.", "invalid character ' ' after decimal point in numeric literal")]
    [InlineData("1.x", "invalid character 'x' after decimal point in numeric literal")]
    [InlineData("[1.]", "invalid character ']' after decimal point in numeric literal")]
    [InlineData("1.e5", "invalid character 'e' after decimal point in numeric literal")]
    [InlineData("1e", "invalid character ' ' in exponent of numeric literal")]
    [InlineData("1e+", "invalid character ' ' in exponent of numeric literal")]
    [InlineData("[1e]", "invalid character ']' in exponent of numeric literal")]
    [InlineData("1.5E-x", "invalid character 'x' in exponent of numeric literal")]
    [InlineData("1.2.3", "invalid character '.' after top-level value")]
    // literals
    [InlineData("tx", "invalid character 'x' in literal true (expecting 'r')")]
    [InlineData("tru", "invalid character ' ' in literal true (expecting 'e')")]
    [InlineData("{\"a\":tru}", "invalid character '}' in literal true (expecting 'e')")]
    [InlineData("[fase]", "invalid character 's' in literal false (expecting 'l')")]
    [InlineData("fals", "invalid character ' ' in literal false (expecting 'e')")]
    [InlineData("nil", "invalid character 'i' in literal null (expecting 'u')")]
    [InlineData("nul", "invalid character ' ' in literal null (expecting 'l')")]
    [InlineData("nULL", "invalid character 'U' in literal null (expecting 'u')")]
    // the offending byte is quoted the way Go's quoteChar does it
    [InlineData("\0", @"invalid character '\x00' looking for beginning of value")]
    [InlineData("\a", @"invalid character '\a' looking for beginning of value")]
    [InlineData("\v", @"invalid character '\v' looking for beginning of value")]
    [InlineData("\f", @"invalid character '\f' looking for beginning of value")]
    [InlineData("\u007f", @"invalid character '\x7f' looking for beginning of value")]
    [InlineData("\"", Eof)]
    [InlineData("[\"a\" \"b\"]", "invalid character '\"' after array element")]
    // non-ASCII: Go names the first UTF-8 byte, read as a Latin-1 rune
    [InlineData("é", "invalid character 'Ã' looking for beginning of value")]
    [InlineData("中", "invalid character 'ä' looking for beginning of value")]
    [InlineData("😀", "invalid character 'ð' looking for beginning of value")]
    [InlineData("\u00a0{}", "invalid character 'Â' looking for beginning of value")]
    [InlineData("\ufeff{}", "invalid character 'ï' looking for beginning of value")]
    [InlineData("{\"a\":1}é", "invalid character 'Ã' after top-level value")]
    public void Check_reports_go_syntax_errors(string text, string expected)
    {
        Assert.Equal(expected, GoJsonSyntax.Check(text));
        Assert.Equal(expected, GoJsonSyntax.Check(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Check_reports_the_first_error_not_a_later_one()
    {
        // Both '}' and 'x' are wrong; Go stops at the first.
        Assert.Equal("invalid character '}' after array element", GoJsonSyntax.Check("{\"a\":[1,2}x"));
    }

    [Fact]
    public void Check_treats_a_lone_surrogate_as_its_utf8_replacement()
    {
        // Encoding.UTF8 sends EF BF BD for it; Go would name the byte 0xEF.
        Assert.Equal("invalid character 'ï' looking for beginning of value", GoJsonSyntax.Check(((char)0xD800).ToString()));
        Assert.Null(GoJsonSyntax.Check("\"" + (char)0xDC00 + "\""));
    }

    [Theory]
    [InlineData(new byte[] { 0x80 }, @"invalid character '\u0080' looking for beginning of value")]
    [InlineData(new byte[] { 0xA0 }, @"invalid character '\u00a0' looking for beginning of value")]
    [InlineData(new byte[] { 0xAD }, @"invalid character '\u00ad' looking for beginning of value")]
    [InlineData(new byte[] { 0xFF }, "invalid character 'ÿ' looking for beginning of value")]
    [InlineData(new byte[] { 0x5B, 0x31, 0x9F }, @"invalid character '\u009f' after array element")]
    [InlineData(new byte[] { 0x22, 0xFF, 0xFE, 0x22 }, null)] // Go's scanner lets any byte >= 0x20 into a string
    public void Check_bytes_quotes_any_byte_like_go(byte[] utf8, string? expected)
    {
        Assert.Equal(expected, GoJsonSyntax.Check(utf8));
    }

    [Fact]
    public void Check_enforces_gos_nesting_limit()
    {
        string deepest = new string('[', GoJsonSyntax.MaxNestingDepth) + new string(']', GoJsonSyntax.MaxNestingDepth);
        Assert.Null(GoJsonSyntax.Check(deepest));
        Assert.Equal(Eof, GoJsonSyntax.Check(new string('[', GoJsonSyntax.MaxNestingDepth)));
        Assert.Equal("invalid character '[' exceeded max depth",
            GoJsonSyntax.Check(new string('[', GoJsonSyntax.MaxNestingDepth + 1)));
        Assert.Equal("invalid character '{' exceeded max depth",
            GoJsonSyntax.Check(new string('[', GoJsonSyntax.MaxNestingDepth) + "{"));
    }

    [Theory]
    [InlineData("{}", null)]
    [InlineData(" {\"content\":\"x\"} ", null)]
    [InlineData("", "EOF")]
    [InlineData(" \r\n\t", "EOF")]
    [InlineData("{", "unexpected EOF")]
    [InlineData("{\"a\":", "unexpected EOF")]
    [InlineData("\"abc", "unexpected EOF")]
    [InlineData("-", "unexpected EOF")]
    [InlineData("1.", "unexpected EOF")]
    [InlineData("1e", "unexpected EOF")]
    [InlineData("tru", "unexpected EOF")]
    // only the first value is read: trailing bytes are not the decoder's business
    [InlineData("{} x", null)]
    [InlineData("{}}", null)]
    [InlineData("1x", null)]
    [InlineData("truex", null)]
    [InlineData("\"a\"b", null)]
    [InlineData("1 2", null)]
    [InlineData("01", null)]
    [InlineData("1", null)]
    // syntax errors inside the first value read exactly as with Unmarshal
    [InlineData("x", "invalid character 'x' looking for beginning of value")]
    [InlineData("{\"a\" 1}", "invalid character '1' after object key")]
    [InlineData("{\"a\":1,}", "invalid character '}' looking for beginning of object key string")]
    [InlineData("[1,]", "invalid character ']' looking for beginning of value")]
    [InlineData("{\"a\":[1,2}", "invalid character '}' after array element")]
    [InlineData("[1.]", "invalid character ']' after decimal point in numeric literal")]
    [InlineData("\"a\nb\"", @"invalid character '\n' in string literal")]
    [InlineData("é", "invalid character 'Ã' looking for beginning of value")]
    public void CheckDecode_matches_json_Decoder_Decode(string text, string? expected)
    {
        Assert.Equal(expected, GoJsonSyntax.CheckDecode(text));
        Assert.Equal(expected, GoJsonSyntax.CheckDecode(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData((byte)'\'', @"'\''")]
    [InlineData((byte)'"', "'\"'")]
    [InlineData((byte)'\\', @"'\\'")]
    [InlineData((byte)'a', "'a'")]
    [InlineData((byte)' ', "' '")]
    [InlineData((byte)'\n', @"'\n'")]
    [InlineData((byte)0x01, @"'\x01'")]
    [InlineData((byte)0x7F, @"'\x7f'")]
    [InlineData((byte)0x85, @"'\u0085'")]
    [InlineData((byte)0xC3, "'Ã'")]
    public void QuoteChar_matches_gos_quoteChar(byte c, string expected)
    {
        Assert.Equal(expected, GoJsonSyntax.QuoteChar(c));
    }
}
