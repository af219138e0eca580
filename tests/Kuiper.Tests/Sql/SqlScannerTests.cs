using Kuiper.Domain.Sql;
using Xunit;

namespace Kuiper.Tests.Sql;

/// <summary>eKuiper's lexer, including its quirks (see internal/xsql/lexical.go).</summary>
public class SqlScannerTests
{
    private static string Tokens(string text) => Tokens(new SqlScanner(text), []);

    private static string Tokens(SqlScanner scanner, List<string> tokens)
    {
        while (true)
        {
            var (token, literal) = scanner.Scan();
            if (token == SqlToken.Eof)
            {
                return string.Join(" ", tokens);
            }
            if (token != SqlToken.Whitespace)
            {
                tokens.Add(token + ":" + literal);
            }
        }
    }

    [Theory]
    [InlineData("SELECT a FROM b", "Select:SELECT Ident:a From:FROM Ident:b")]
    [InlineData("select Case when End", "Select:SELECT Case:CASE When:WHEN End:END")]
    [InlineData("select `my col`, \"s\", 's' from t", "Select:SELECT Ident:my col Comma:, String:s Comma:, SingleQuote:s From:FROM Ident:t")]
    [InlineData("`select` `unterminated", "Ident:select Ident:unterminated")]
    [InlineData("a->b[1:2]", "Ident:a Arrow:-> Ident:b LBracket:[ Integer:1 Colon:: Integer:2 RBracket:]")]
    [InlineData("a - > b", "Ident:a Arrow:-> Ident:b")]
    [InlineData("a != b ! = c <= d < = e >= f > = g", "Ident:a Neq:!= Ident:b Neq:!= Ident:c Lte:<= Ident:d Lte:<= Ident:e Gte:>= Ident:f Gte:>= Ident:g")]
    [InlineData("a ! b", "Ident:a Eq:= Ident:b")]
    [InlineData("a <> b", "Ident:a Lt:< Gt:> Ident:b")]
    [InlineData("1 1.5 .5 -.5 - . 5 1.2.3 7.", "Integer:1 Number:1.5 Number:.5 Number:-.5 Number:-.5 Number:1.2.3 Number:7.")]
    [InlineData("a - 1", "Ident:a Sub:- Integer:1")]
    [InlineData("a -.x", "Ident:a Sub:- Ident:x")]
    [InlineData("a -- comment\nb", "Ident:a Comment: Ident:b")]
    [InlineData("a /* c ** */ b", "Ident:a Comment: Ident:b")]
    [InlineData("a / * c */ b", "Ident:a Comment: Ident:b")]
    [InlineData("a - - b", "Ident:a Comment:")]
    [InlineData("a /* open", "Ident:a Illegal:")]
    [InlineData("_x", "Illegal: Ident:x")]
    [InlineData("x_1 X2", "Ident:x_1 Ident:X2")]
    [InlineData("'it\\'s' 'a\"b' \"a\\\"b\"", "SingleQuote:it's SingleQuote:a\"b String:a\"b")]
    [InlineData("\"\\u4e2d\" '\\x41' \"\\101\" \"\\t\"", "String:中 SingleQuote:A String:A String:\t")]
    [InlineData("\"\\q\"", "Illegal:invalid string: \"\\q\"")]
    [InlineData("'\\\"'", "SingleQuote:\"")]
    [InlineData("\"open", "BadString:\"open")]
    [InlineData("'open", "BadString:\"open")]
    [InlineData("TUMBLINGWINDOW(ss, 10) dd HH mi MS", "Ident:TUMBLINGWINDOW LParen:( SS:SS Comma:, Integer:10 RParen:) DD:DD HH:HH MI:MI MS:MS")]
    [InlineData("# + / % & | ^ ; * .", "Hash:# Add:+ Div:/ Mod:% BitwiseAnd:& BitwiseOr:| BitwiseXor:^ Semicolon:; Asterisk:* Dot:.")]
    // A NUL reads as end of input at the start of a token; inside an identifier or whitespace it is swallowed.
    [InlineData("a\0b \0c,\0d", "Ident:a Ident:b Ident:c Comma:,")]
    [InlineData("中", "Illegal:")]
    public void Scans(string text, string expected) => Assert.Equal(expected, Tokens(text));

    // A lone surrogate has no UTF-8 form; Go would read the U+FFFD that Encoding.UTF8 makes of it, so it
    // scans as U+FFFD (as the DDL parser's copy of the lexer did) instead of being copied into identifiers
    // and messages.
    // The inputs are built at run time: attribute metadata would mangle them.
    public static TheoryData<string, string> LoneSurrogates => new()
    {
        { "`a" + (char)0xD800 + "b`", "Ident:a\ufffdb" },
        { "\"a" + (char)0xDC00, "BadString:\"a\ufffd" },
        { "'\\q" + (char)0xD800 + "'", "Illegal:invalid string: \"\\q\ufffd\"" },
        { "'x" + (char)0xD800 + "'", "SingleQuote:x\ufffd" },
        { "a" + (char)0xDC00 + "b", "Ident:a Illegal: Ident:b" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void Lone_surrogates_read_as_replacement_character(string text, string expected)
    {
        Assert.Contains(text, char.IsSurrogate); // the row reached the test unmangled
        Assert.Equal(expected, Tokens(text));
    }

    // After a '-' token both parsers may ask for a negative number (a DEFAULT value, a bracket index).
    [Theory]
    [InlineData("- 12 a", "Integer:-12 Ident:a")]
    [InlineData("-\t7.5", "Number:-7.5")]
    [InlineData("-x5", "null Integer:5")] // the character after the '-' stays consumed, as in eKuiper
    [InlineData("-(1)", "null Integer:1 RParen:)")]
    public void Negative_number_after_a_minus(string text, string expected)
    {
        var scanner = new SqlScanner(text);
        Assert.Equal(SqlToken.Sub, scanner.Scan().Token);
        var negative = scanner.TryScanNegativeNumber();
        var first = negative is { } n ? n.Token + ":" + n.Literal : "null";
        Assert.Equal(expected, Tokens(scanner, [first]));
    }
}
