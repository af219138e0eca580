using System.Text;
using Kuiper.Actors.GoCompat;

namespace Kuiper.Actors.Streams;

/// <summary>Token classes of eKuiper's SQL scanner that the DDL parser distinguishes.</summary>
internal enum TokenKind
{
    Illegal,
    Eof,
    Whitespace,
    Comment,
    Ident,
    Integer,
    Number,
    String,
    SingleQuote,
    BadString,

    /// <summary>A reserved word other than the ones below; its literal is the upper-cased word.</summary>
    Keyword,
    Select,
    Default,
    True,
    False,

    Eq,
    Sub,
    Comma,
    LParen,
    RParen,
    Semicolon,

    /// <summary>Any other operator or punctuation; its literal is the operator text.</summary>
    Operator,
}

internal readonly record struct Token(TokenKind Kind, string Literal)
{
    public static readonly Token EndOfInput = new(TokenKind.Eof, "EOF");
}

/// <summary>
/// Behavioural model of eKuiper's SQL scanner (<c>internal/xsql/lexical.go</c>) as far as the DDL parser
/// can observe it. Reads runes one at a time with a single-step unread, like Go's <c>bufio.Reader</c>:
/// an unread right after another unread (or after hitting the end) does nothing. A NUL character reads
/// exactly like the end of input, as in the reference.
/// </summary>
internal sealed class DdlScanner
{
    private const int End = 0;

    /// <summary>Words the scanner turns into keyword tokens; they can never be identifiers unless backquoted.</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "SELECT", "AS", "FROM", "WHERE", "AND", "OR", "GROUP", "HAVING", "ORDER", "BY", "DESC", "ASC",
        "FILTER", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "JOIN", "ON", "CASE", "WHEN", "THEN",
        "DEFAULT", "ELSE", "END", "IN", "NOT", "BETWEEN", "LIKE", "OVER", "PARTITION", "REPLACE", "EXCEPT",
        "INVISIBLE", "TRUE", "FALSE", "DD", "HH", "MI", "SS", "MS", "LIMIT",
    };

    private readonly string _text;
    private readonly StringBuilder _buffer = new();
    private int _position;
    private int _lastRuneSize = -1;

    public DdlScanner(string text) => _text = text;

    public Token Scan()
    {
        var ch = Read();
        if (IsWhitespace(ch))
        {
            return ScanWhitespace();
        }

        if (IsLetter(ch))
        {
            Unread();
            return ScanIdent();
        }

        if (ch == '"' || ch == '\'')
        {
            Unread();
            return ScanString(ch == '\'');
        }

        if (IsDigit(ch))
        {
            Unread();
            return ScanNumber(startWithDot: false, negative: false);
        }

        if (ch == '`')
        {
            return ScanBackquoteIdent();
        }

        switch (ch)
        {
            case End:
                return Token.EndOfInput;
            case '=':
                return new Token(TokenKind.Eq, "=");
            case '!':
                ScanWhitespace();
                if (Read() == '=')
                {
                    return new Token(TokenKind.Operator, "!=");
                }

                Unread();
                return new Token(TokenKind.Eq, "="); // a lone '!' scans as '='
            case '<':
                return ScanMaybeEquals("<", "<=");
            case '>':
                return ScanMaybeEquals(">", ">=");
            case '+':
                return new Token(TokenKind.Operator, "+");
            case '-':
                return ScanAfterMinus();
            case '/':
                ScanWhitespace();
                if (Read() == '*')
                {
                    return SkipBlockComment() ? new Token(TokenKind.Comment, "") : new Token(TokenKind.Illegal, "");
                }

                Unread();
                return new Token(TokenKind.Operator, "/");
            case '.':
                if (IsDigit(Read()))
                {
                    Unread();
                    return ScanNumber(startWithDot: true, negative: false);
                }

                Unread();
                return new Token(TokenKind.Operator, ".");
            case '%':
            case '&':
            case '|':
            case '^':
            case '*':
            case '[':
            case ']':
            case ':':
            case '#':
                return new Token(TokenKind.Operator, ((char)ch).ToString());
            case ',':
                return new Token(TokenKind.Comma, ",");
            case '(':
                return new Token(TokenKind.LParen, "(");
            case ')':
                return new Token(TokenKind.RParen, ")");
            case ';':
                return new Token(TokenKind.Semicolon, ";");
        }

        return new Token(TokenKind.Illegal, "");
    }

    /// <summary>
    /// Used by the DEFAULT clause after a '-' token: skip blanks and, if a digit follows, scan a
    /// negative number. Otherwise the character read is consumed (as in the reference).
    /// </summary>
    public Token? TryScanNegativeNumber()
    {
        ScanWhitespace();
        if (IsDigit(Read()))
        {
            Unread();
            return ScanNumber(startWithDot: false, negative: true);
        }

        return null;
    }

    private Token ScanMaybeEquals(string single, string withEquals)
    {
        ScanWhitespace();
        if (Read() == '=')
        {
            return new Token(TokenKind.Operator, withEquals);
        }

        Unread();
        return new Token(TokenKind.Operator, single);
    }

    private Token ScanAfterMinus()
    {
        ScanWhitespace();
        var r = Read();
        if (r == '-')
        {
            SkipLine();
            return new Token(TokenKind.Comment, "");
        }

        if (r == '>')
        {
            return new Token(TokenKind.Operator, "->");
        }

        if (r == '.')
        {
            ScanWhitespace();
            if (IsDigit(Read()))
            {
                Unread();
                return ScanNumber(startWithDot: true, negative: true);
            }

            Unread();
            Unread(); // a second unread is a no-op, so the '.' stays consumed
        }
        else
        {
            Unread();
        }

        return new Token(TokenKind.Sub, "-");
    }

    private Token ScanIdent()
    {
        _buffer.Clear();
        AppendRune(Read());
        while (true)
        {
            var ch = Read();
            if (ch == End)
            {
                break;
            }

            if (!IsLetter(ch) && !IsDigit(ch) && ch != '_')
            {
                Unread();
                break;
            }

            AppendRune(ch);
        }

        var word = _buffer.ToString();
        var upper = GoText.ToUpper(word);
        if (!Keywords.Contains(upper))
        {
            return new Token(TokenKind.Ident, word);
        }

        var kind = upper switch
        {
            "SELECT" => TokenKind.Select,
            "DEFAULT" => TokenKind.Default,
            "TRUE" => TokenKind.True,
            "FALSE" => TokenKind.False,
            _ => TokenKind.Keyword,
        };
        return new Token(kind, upper);
    }

    /// <summary>
    /// Rewrites the literal into Go double-quoted form (single quotes become double quotes, inner double
    /// quotes of a single-quoted literal get escaped, <c>\'</c> becomes <c>'</c>) and unquotes it with Go rules.
    /// </summary>
    private Token ScanString(bool isSingle)
    {
        _buffer.Clear();
        var ch = Read();
        _buffer.Append(ch == '\'' && isSingle ? '"' : (char)ch);
        var escape = false;
        while (true)
        {
            ch = Read();
            if (ch == '"' && !escape)
            {
                if (!isSingle)
                {
                    _buffer.Append('"');
                    break;
                }

                escape = false;
                _buffer.Append("\\\"");
            }
            else if (ch == '\'' && !escape && isSingle)
            {
                _buffer.Append('"');
                break;
            }
            else if (ch == End)
            {
                return new Token(TokenKind.BadString, _buffer.ToString());
            }
            else if (ch == '\\' && !escape)
            {
                escape = true;
                var next = Read();
                if (next == '\'' && isSingle)
                {
                    _buffer.Append('\'');
                }
                else
                {
                    _buffer.Append('\\');
                    Unread();
                }
            }
            else
            {
                escape = false;
                AppendRune(ch);
            }
        }

        var word = _buffer.ToString();
        if (!GoStrconv.TryUnquote(word, out var value))
        {
            return new Token(TokenKind.Illegal, "invalid string: " + word);
        }

        return new Token(isSingle ? TokenKind.SingleQuote : TokenKind.String, value);
    }

    private Token ScanNumber(bool startWithDot, bool negative)
    {
        _buffer.Clear();
        if (negative)
        {
            _buffer.Append('-');
        }

        if (startWithDot)
        {
            _buffer.Append('.');
        }

        AppendRune(Read());
        var hasDot = false;
        while (true)
        {
            var ch = Read();
            if (IsDigit(ch))
            {
                AppendRune(ch);
            }
            else if (ch == '.')
            {
                hasDot = true;
                AppendRune(ch);
            }
            else
            {
                Unread();
                break;
            }
        }

        return new Token(hasDot || startWithDot ? TokenKind.Number : TokenKind.Integer, _buffer.ToString());
    }

    private Token ScanBackquoteIdent()
    {
        _buffer.Clear();
        while (true)
        {
            var ch = Read();
            if (ch == '`' || ch == End)
            {
                break;
            }

            AppendRune(ch);
        }

        return new Token(TokenKind.Ident, _buffer.ToString());
    }

    private void SkipLine()
    {
        while (true)
        {
            var ch = Read();
            if (ch == '\n' || ch == End)
            {
                return;
            }
        }
    }

    /// <summary>Skips to the closing <c>*/</c>; false when the input ends first.</summary>
    private bool SkipBlockComment()
    {
        while (true)
        {
            var ch = Read();
            if (ch == End)
            {
                return false;
            }

            if (ch != '*')
            {
                continue;
            }

            while (true)
            {
                var next = Read();
                if (next == '/')
                {
                    return true;
                }

                if (next == End)
                {
                    return false;
                }

                if (next != '*')
                {
                    break;
                }
            }
        }
    }

    private Token ScanWhitespace()
    {
        while (true)
        {
            var ch = Read();
            if (ch == End)
            {
                break;
            }

            if (!IsWhitespace(ch))
            {
                Unread();
                break;
            }
        }

        return new Token(TokenKind.Whitespace, " ");
    }

    private int Read()
    {
        _lastRuneSize = -1;
        if (_position >= _text.Length)
        {
            return End;
        }

        var c = _text[_position];
        if (char.IsHighSurrogate(c) && _position + 1 < _text.Length && char.IsLowSurrogate(_text[_position + 1]))
        {
            var value = char.ConvertToUtf32(c, _text[_position + 1]);
            _position += 2;
            _lastRuneSize = 2;
            return value;
        }

        _position++;
        _lastRuneSize = 1;
        return char.IsSurrogate(c) ? 0xFFFD : c;
    }

    private void Unread()
    {
        if (_lastRuneSize < 0)
        {
            return;
        }

        _position -= _lastRuneSize;
        _lastRuneSize = -1;
    }

    private void AppendRune(int rune) => _buffer.Append(char.ConvertFromUtf32(rune));

    private static bool IsWhitespace(int ch) => ch is ' ' or '\t' or '\r' or '\n';

    private static bool IsLetter(int ch) => ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    private static bool IsDigit(int ch) => ch is >= '0' and <= '9';
}
