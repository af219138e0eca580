using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;

namespace Kuiper.Domain.Placement;

/// <summary>How a <see cref="LabelRequirement"/> relates its key to its values; the order is the canonical order.</summary>
public enum LabelOperator
{
    /// <summary><c>key=value</c> (also written <c>key==value</c>).</summary>
    Equal,
    /// <summary><c>key!=value</c>: also true when the key is absent.</summary>
    NotEqual,
    /// <summary><c>key in (v1,v2)</c>.</summary>
    In,
    /// <summary><c>key notin (v1,v2)</c>: also true when the key is absent.</summary>
    NotIn,
    /// <summary><c>key</c>.</summary>
    Exists,
    /// <summary><c>!key</c>.</summary>
    DoesNotExist,
}

/// <summary>
/// One requirement of a <see cref="LabelSelector"/>, made only by <see cref="LabelSelector.Parse"/>, so its key and
/// values are valid (<see cref="LabelSyntax"/>). <see cref="Values"/> are distinct and sorted (ordinal); one value for
/// <c>=</c> and <c>!=</c>, at least one for <c>in</c> and <c>notin</c>, none for exists and does-not-exist.
/// </summary>
public sealed record LabelRequirement
{
    private readonly ImmutableArray<string> values;

    internal LabelRequirement(string key, LabelOperator @operator, string[] sortedDistinctValues)
    {
        Key = key;
        Operator = @operator;
        values = ImmutableCollectionsMarshal.AsImmutableArray(sortedDistinctValues);
    }

    public string Key { get; }

    public LabelOperator Operator { get; }

    public ImmutableArray<string> Values => values;

    /// <summary>Kubernetes' <c>Requirement.Matches</c>: <c>!=</c> and <c>notin</c> hold when the key is absent.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        switch (Operator)
        {
            case LabelOperator.Equal or LabelOperator.In:
                return labels.TryGetValue(Key, out var value) && HasValue(value);
            case LabelOperator.NotEqual or LabelOperator.NotIn:
                return !labels.TryGetValue(Key, out var other) || !HasValue(other);
            case LabelOperator.Exists:
                return labels.ContainsKey(Key);
            default:
                return !labels.ContainsKey(Key);
        }
    }

    // A linear scan: a requirement lists a handful of values, where a hash set would cost more than it saves.
    private bool HasValue(string value)
    {
        foreach (var v in values)
            if (string.Equals(v, value, StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>Kubernetes' <c>Requirement.String</c>, with <c>==</c> written <c>=</c>: <c>!k</c>, <c>k</c>, <c>k=v</c>, <c>k!=v</c>, <c>k in (a,b)</c>.</summary>
    public override string ToString() => Operator switch
    {
        LabelOperator.Equal => Key + "=" + values[0],
        LabelOperator.NotEqual => Key + "!=" + values[0],
        LabelOperator.In => Key + " in (" + string.Join(',', values.AsSpan()) + ")",
        LabelOperator.NotIn => Key + " notin (" + string.Join(',', values.AsSpan()) + ")",
        LabelOperator.Exists => Key,
        _ => "!" + Key,
    };

    public bool Equals(LabelRequirement? other) =>
        other is not null && Key == other.Key && Operator == other.Operator && values.AsSpan().SequenceEqual(other.values.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Key, Operator, values.Length);

    /// <summary>The canonical order: key, then operator, then values (all ordinal).</summary>
    internal static int CompareCanonical(LabelRequirement a, LabelRequirement b)
    {
        var byKey = string.CompareOrdinal(a.Key, b.Key);
        if (byKey != 0) return byKey;
        var byOperator = a.Operator.CompareTo(b.Operator);
        if (byOperator != 0) return byOperator;
        for (var i = 0; i < Math.Min(a.values.Length, b.values.Length); i++)
        {
            var byValue = string.CompareOrdinal(a.values[i], b.values[i]);
            if (byValue != 0) return byValue;
        }
        return a.values.Length.CompareTo(b.values.Length);
    }
}

/// <summary>
/// A Kubernetes label selector (apimachinery's <c>labels.Parse</c>): requirements joined by <c>,</c>, all of which must
/// hold. A requirement is <c>key=value</c>, <c>key==value</c>, <c>key!=value</c>, <c>key in (v1,v2)</c>,
/// <c>key notin (v1,v2)</c>, <c>key</c> (exists) or <c>!key</c> (does not exist). Spaces, tabs, CR and LF may stand
/// around any token; <c>in</c> and <c>notin</c> are keywords only where an operator goes, so they are also valid keys
/// and values. As in Kubernetes, a value may be empty (<c>key=</c>, <c>key in (a,)</c>), and <c>key in ()</c> means the
/// one empty value. Kubernetes' <c>&gt;</c> and <c>&lt;</c> (integer comparisons, documented for node affinity, not for
/// label selectors) are not supported, and an empty selector is an error: an empty placement means no placement, which
/// is decided before a selector is parsed.
/// <para>
/// Every parse error reads <c>selector "TEXT": at N: MESSAGE</c>, where TEXT is the input (<c>\</c>, <c>"</c> and
/// control characters escaped), N the 0-based character offset of the offending token (the text's length when the text
/// ended too soon), and MESSAGE is one of: <c>found X, expected: Y</c> (Kubernetes' lexer texts, X being <c>'token'</c>
/// or <c>end of string</c>); <c>invalid key "K": WHY</c>; <c>invalid value "V" for key "K": WHY</c> (WHY from
/// <see cref="LabelSyntax"/>); or the empty-selector text.
/// </para>
/// <para>
/// <see cref="ToString"/> is canonical: requirements sorted by key, then operator (<see cref="LabelOperator"/> order),
/// then values; <c>in</c>/<c>notin</c> values distinct and sorted; <c>==</c> written <c>=</c>; Kubernetes' spacing
/// (<c>!canary,line in (1,2),site=plant-a</c>). Parsing it gives an equal selector; equality is by that form.
/// </para>
/// </summary>
public sealed record LabelSelector
{
    private readonly ImmutableArray<LabelRequirement> requirements;
    private readonly string canonical;

    private LabelSelector(LabelRequirement[] sortedRequirements)
    {
        requirements = ImmutableCollectionsMarshal.AsImmutableArray(sortedRequirements);
        canonical = string.Join(',', sortedRequirements.Select(r => r.ToString()));
    }

    /// <summary>The requirements, in canonical order; duplicates are kept, as Kubernetes keeps them.</summary>
    public ImmutableArray<LabelRequirement> Requirements => requirements;

    /// <summary>True when every requirement holds for <paramref name="labels"/>.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var requirement in requirements)
            if (!requirement.Matches(labels)) return false;
        return true;
    }

    public override string ToString() => canonical;

    public bool Equals(LabelSelector? other) => other is not null && canonical == other.canonical;

    public override int GetHashCode() => canonical.GetHashCode(StringComparison.Ordinal);

    /// <summary>Reads <paramref name="text"/>; exactly one of the results is null.</summary>
    public static (LabelSelector? Selector, string? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new Parser(text);
        var (parsed, error) = parser.Run();
        if (parsed is null) return (null, $"selector \"{Escape(text)}\": at {error!.Value.Offset}: {error.Value.Message}");
        var sorted = parsed.ToArray();
        Array.Sort(sorted, LabelRequirement.CompareCanonical);
        return (new LabelSelector(sorted), null);
    }

    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 2);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '"': escaped.Append("\\\""); break;
                case '\n': escaped.Append(@"\n"); break;
                case '\r': escaped.Append(@"\r"); break;
                case '\t': escaped.Append(@"\t"); break;
                default:
                    if (char.IsControl(c)) escaped.Append($"\\u{(int)c:x4}");
                    else escaped.Append(c);
                    break;
            }
        }
        return escaped.ToString();
    }

    private enum TokenKind { End, Identifier, Comma, OpenParen, CloseParen, Not, Equal, DoubleEqual, NotEqual, Greater, Less }

    private readonly record struct Token(TokenKind Kind, string Text, int Offset)
    {
        /// <summary>How a token is named in a "found ..." text.</summary>
        public string Found => Kind == TokenKind.End ? "end of string" : "'" + Text + "'";
    }

    private readonly record struct ParseError(int Offset, string Message);

    /// <summary>
    /// Kubernetes' lexer and recursive descent, one token of lookahead. The lexer splits on whitespace and the special
    /// characters <c>= ! ( ) , &gt; &lt;</c>; everything else, non-ASCII included, forms identifiers, which
    /// <see cref="LabelSyntax"/> then judges, so a stray character is reported as part of a key or value.
    /// </summary>
    private sealed class Parser(string text)
    {
        private const string OperatorsExpected = "in, notin, =, ==, !=";
        private int position;
        private Token current;

        public (List<LabelRequirement>? Requirements, ParseError? Error) Run()
        {
            Advance();
            if (current.Kind == TokenKind.End)
                return (null, new ParseError(current.Offset,
                    "empty selector (a selector needs at least one requirement; an empty placement means no placement)"));

            var parsed = new List<LabelRequirement>();
            while (true)
            {
                if (current.Kind is not (TokenKind.Identifier or TokenKind.Not))
                    return (null, Expected(parsed.Count == 0 ? "!, identifier" : "identifier after ','"));
                var (requirement, error) = Requirement();
                if (requirement is null) return (null, error);
                parsed.Add(requirement);
                switch (current.Kind)
                {
                    case TokenKind.End:
                        return (parsed, null);
                    case TokenKind.Comma:
                        Advance();
                        break;
                    default:
                        return (null, Expected("',' or end of string"));
                }
            }
        }

        private (LabelRequirement? Requirement, ParseError? Error) Requirement()
        {
            var negated = current.Kind == TokenKind.Not;
            if (negated) Advance();
            if (current.Kind != TokenKind.Identifier) return (null, Expected("identifier"));
            var keyToken = current;
            if (LabelSyntax.KeyError(keyToken.Text) is { } keyError)
                return (null, new ParseError(keyToken.Offset, $"invalid key \"{Escape(keyToken.Text)}\": {keyError}"));
            Advance();

            if (negated) return (new LabelRequirement(keyToken.Text, LabelOperator.DoesNotExist, []), null);
            if (current.Kind is TokenKind.End or TokenKind.Comma)
                return (new LabelRequirement(keyToken.Text, LabelOperator.Exists, []), null);

            LabelOperator op;
            switch (current)
            {
                case { Kind: TokenKind.Equal or TokenKind.DoubleEqual }: op = LabelOperator.Equal; break;
                case { Kind: TokenKind.NotEqual }: op = LabelOperator.NotEqual; break;
                case { Kind: TokenKind.Identifier, Text: "in" }: op = LabelOperator.In; break;
                case { Kind: TokenKind.Identifier, Text: "notin" }: op = LabelOperator.NotIn; break;
                case { Kind: TokenKind.Greater or TokenKind.Less }:
                    return (null, Expected(OperatorsExpected + " ('>' and '<' are not supported)"));
                default:
                    return (null, Expected(OperatorsExpected));
            }
            Advance();

            var values = new List<Token>();
            var valuesError = op is LabelOperator.In or LabelOperator.NotIn ? ValueSet(values) : ExactValue(values);
            if (valuesError is not null) return (null, valuesError);

            foreach (var value in values)
                if (LabelSyntax.ValueError(value.Text) is { } valueError)
                    return (null, new ParseError(value.Offset,
                        $"invalid value \"{Escape(value.Text)}\" for key \"{keyToken.Text}\": {valueError}"));

            var distinct = values.Select(v => v.Text).Distinct(StringComparer.Ordinal).ToArray();
            Array.Sort(distinct, StringComparer.Ordinal);
            return (new LabelRequirement(keyToken.Text, op, distinct), null);
        }

        /// <summary>After <c>=</c>, <c>==</c> or <c>!=</c>: one identifier, or nothing (the empty value) before <c>,</c> or the end.</summary>
        private ParseError? ExactValue(List<Token> values)
        {
            if (current.Kind is TokenKind.End or TokenKind.Comma)
            {
                values.Add(current with { Text = "" });
                return null;
            }
            if (current.Kind != TokenKind.Identifier) return Expected("identifier");
            values.Add(current);
            Advance();
            return null;
        }

        /// <summary><c>( v1 , v2 )</c>, where any slot may be empty: <c>()</c>, <c>(a,)</c> and <c>(a,,b)</c> hold the empty value.</summary>
        private ParseError? ValueSet(List<Token> values)
        {
            if (current.Kind != TokenKind.OpenParen) return Expected("'('");
            Advance();
            while (true)
            {
                switch (current.Kind)
                {
                    case TokenKind.Identifier:
                        values.Add(current);
                        Advance();
                        break;
                    case TokenKind.Comma or TokenKind.CloseParen:
                        values.Add(current with { Text = "" });
                        break;
                    default:
                        return Expected("identifier, ',' or ')'");
                }
                switch (current.Kind)
                {
                    case TokenKind.Comma:
                        Advance();
                        break;
                    case TokenKind.CloseParen:
                        Advance();
                        return null;
                    default:
                        return Expected("',' or ')'");
                }
            }
        }

        private ParseError Expected(string what) => new(current.Offset, $"found {current.Found}, expected: {what}");

        private void Advance()
        {
            while (position < text.Length && IsWhitespace(text[position])) position++;
            var start = position;
            if (position == text.Length)
            {
                current = new Token(TokenKind.End, "", start);
                return;
            }
            var c = text[position++];
            var next = position < text.Length ? text[position] : '\0';
            current = c switch
            {
                ',' => new Token(TokenKind.Comma, ",", start),
                '(' => new Token(TokenKind.OpenParen, "(", start),
                ')' => new Token(TokenKind.CloseParen, ")", start),
                '>' => new Token(TokenKind.Greater, ">", start),
                '<' => new Token(TokenKind.Less, "<", start),
                '!' when next == '=' => Two(TokenKind.NotEqual, "!=", start),
                '!' => new Token(TokenKind.Not, "!", start),
                '=' when next == '=' => Two(TokenKind.DoubleEqual, "==", start),
                '=' => new Token(TokenKind.Equal, "=", start),
                _ => Identifier(start),
            };
        }

        private Token Two(TokenKind kind, string symbol, int start)
        {
            position++;
            return new Token(kind, symbol, start);
        }

        private Token Identifier(int start)
        {
            while (position < text.Length && !IsWhitespace(text[position]) && !IsSpecial(text[position])) position++;
            return new Token(TokenKind.Identifier, text[start..position], start);
        }

        private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

        private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';
    }
}
