using System.Text;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// Reproduces the syntax errors of Go's <c>encoding/json</c> (v1, the default build) so that an
/// API written in .NET answers malformed bodies with the very texts eKuiper answers with.
/// </summary>
/// <remarks>
/// Go's scanner works on UTF-8 bytes and names the offending byte, not the character: a stray
/// <c>é</c> (C3 A9) is reported as <c>'Ã'</c>, because Go quotes the byte 0xC3 as the rune U+00C3.
/// The string overloads therefore look at the UTF-8 form of the text; a lone surrogate becomes
/// EF BF BD, as <see cref="Encoding.UTF8"/> would send it.
/// </remarks>
public static class GoJsonSyntax
{
    /// <summary>Go's limit on nested arrays and objects; one more level is a syntax error.</summary>
    public const int MaxNestingDepth = GoJsonLimits.MaxDepth;

    /// <summary>
    /// What <c>json.Unmarshal</c> reports for <paramref name="text"/> before any type checking:
    /// null when the whole input is one valid JSON value (surrounded by optional whitespace),
    /// else Go's exact error text.
    /// </summary>
    public static string? Check(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Check(Encoding.UTF8.GetBytes(text));
    }

    /// <inheritdoc cref="Check(string)"/>
    public static string? Check(ReadOnlySpan<byte> utf8)
    {
        if (IsPlainlyValid(utf8)) return null;

        var scanner = new Scanner();
        foreach (byte c in utf8)
        {
            scanner.Step(c);
            // Once Go's scanner has an error it keeps it, so the first one is the answer.
            if (scanner.Error is not null)
                return scanner.Error;
        }
        if (scanner.EndTop)
            return null;
        // Go ends the input with an imaginary space: that completes a trailing number, or
        // names the space as the culprit when a number or literal is cut short ("1." or "tru").
        scanner.Step((byte)' ');
        if (scanner.EndTop)
            return null;
        return scanner.Error ?? "unexpected end of JSON input";
    }

    /// <summary>
    /// What <c>json.NewDecoder(body).Decode(&amp;v)</c> reports for the first value of
    /// <paramref name="text"/> before any type checking (eKuiper reads most request bodies this
    /// way). Unlike <see cref="Check(string)"/>: anything after the first complete value is not
    /// looked at, an empty or all-whitespace body gives <c>EOF</c>, and a body that ends inside a
    /// value gives <c>unexpected EOF</c>.
    /// </summary>
    public static string? CheckDecode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return CheckDecode(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// The fast path: System.Text.Json's vectorized reader accepts a strict subset of what Go accepts (it also
    /// refuses invalid UTF-8 and stops a level short of Go's depth limit), so whatever it accepts is valid for Go
    /// too, and only the rest needs the byte-by-byte scanner that words Go's error.
    /// </summary>
    private static bool IsPlainlyValid(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return false;
        var reader = new System.Text.Json.Utf8JsonReader(utf8, new System.Text.Json.JsonReaderOptions { MaxDepth = MaxNestingDepth - 1 });
        try
        {
            while (reader.Read())
            {
            }
            return reader.BytesConsumed > 0;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The decoder's fast path: the first value alone, by the same strict reader.</summary>
    private static bool FirstValueIsPlainlyValid(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return false;
        var reader = new System.Text.Json.Utf8JsonReader(utf8,
            new System.Text.Json.JsonReaderOptions { MaxDepth = MaxNestingDepth - 1, AllowMultipleValues = true });
        try
        {
            if (!reader.Read()) return false;
            reader.Skip();
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <inheritdoc cref="CheckDecode(string)"/>
    public static string? CheckDecode(ReadOnlySpan<byte> utf8)
    {
        if (FirstValueIsPlainlyValid(utf8)) return null;

        var scanner = new Scanner();
        foreach (byte c in utf8)
        {
            scanner.Step(c);
            // The decoder stops as soon as the first value is complete, even when the byte that
            // proved it complete is garbage ("1x" decodes as 1).
            if (scanner.EndTop)
                return null;
            if (scanner.Error is not null)
                return scanner.Error;
        }
        scanner.Step((byte)' ');
        if (scanner.EndTop)
            return null;
        // At end of input the decoder reports an io error, never the scanner's text.
        foreach (byte c in utf8)
        {
            if (!IsSpace(c))
                return "unexpected EOF";
        }
        return "EOF";
    }

    /// <summary>
    /// Where the first value of a text that <see cref="CheckDecode(ReadOnlySpan{byte})"/> accepted ends (exclusive):
    /// what Go's decoder consumes. Only that part is handed to System.Text.Json, which would refuse what follows
    /// (<c>01</c> decodes as <c>0</c> in Go).
    /// </summary>
    public static int FirstValueEnd(ReadOnlySpan<byte> utf8)
    {
        var i = 0;
        while (i < utf8.Length && IsSpace(utf8[i])) i++;
        if (i == utf8.Length) return i;
        switch (utf8[i])
        {
            case (byte)'{' or (byte)'[':
                var depth = 0;
                for (; i < utf8.Length; i++)
                {
                    var c = utf8[i];
                    if (c == '"') i = StringEnd(utf8, i) - 1;
                    else if (c is (byte)'{' or (byte)'[') depth++;
                    else if (c is (byte)'}' or (byte)']' && --depth == 0) return i + 1;
                }
                return i;
            case (byte)'"':
                return StringEnd(utf8, i);
            case (byte)'t' or (byte)'n':
                return i + 4;
            case (byte)'f':
                return i + 5;
            default:
                // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
                if (utf8[i] == '-') i++;
                if (i < utf8.Length && utf8[i] == '0') i++;
                else while (i < utf8.Length && IsDigit(utf8[i])) i++;
                if (i + 1 < utf8.Length && utf8[i] == '.' && IsDigit(utf8[i + 1]))
                    for (i++; i < utf8.Length && IsDigit(utf8[i]); i++) { }
                if (i < utf8.Length && utf8[i] is (byte)'e' or (byte)'E')
                {
                    var e = i + 1;
                    if (e < utf8.Length && utf8[e] is (byte)'+' or (byte)'-') e++;
                    if (e < utf8.Length && IsDigit(utf8[e]))
                        for (i = e; i < utf8.Length && IsDigit(utf8[i]); i++) { }
                }
                return i;
        }
    }

    /// <summary>Just past the closing quote of the string that opens at <paramref name="open"/>.</summary>
    private static int StringEnd(ReadOnlySpan<byte> utf8, int open)
    {
        for (var i = open + 1; i < utf8.Length; i++)
        {
            if (utf8[i] == '\\') i++;
            else if (utf8[i] == '"') return i + 1;
        }
        return utf8.Length;
    }

    private static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

    private static bool IsHexDigit(byte c) =>
        IsDigit(c) || c is >= (byte)'a' and <= (byte)'f' || c is >= (byte)'A' and <= (byte)'F';

    /// <summary>Go's <c>quoteChar</c>: the byte, taken as a rune, in single quotes.</summary>
    public static string QuoteChar(byte c)
    {
        // Go special-cases both quote marks rather than escaping them the strconv way.
        if (c == '\'')
            return @"'\''";
        if (c == '"')
            return "'\"'";
        var sb = new StringBuilder(8);
        sb.Append('\'');
        GoQuote.AppendEscapedRune(sb, c, '"');
        sb.Append('\'');
        return sb.ToString();
    }

    /// <summary>
    /// A byte-at-a-time JSON grammar that fails on the same byte, with the same words, as Go's.
    /// </summary>
    private sealed class Scanner
    {
        private enum Mode : byte
        {
            Value,          // a value must start here
            ValueOrClose,   // just after '[': a value or ']'
            KeyOrClose,     // just after '{': a key or '}'
            Key,            // just after ',' in an object: a key
            AfterValue,     // a value (or key) ended; expect ',', ':', a closer or space
            AfterTop,       // the top-level value ended; only space may follow
            InString,
            Escape,         // after '\' in a string
            HexEscape,      // inside "\uXXXX"; _count digits read so far
            Minus,          // after a leading '-'
            IntDigits,      // after a non-zero leading digit and any further digits
            Zero,           // after a leading '0': no more integer digits allowed
            Dot,            // after '.': a digit must follow
            Fraction,
            Exponent,       // after 'e' / 'E': a sign or a digit
            ExponentSign,   // after the exponent's sign: a digit must follow
            ExponentDigits,
            Literal,        // inside true / false / null; _count letters matched so far
            Failed,
        }

        private enum Frame : byte { ObjectKey, ObjectValue, Array }

        private readonly List<Frame> _frames = new();
        private Mode _mode = Mode.Value;
        private string _literal = "";
        private int _count;

        /// <summary>The top-level value is complete (what follows can only be space).</summary>
        public bool EndTop { get; private set; }

        /// <summary>Go's message for the first syntax error, if any.</summary>
        public string? Error { get; private set; }

        public void Step(byte c)
        {
            switch (_mode)
            {
                case Mode.Failed:
                    return;
                case Mode.Value:
                    if (!IsSpace(c))
                        BeginValue(c);
                    return;
                case Mode.ValueOrClose:
                    if (IsSpace(c))
                        return;
                    if (c == ']')
                        AfterValue(c);
                    else
                        BeginValue(c);
                    return;
                case Mode.KeyOrClose:
                    if (IsSpace(c))
                        return;
                    if (c == '}')
                    {
                        // An empty object closes like one whose last member just ended.
                        _frames[^1] = Frame.ObjectValue;
                        AfterValue(c);
                        return;
                    }
                    goto case Mode.Key;
                case Mode.Key:
                    if (IsSpace(c))
                        return;
                    if (c == '"')
                        _mode = Mode.InString;
                    else
                        Fail(c, "looking for beginning of object key string");
                    return;
                case Mode.AfterValue:
                    AfterValue(c);
                    return;
                case Mode.AfterTop:
                    if (!IsSpace(c))
                        Fail(c, "after top-level value");
                    return;
                case Mode.InString:
                    if (c == '"')
                        _mode = Mode.AfterValue;
                    else if (c == '\\')
                        _mode = Mode.Escape;
                    else if (c < 0x20)
                        Fail(c, "in string literal");
                    return;
                case Mode.Escape:
                    switch (c)
                    {
                        case (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t'
                            or (byte)'\\' or (byte)'/' or (byte)'"':
                            _mode = Mode.InString;
                            return;
                        case (byte)'u':
                            _mode = Mode.HexEscape;
                            _count = 0;
                            return;
                        default:
                            Fail(c, "in string escape code");
                            return;
                    }
                case Mode.HexEscape:
                    if (!IsHexDigit(c))
                        Fail(c, "in \\u hexadecimal character escape");
                    else if (++_count == 4)
                        _mode = Mode.InString;
                    return;
                case Mode.Minus:
                    if (c == '0')
                        _mode = Mode.Zero;
                    else if (IsDigit(c))
                        _mode = Mode.IntDigits;
                    else
                        Fail(c, "in numeric literal");
                    return;
                case Mode.IntDigits:
                    if (IsDigit(c))
                        return;
                    goto case Mode.Zero;
                case Mode.Zero:
                    if (c == '.')
                        _mode = Mode.Dot;
                    else if (c is (byte)'e' or (byte)'E')
                        _mode = Mode.Exponent;
                    else
                        AfterValue(c); // "01" fails here, as a second value, not as a number
                    return;
                case Mode.Dot:
                    if (IsDigit(c))
                        _mode = Mode.Fraction;
                    else
                        Fail(c, "after decimal point in numeric literal");
                    return;
                case Mode.Fraction:
                    if (IsDigit(c))
                        return;
                    if (c is (byte)'e' or (byte)'E')
                        _mode = Mode.Exponent;
                    else
                        AfterValue(c);
                    return;
                case Mode.Exponent:
                    if (c is (byte)'+' or (byte)'-')
                    {
                        _mode = Mode.ExponentSign;
                        return;
                    }
                    goto case Mode.ExponentSign;
                case Mode.ExponentSign:
                    if (IsDigit(c))
                        _mode = Mode.ExponentDigits;
                    else
                        Fail(c, "in exponent of numeric literal");
                    return;
                case Mode.ExponentDigits:
                    if (!IsDigit(c))
                        AfterValue(c);
                    return;
                case Mode.Literal:
                    if (c == _literal[_count])
                    {
                        if (++_count == _literal.Length)
                            _mode = Mode.AfterValue;
                    }
                    else
                    {
                        Fail(c, $"in literal {_literal} (expecting '{_literal[_count]}')");
                    }
                    return;
            }
        }

        private void BeginValue(byte c)
        {
            switch (c)
            {
                case (byte)'{':
                    if (Push(Frame.ObjectKey, c))
                        _mode = Mode.KeyOrClose;
                    return;
                case (byte)'[':
                    if (Push(Frame.Array, c))
                        _mode = Mode.ValueOrClose;
                    return;
                case (byte)'"':
                    _mode = Mode.InString;
                    return;
                case (byte)'-':
                    _mode = Mode.Minus;
                    return;
                case (byte)'0':
                    _mode = Mode.Zero;
                    return;
                case >= (byte)'1' and <= (byte)'9':
                    _mode = Mode.IntDigits;
                    return;
                case (byte)'t':
                    StartLiteral("true");
                    return;
                case (byte)'f':
                    StartLiteral("false");
                    return;
                case (byte)'n':
                    StartLiteral("null");
                    return;
                default:
                    Fail(c, "looking for beginning of value");
                    return;
            }
        }

        private void StartLiteral(string word)
        {
            _literal = word;
            _count = 1;
            _mode = Mode.Literal;
        }

        /// <summary>A value has ended; <paramref name="c"/> is the byte after it.</summary>
        private void AfterValue(byte c)
        {
            if (_frames.Count == 0)
            {
                EndTop = true;
                _mode = Mode.AfterTop;
                if (!IsSpace(c))
                    Fail(c, "after top-level value");
                return;
            }
            _mode = Mode.AfterValue;
            if (IsSpace(c))
                return;
            switch (_frames[^1])
            {
                case Frame.ObjectKey:
                    if (c == ':')
                    {
                        _frames[^1] = Frame.ObjectValue;
                        _mode = Mode.Value;
                    }
                    else
                    {
                        Fail(c, "after object key");
                    }
                    return;
                case Frame.ObjectValue:
                    if (c == ',')
                    {
                        _frames[^1] = Frame.ObjectKey;
                        _mode = Mode.Key;
                    }
                    else if (c == '}')
                    {
                        Pop();
                    }
                    else
                    {
                        Fail(c, "after object key:value pair");
                    }
                    return;
                default:
                    if (c == ',')
                        _mode = Mode.Value;
                    else if (c == ']')
                        Pop();
                    else
                        Fail(c, "after array element");
                    return;
            }
        }

        private bool Push(Frame frame, byte c)
        {
            _frames.Add(frame);
            if (_frames.Count <= MaxNestingDepth)
                return true;
            Fail(c, "exceeded max depth");
            return false;
        }

        private void Pop()
        {
            _frames.RemoveAt(_frames.Count - 1);
            if (_frames.Count == 0)
            {
                EndTop = true;
                _mode = Mode.AfterTop;
            }
            else
            {
                _mode = Mode.AfterValue;
            }
        }

        private void Fail(byte c, string context)
        {
            Error = "invalid character " + QuoteChar(c) + " " + context;
            _mode = Mode.Failed;
        }
    }
}
