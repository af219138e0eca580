using System.Text;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Sql;

/// <summary>
/// eKuiper's SQL lexer (<c>internal/xsql/lexical.go</c>), the one both the <c>CREATE STREAM|TABLE</c> parser and
/// the SELECT analyzer read through, as eKuiper's single lexer serves its whole parser. It reproduces eKuiper's
/// observable behaviour, including its quirks:
/// <list type="bullet">
/// <item>whitespace is skipped after <c>-</c>, <c>!</c>, <c>&lt;</c>, <c>&gt;</c> and <c>/</c>, so <c>! =</c> is <c>!=</c>,
/// <c>- -</c> starts a line comment and <c>/ *</c> a block comment;</item>
/// <item>a lone <c>!</c> is read as <c>=</c>; there is no <c>&lt;&gt;</c> operator;</item>
/// <item>identifiers start with an ASCII letter; <c>`...`</c> quotes any identifier (an unterminated one runs to the end);</item>
/// <item>single-quoted strings are rewritten to double-quoted ones and unescaped with Go's rules;</item>
/// <item>numbers are digits and dots only (no exponent); <c>-.5</c> is a single number token;</item>
/// <item>a NUL character reads as end of input;</item>
/// <item>a lone surrogate reads as U+FFFD, the character Go sees for it.</item>
/// </list>
/// Reading follows a buffered reader that can step back one character only, which some of the quirks depend on.
/// </summary>
internal sealed class SqlScanner
{
    private const int EndOfInput = 0;

    private readonly string _text;
    private readonly StringBuilder _buf = new();
    private int _pos;
    private int _lastWidth; // width of the last character read; 0 when stepping back is not possible

    public SqlScanner(string text) => _text = text;

    public (SqlToken Token, string Literal) Scan()
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
        if (ch is '"' or '\'')
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
            return ScanBackquotedIdent();
        }

        switch (ch)
        {
            case EndOfInput:
                return (SqlToken.Eof, SqlToken.Eof.Text());
            case '=':
                return Op(SqlToken.Eq);
            case '!':
                ScanWhitespace();
                if (Read() == '=')
                {
                    return Op(SqlToken.Neq);
                }
                Unread();
                return Op(SqlToken.Eq);
            case '<':
                ScanWhitespace();
                if (Read() == '=')
                {
                    return Op(SqlToken.Lte);
                }
                Unread();
                return Op(SqlToken.Lt);
            case '>':
                ScanWhitespace();
                if (Read() == '=')
                {
                    return Op(SqlToken.Gte);
                }
                Unread();
                return Op(SqlToken.Gt);
            case '+':
                return Op(SqlToken.Add);
            case '-':
            {
                ScanWhitespace();
                var r = Read();
                if (r == '-')
                {
                    SkipUntilNewline();
                    return (SqlToken.Comment, "");
                }
                if (r == '>')
                {
                    return Op(SqlToken.Arrow);
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
                    // A second step back is not possible: the '.' stays consumed.
                    Unread();
                }
                else
                {
                    Unread();
                }
                return Op(SqlToken.Sub);
            }
            case '/':
                ScanWhitespace();
                if (Read() == '*')
                {
                    return SkipUntilEndComment() ? (SqlToken.Comment, "") : (SqlToken.Illegal, "");
                }
                Unread();
                return Op(SqlToken.Div);
            case '.':
                if (IsDigit(Read()))
                {
                    Unread();
                    return ScanNumber(startWithDot: true, negative: false);
                }
                Unread();
                return Op(SqlToken.Dot);
            case '%':
                return Op(SqlToken.Mod);
            case '&':
                return Op(SqlToken.BitwiseAnd);
            case '|':
                return Op(SqlToken.BitwiseOr);
            case '^':
                return Op(SqlToken.BitwiseXor);
            case '*':
                return Op(SqlToken.Asterisk);
            case ',':
                return Op(SqlToken.Comma);
            case '(':
                return Op(SqlToken.LParen);
            case ')':
                return Op(SqlToken.RParen);
            case '[':
                return Op(SqlToken.LBracket);
            case ']':
                return Op(SqlToken.RBracket);
            case ':':
                return Op(SqlToken.Colon);
            case '#':
                return Op(SqlToken.Hash);
            case ';':
                return Op(SqlToken.Semicolon);
        }
        return (SqlToken.Illegal, "");
    }

    private static (SqlToken, string) Op(SqlToken token) => (token, token.Text());

    private (SqlToken, string) ScanIdent()
    {
        _buf.Clear();
        AppendRune(Read());
        while (true)
        {
            var ch = Read();
            if (ch == EndOfInput)
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
        var word = _buf.ToString();
        var upper = word.ToUpperInvariant();
        return SqlTokens.Keywords.TryGetValue(upper, out var keyword) ? (keyword, upper) : (SqlToken.Ident, word);
    }

    private (SqlToken, string) ScanString(bool single)
    {
        _buf.Clear();
        var ch = Read();
        _buf.Append(ch == '\'' && single ? '"' : (char)ch);
        var escape = false;
        while (true)
        {
            ch = Read();
            if (ch == '"' && !escape)
            {
                if (!single)
                {
                    _buf.Append('"');
                    break;
                }
                escape = false;
                _buf.Append("\\\"");
            }
            else if (ch == '\'' && !escape && single)
            {
                _buf.Append('"');
                break;
            }
            else if (ch == EndOfInput)
            {
                return (SqlToken.BadString, _buf.ToString());
            }
            else if (ch == '\\' && !escape)
            {
                escape = true;
                var next = Read();
                if (next == '\'' && single)
                {
                    _buf.Append('\'');
                }
                else
                {
                    _buf.Append('\\');
                    Unread();
                }
            }
            else
            {
                escape = false;
                AppendRune(ch);
            }
        }
        var word = _buf.ToString();
        if (!GoStrconv.TryUnquote(word, out var value))
        {
            return (SqlToken.Illegal, "invalid string: " + word);
        }
        return (single ? SqlToken.SingleQuote : SqlToken.String, value);
    }

    /// <summary>
    /// What eKuiper's parser does after a <c>-</c> token where a negative number may stand (a DEFAULT value, an
    /// index in brackets): skip whitespace and, if a digit follows, scan a negative number. Otherwise null, and
    /// the character read stays consumed (eKuiper does the same).
    /// </summary>
    public (SqlToken Token, string Literal)? TryScanNegativeNumber()
    {
        ScanWhitespace();
        if (IsDigit(Read()))
        {
            Unread();
            return ScanNumber(startWithDot: false, negative: true);
        }
        return null;
    }

    private (SqlToken, string) ScanNumber(bool startWithDot, bool negative)
    {
        _buf.Clear();
        if (negative)
        {
            _buf.Append('-');
        }
        if (startWithDot)
        {
            _buf.Append('.');
        }
        AppendRune(Read());
        var isFloat = false;
        while (true)
        {
            var ch = Read();
            if (IsDigit(ch))
            {
                AppendRune(ch);
            }
            else if (ch == '.')
            {
                isFloat = true;
                _buf.Append('.');
            }
            else
            {
                Unread();
                break;
            }
        }
        return (isFloat || startWithDot ? SqlToken.Number : SqlToken.Integer, _buf.ToString());
    }

    private (SqlToken, string) ScanBackquotedIdent()
    {
        _buf.Clear();
        while (true)
        {
            var ch = Read();
            if (ch == '`' || ch == EndOfInput)
            {
                break;
            }
            AppendRune(ch);
        }
        return (SqlToken.Ident, _buf.ToString());
    }

    private void SkipUntilNewline()
    {
        while (true)
        {
            var ch = Read();
            if (ch == '\n' || ch == EndOfInput)
            {
                return;
            }
        }
    }

    private bool SkipUntilEndComment()
    {
        while (true)
        {
            var ch = Read();
            if (ch == EndOfInput)
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
                if (next == EndOfInput)
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

    private (SqlToken, string) ScanWhitespace()
    {
        _buf.Clear();
        while (true)
        {
            var ch = Read();
            if (ch == EndOfInput)
            {
                break;
            }
            if (!IsWhitespace(ch))
            {
                Unread();
                break;
            }
            AppendRune(ch);
        }
        return (SqlToken.Whitespace, _buf.ToString());
    }

    /// <summary>Reads one character (a full code point); returns 0 at the end of the input.</summary>
    private int Read()
    {
        if (_pos >= _text.Length)
        {
            _lastWidth = 0;
            return EndOfInput;
        }
        var c = _text[_pos];
        if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
        {
            _lastWidth = 2;
            var cp = char.ConvertToUtf32(c, _text[_pos + 1]);
            _pos += 2;
            return cp;
        }
        _lastWidth = 1;
        _pos++;
        // A lone surrogate has no UTF-8 form: Go would be handed U+FFFD for it (see GoQuote).
        return char.IsSurrogate(c) ? 0xFFFD : c;
    }

    /// <summary>Steps back over the last character read; only possible once, directly after a successful read.</summary>
    private void Unread()
    {
        if (_lastWidth == 0)
        {
            return;
        }
        _pos -= _lastWidth;
        _lastWidth = 0;
    }

    private void AppendRune(int cp)
    {
        if (cp > 0xFFFF)
        {
            _buf.Append(char.ConvertFromUtf32(cp));
        }
        else
        {
            _buf.Append((char)cp);
        }
    }

    private static bool IsWhitespace(int ch) => ch is ' ' or '\t' or '\r' or '\n';

    private static bool IsLetter(int ch) => ch is >= 'a' and <= 'z' or >= 'A' and <= 'Z';

    private static bool IsDigit(int ch) => ch is >= '0' and <= '9';
}
