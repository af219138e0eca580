using System.Text;

namespace Kuiper.Domain.Sql;

/// <summary>eKuiper's translation of a LIKE pattern into an anchored Go regular expression.</summary>
internal static class LikePatterns
{
    /// <summary>
    /// <c>%</c> becomes <c>.*</c> and <c>_</c> becomes <c>.</c> unless preceded by a backslash; then every
    /// backslash is doubled. All other characters, including regular-expression metacharacters, are kept.
    /// </summary>
    public static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '%' or '_')
            {
                sb.Append(@"\\").Append(pattern[i + 1]);
                i++;
            }
            else if (c == '%')
            {
                sb.Append(".*");
            }
            else if (c == '_')
            {
                sb.Append('.');
            }
            else if (c == '\\')
            {
                sb.Append(@"\\");
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.Append('$').ToString();
    }
}

/// <summary>
/// The syntax errors Go's <c>regexp.Compile</c> (RE2, Perl flags) reports, for the regular expressions
/// <see cref="LikePatterns.ToRegex"/> produces. Those contain no escapes other than <c>\\</c>, so escape
/// handling is limited to that. The nesting limit (<c>expression nests too deeply</c>) is applied to this
/// checker's own, unsimplified tree, so its threshold can differ slightly from Go's; the size limit
/// (<c>expression too large</c>) is not reproduced.
/// </summary>
internal static class GoRegexSyntax
{
    private const int MaxRepeat = 1000;
    private const int MaxHeight = 1000;

    private static readonly HashSet<string> PosixClasses = new(StringComparer.Ordinal)
    {
        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct", "space", "upper",
        "word", "xdigit",
    };

    private enum Kind
    {
        Operand,
        LeftParen,
        VerticalBar,
    }

    private sealed class Node
    {
        public Node(Kind kind, List<Node>? children = null, bool isRepeat = false, int min = 0, int max = 0)
        {
            Kind = kind;
            Children = children ?? [];
            IsRepeat = isRepeat;
            Min = min;
            Max = max;
            Height = 1 + (Children.Count > 0 ? Children.Max(c => c.Height) : 0);
        }

        public Kind Kind { get; }
        public List<Node> Children { get; }
        public bool IsRepeat { get; }
        public int Min { get; }
        public int Max { get; }
        public int Height { get; }
    }

    private static Node Composite(string s, List<Node> children, bool isRepeat = false, int min = 0, int max = 0)
    {
        var node = new Node(Kind.Operand, children, isRepeat, min, max);
        if (node.Height > MaxHeight)
        {
            throw new RegexError("expression nests too deeply", s);
        }
        return node;
    }

    private sealed class RegexError(string code, string expr) : Exception
    {
        public string Text { get; } = "error parsing regexp: " + code + ": `" + expr + "`";
    }

    /// <summary>Returns Go's error text (<c>error parsing regexp: ...</c>) or null when the expression is valid.</summary>
    public static string? Check(string regex)
    {
        try
        {
            Parse(regex);
            return null;
        }
        catch (RegexError e)
        {
            return e.Text;
        }
    }

    private static void Parse(string s)
    {
        var stack = new List<Node>();
        var i = 0;
        var lastRepeat = -1; // start index of the repetition operator just parsed, or -1
        while (i < s.Length)
        {
            var repeat = -1;
            var c = s[i];
            switch (c)
            {
                case '(':
                    if (i + 1 < s.Length && s[i + 1] == '?')
                    {
                        i = ParsePerlFlags(s, i, stack);
                    }
                    else
                    {
                        stack.Add(new Node(Kind.LeftParen));
                        i++;
                    }
                    break;
                case '|':
                    Collapse(s, stack);
                    if (!SwapVerticalBar(stack))
                    {
                        stack.Add(new Node(Kind.VerticalBar));
                    }
                    i++;
                    break;
                case ')':
                    RightParen(s, stack);
                    i++;
                    break;
                case '[':
                    i = ParseClass(s, i);
                    stack.Add(Leaf());
                    break;
                case '*' or '+' or '?':
                {
                    var after = Repeat(s, stack, i, i + 1, lastRepeat, isCounted: false, 0, 0);
                    repeat = i;
                    i = after;
                    break;
                }
                case '{':
                {
                    if (!TryParseRepeat(s, i, out var min, out var max, out var afterBrace))
                    {
                        stack.Add(Leaf());
                        i++;
                        break;
                    }
                    if (min < 0 || min > MaxRepeat || max > MaxRepeat || (max >= 0 && min > max))
                    {
                        throw new RegexError("invalid repeat count", s[i..afterBrace]);
                    }
                    var after = Repeat(s, stack, i, afterBrace, lastRepeat, isCounted: true, min, max);
                    repeat = i;
                    i = after;
                    break;
                }
                case '\\':
                    // Only "\\" occurs in translated LIKE patterns: a literal backslash.
                    stack.Add(Leaf());
                    i += i + 1 < s.Length ? 2 : 1;
                    break;
                default:
                    stack.Add(Leaf());
                    i += char.IsHighSurrogate(c) && i + 1 < s.Length ? 2 : 1;
                    break;
            }
            lastRepeat = repeat;
        }
        Collapse(s, stack);
        if (SwapVerticalBar(stack))
        {
            stack.RemoveAt(stack.Count - 1);
        }
        Collapse(s, stack);
        if (stack.Count != 1)
        {
            throw new RegexError("missing closing )", s);
        }
    }

    private static Node Leaf() => new(Kind.Operand);

    /// <summary>Applies a repetition operator to the top of the stack; returns the index after it.</summary>
    private static int Repeat(string s, List<Node> stack, int before, int after, int lastRepeat, bool isCounted, int min, int max)
    {
        if (after < s.Length && s[after] == '?')
        {
            after++; // non-greedy
        }
        if (lastRepeat >= 0)
        {
            throw new RegexError("invalid nested repetition operator", s[lastRepeat..after]);
        }
        if (stack.Count == 0 || stack[^1].Kind != Kind.Operand)
        {
            throw new RegexError("missing argument to repetition operator", s[before..after]);
        }
        var node = Composite(s, [stack[^1]], isCounted, min, max);
        stack[^1] = node;
        if (isCounted && (min >= 2 || max >= 2) && !RepeatIsValid(node, MaxRepeat))
        {
            throw new RegexError("invalid repeat count", s[before..after]);
        }
        return after;
    }

    private static bool RepeatIsValid(Node node, int n)
    {
        if (node.IsRepeat)
        {
            var m = node.Max;
            if (m == 0)
            {
                return true;
            }
            if (m < 0)
            {
                m = node.Min;
            }
            if (m > n)
            {
                return false;
            }
            if (m > 0)
            {
                n /= m;
            }
        }
        return node.Children.All(child => RepeatIsValid(child, n));
    }

    /// <summary>Parses <c>{min}</c>, <c>{min,}</c> or <c>{min,max}</c>; false when it is a literal '{'.</summary>
    private static bool TryParseRepeat(string s, int start, out int min, out int max, out int after)
    {
        max = 0;
        after = start;
        var i = start + 1;
        if (!TryParseInt(s, ref i, out min) || i >= s.Length)
        {
            return false;
        }
        if (s[i] != ',')
        {
            max = min;
        }
        else
        {
            i++;
            if (i >= s.Length)
            {
                return false;
            }
            if (s[i] == '}')
            {
                max = -1;
            }
            else if (!TryParseInt(s, ref i, out max))
            {
                return false;
            }
            else if (max < 0)
            {
                min = -1;
            }
        }
        if (i >= s.Length || s[i] != '}')
        {
            return false;
        }
        after = i + 1;
        return true;
    }

    private static bool TryParseInt(string s, ref int i, out int value)
    {
        value = 0;
        if (i >= s.Length || !char.IsAsciiDigit(s[i]))
        {
            return false;
        }
        if (s[i] == '0' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))
        {
            return false; // no leading zeros
        }
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        for (var j = start; j < i; j++)
        {
            if (value >= 100_000_000)
            {
                value = -1;
                break;
            }
            value = value * 10 + (s[j] - '0');
        }
        return true;
    }

    /// <summary>Parses <c>(?flags)</c>, <c>(?flags:</c>, <c>(?P&lt;name&gt;</c> or <c>(?&lt;name&gt;</c>; returns the index after it.</summary>
    private static int ParsePerlFlags(string s, int start, List<Node> stack)
    {
        var t = s[start..];
        var startsWithP = t.Length > 4 && t[2] == 'P' && t[3] == '<';
        var startsWithName = t.Length > 3 && t[2] == '<';
        if (startsWithP || startsWithName)
        {
            var end = t.IndexOf('>');
            if (end < 0)
            {
                throw new RegexError("invalid named capture", t);
            }
            var name = t[(startsWithName ? 3 : 4)..end];
            if (name.Length == 0 || !name.All(ch => ch == '_' || char.IsAsciiLetterOrDigit(ch)))
            {
                throw new RegexError("invalid named capture", t[..(end + 1)]);
            }
            stack.Add(new Node(Kind.LeftParen));
            return start + end + 1;
        }

        var i = start + 2;
        var negated = false;
        var sawFlag = false;
        while (i < s.Length)
        {
            var c = s[i];
            i += char.IsHighSurrogate(c) && i + 1 < s.Length ? 2 : 1;
            switch (c)
            {
                case 'i' or 'm' or 's' or 'U':
                    sawFlag = true;
                    continue;
                case '-':
                    if (negated)
                    {
                        break;
                    }
                    negated = true;
                    sawFlag = false;
                    continue;
                case ':' or ')':
                    if (negated && !sawFlag)
                    {
                        break;
                    }
                    if (c == ':')
                    {
                        stack.Add(new Node(Kind.LeftParen));
                    }
                    return i;
            }
            break;
        }
        throw new RegexError("invalid or unsupported Perl syntax", s[start..i]);
    }

    /// <summary>Parses a character class starting at '['; returns the index after its ']'.</summary>
    private static int ParseClass(string s, int start)
    {
        var whole = s[start..];
        var i = start + 1;
        if (i < s.Length && s[i] == '^')
        {
            i++;
        }
        var first = true;
        while (i >= s.Length || s[i] != ']' || first)
        {
            first = false;
            if (i + 2 < s.Length && s[i] == '[' && s[i + 1] == ':')
            {
                var close = s.IndexOf(":]", i + 2, StringComparison.Ordinal);
                if (close >= 0)
                {
                    var name = s[i..(close + 2)];
                    var inner = name[2..^2];
                    if (!PosixClasses.Contains(inner.StartsWith('^') ? inner[1..] : inner))
                    {
                        throw new RegexError("invalid character class range", name);
                    }
                    i = close + 2;
                    continue;
                }
            }
            var rangeStart = i;
            var lo = ClassChar(s, ref i, whole);
            if (i + 1 < s.Length && s[i] == '-' && s[i + 1] != ']')
            {
                i++;
                var hi = ClassChar(s, ref i, whole);
                if (hi < lo)
                {
                    throw new RegexError("invalid character class range", s[rangeStart..i]);
                }
            }
        }
        return i + 1;
    }

    private static int ClassChar(string s, ref int i, string wholeClass)
    {
        if (i >= s.Length)
        {
            throw new RegexError("missing closing ]", wholeClass);
        }
        if (s[i] == '\\' && i + 1 < s.Length)
        {
            var escaped = s[i + 1];
            i += 2;
            return escaped;
        }
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            var cp = char.ConvertToUtf32(s[i], s[i + 1]);
            i += 2;
            return cp;
        }
        return s[i++];
    }

    private static void RightParen(string s, List<Node> stack)
    {
        Collapse(s, stack);
        if (SwapVerticalBar(stack))
        {
            stack.RemoveAt(stack.Count - 1);
        }
        Collapse(s, stack);
        if (stack.Count < 2 || stack[^2].Kind != Kind.LeftParen)
        {
            throw new RegexError("unexpected )", s);
        }
        var inner = stack[^1];
        stack.RemoveRange(stack.Count - 2, 2);
        stack.Add(Composite(s, [inner]));
    }

    private static int TopPseudo(List<Node> stack)
    {
        var i = stack.Count;
        while (i > 0 && stack[i - 1].Kind == Kind.Operand)
        {
            i--;
        }
        return i;
    }

    /// <summary>
    /// Replaces the operands above the topmost '(' or '|' with one node: their concatenation, or (after the
    /// bars have been swapped below their operands) their alternation.
    /// </summary>
    private static void Collapse(string s, List<Node> stack)
    {
        var from = TopPseudo(stack);
        var children = stack.GetRange(from, stack.Count - from);
        stack.RemoveRange(from, stack.Count - from);
        stack.Add(children.Count == 1 ? children[0] : Composite(s, children));
    }

    /// <summary>If an operand sits on a '|', moves it below the bar.</summary>
    private static bool SwapVerticalBar(List<Node> stack)
    {
        var n = stack.Count;
        if (n >= 2 && stack[n - 2].Kind == Kind.VerticalBar)
        {
            (stack[n - 2], stack[n - 1]) = (stack[n - 1], stack[n - 2]);
            return true;
        }
        return false;
    }
}
