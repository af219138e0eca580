using Kuiper.Domain.Placement;
using Xunit;
using static Kuiper.Tests.Placement.LabelSyntaxTests;

namespace Kuiper.Tests.Placement;

/// <summary>
/// Kubernetes' label selectors (apimachinery's labels.Parse, Requirement.Matches and String): the documented examples
/// ("Labels and Selectors") and the edge cases, each valid text with its canonical form, each invalid one with its error.
/// </summary>
public sealed class LabelSelectorTests
{
    private const string Empty = "empty selector (a selector needs at least one requirement; an empty placement means no placement)";
    private const string Operators = "in, notin, =, ==, !=";

    [Theory]
    // Kubernetes' documented examples.
    [InlineData("environment = production", "environment=production")]
    [InlineData("tier != frontend", "tier!=frontend")]
    [InlineData("environment in (production, qa)", "environment in (production,qa)")]
    [InlineData("tier notin (frontend, backend)", "tier notin (backend,frontend)")]
    [InlineData("partition", "partition")]
    [InlineData("!partition", "!partition")]
    [InlineData("environment=production,tier!=frontend", "environment=production,tier!=frontend")]
    [InlineData("partition,environment notin (qa)", "environment notin (qa),partition")]
    // Sorted by key, then operator, then values; == is =.
    [InlineData("site=plant-a, line in (2,1), !canary", "!canary,line in (1,2),site=plant-a")]
    [InlineData("environment==production", "environment=production")]
    [InlineData("b=1,a=2", "a=2,b=1")]
    [InlineData("a,a!=x,a=y", "a=y,a!=x,a")]
    [InlineData("x in (b,a,b)", "x in (a,b)")]
    // Duplicate keys are kept, as Kubernetes keeps them (a=x,a=y matches nothing).
    [InlineData("a=y,a=x", "a=x,a=y")]
    [InlineData("a=x,a==x", "a=x,a=x")]
    // Empty values.
    [InlineData("key=", "key=")]
    [InlineData("key!=", "key!=")]
    [InlineData("x= ,z=", "x=,z=")]
    [InlineData("x in ()", "x in ()")]
    [InlineData("x in (a,,b)", "x in (,a,b)")]
    [InlineData("x notin (a,)", "x notin (,a)")]
    [InlineData("x in (,)", "x in ()")]
    // Keywords are keys and values outside the operator's place.
    [InlineData("in in (in, notin)", "in in (in,notin)")]
    [InlineData("notin=in", "notin=in")]
    // Whitespace, or none, around every token.
    [InlineData(" \t x = a \r\n , y ", "x=a,y")]
    [InlineData("x in(a)", "x in (a)")]
    [InlineData("x notin(a),!y", "x notin (a),!y")]
    [InlineData("example.com/site=plant-a", "example.com/site=plant-a")]
    [InlineData("k8s.io/App_name-1.v=A-b_c.9", "k8s.io/App_name-1.v=A-b_c.9")]
    public void A_valid_selector_has_a_canonical_form(string text, string canonical)
    {
        var (selector, error) = LabelSelector.Parse(text);
        Assert.Null(error);
        Assert.Equal(canonical, selector!.ToString());

        // The canonical form reads back as the same selector.
        var (again, againError) = LabelSelector.Parse(canonical);
        Assert.Null(againError);
        Assert.Equal(selector, again);
        Assert.Equal(canonical, again!.ToString());
    }

    [Theory]
    // Empty text and misplaced commas.
    [InlineData("", "at 0: " + Empty)]
    [InlineData("  \t", "at 3: " + Empty)]
    [InlineData("a=b,", "at 4: found end of string, expected: identifier after ','")]
    [InlineData(",a", "at 0: found ',', expected: !, identifier")]
    [InlineData("a,,b", "at 2: found ',', expected: identifier after ','")]
    // = without a key, ! without a key.
    [InlineData("=a", "at 0: found '=', expected: !, identifier")]
    [InlineData("a=b,=c", "at 4: found '=', expected: identifier after ','")]
    [InlineData("!", "at 1: found end of string, expected: identifier")]
    [InlineData("!!x", "at 1: found '!', expected: identifier")]
    [InlineData("!x=a", "at 2: found '=', expected: ',' or end of string")]
    // Operators.
    [InlineData("x y", "at 2: found 'y', expected: " + Operators)]
    [InlineData("x>1", "at 1: found '>', expected: " + Operators + " ('>' and '<' are not supported)")]
    [InlineData("x<1", "at 1: found '<', expected: " + Operators + " ('>' and '<' are not supported)")]
    [InlineData("x==a==b", "at 4: found '==', expected: ',' or end of string")]
    [InlineData("x===a", "at 3: found '=', expected: identifier")]
    [InlineData("x = a b", "at 6: found 'b', expected: ',' or end of string")]
    [InlineData("x=(a)", "at 2: found '(', expected: identifier")]
    // Unbalanced and malformed parentheses.
    [InlineData("line in (1,2", "at 12: found end of string, expected: ',' or ')'")]
    [InlineData("x in", "at 4: found end of string, expected: '('")]
    [InlineData("x in 1,2)", "at 5: found '1', expected: '('")]
    [InlineData("x in (a))", "at 8: found ')', expected: ',' or end of string")]
    [InlineData("x in ((a)", "at 6: found '(', expected: identifier, ',' or ')'")]
    [InlineData("x in (a b)", "at 8: found 'b', expected: ',' or ')'")]
    [InlineData("x in (a,", "at 8: found end of string, expected: identifier, ',' or ')'")]
    [InlineData("x in (=)", "at 6: found '=', expected: identifier, ',' or ')'")]
    [InlineData("x notin a", "at 8: found 'a', expected: '('")]
    // Keys and values LabelSyntax rejects, unicode among them, named with LabelSyntax's text.
    [InlineData("x=a||y=b", "at 2: invalid value \"a||y\" for key \"x\": " + ValueCharset)]
    [InlineData("site=plänt-a", "at 5: invalid value \"plänt-a\" for key \"site\": " + ValueCharset)]
    [InlineData("sïte=a", "at 0: invalid key \"sïte\": " + NamePart)]
    [InlineData("a=b, -c", "at 5: invalid key \"-c\": " + NamePart)]
    [InlineData("!-c", "at 1: invalid key \"-c\": " + NamePart)]
    [InlineData("x in (a, -b)", "at 9: invalid value \"-b\" for key \"x\": " + ValueCharset)]
    [InlineData("Example.com/site=a", "at 0: invalid key \"Example.com/site\": " + PrefixCharset)]
    [InlineData("/site", "at 0: invalid key \"/site\": prefix part must be non-empty")]
    public void An_invalid_selector_names_the_position_and_the_problem(string text, string error)
    {
        var (selector, parseError) = LabelSelector.Parse(text);
        Assert.Null(selector);
        Assert.Equal($"selector \"{text.Replace("\t", "\\t")}\": {error}", parseError);
    }

    [Fact]
    public void The_error_quotes_the_selector_with_escapes()
    {
        Assert.Equal("selector \"x=\\\"a\\\"\": at 2: invalid value \"\\\"a\\\"\" for key \"x\": " + ValueCharset,
            LabelSelector.Parse("x=\"a\"").Error);
        Assert.Equal("selector \"a\\n,\": at 3: found end of string, expected: identifier after ','", LabelSelector.Parse("a\n,").Error);
    }

    [Fact]
    public void Very_long_keys_and_values_are_named_with_their_length_error()
    {
        var name63 = new string('n', 63);
        Assert.Equal(name63 + "=" + name63, LabelSelector.Parse(name63 + " = " + name63).Selector!.ToString());

        var longName = name63 + "n";
        Assert.Equal($"selector \"{longName}\": at 0: invalid key \"{longName}\": name part must be no more than 63 bytes",
            LabelSelector.Parse(longName).Error);

        var longPrefix = new string('p', 254) + "/a";
        Assert.Equal($"selector \"!{longPrefix}\": at 1: invalid key \"{longPrefix}\": prefix part must be no more than 253 bytes",
            LabelSelector.Parse("!" + longPrefix).Error);

        var longValue = new string('v', 64);
        Assert.Equal($"selector \"k in (a,{longValue})\": at 8: invalid value \"{longValue}\" for key \"k\": must be no more than 63 bytes",
            LabelSelector.Parse($"k in (a,{longValue})").Error);
    }

    [Theory]
    [InlineData("environment = production", "environment=production", true)]
    [InlineData("environment = production", "environment=qa", false)]
    [InlineData("environment = production", "", false)]
    [InlineData("tier != frontend", "tier=backend", true)]
    [InlineData("tier != frontend", "tier=frontend", false)]
    [InlineData("tier != frontend", "", true)]
    [InlineData("environment in (production, qa)", "environment=qa", true)]
    [InlineData("environment in (production, qa)", "environment=dev", false)]
    [InlineData("environment in (production, qa)", "", false)]
    [InlineData("tier notin (frontend, backend)", "tier=cache", true)]
    [InlineData("tier notin (frontend, backend)", "tier=backend", false)]
    [InlineData("tier notin (frontend, backend)", "", true)]
    [InlineData("partition", "partition=", true)]
    [InlineData("partition", "other=x", false)]
    [InlineData("!partition", "", true)]
    [InlineData("!partition", "partition=a", false)]
    [InlineData("environment=production,tier!=frontend", "environment=production,tier=backend", true)]
    [InlineData("environment=production,tier!=frontend", "environment=production,tier=frontend", false)]
    [InlineData("environment=production,tier!=frontend", "tier=backend", false)]
    [InlineData("site=plant-a,line in (1,2),!canary", "site=plant-a,line=2", true)]
    [InlineData("site=plant-a,line in (1,2),!canary", "site=plant-a,line=2,canary=true", false)]
    [InlineData("site=plant-a,line in (1,2),!canary", "site=plant-b,line=2", false)]
    [InlineData("key=", "key=", true)]
    [InlineData("key=", "", false)]
    [InlineData("key!=", "key=", false)]
    [InlineData("key!=", "key=a", true)]
    [InlineData("x in ()", "x=", true)]
    [InlineData("x in ()", "x=a", false)]
    [InlineData("x notin ()", "x=a", true)]
    [InlineData("a=x,a=y", "a=x", false)]
    [InlineData("a,a!=x", "a=y", true)]
    [InlineData("Site=a", "site=a", false)]
    [InlineData("example.com/site=a", "site=a", false)]
    public void A_selector_matches_labels_as_Kubernetes_does(string text, string labels, bool matches)
    {
        var selector = LabelSelector.Parse(text).Selector!;
        Assert.Equal(matches, selector.Matches(Labels(labels)));
    }

    [Fact]
    public void Equal_selectors_are_equal_however_written()
    {
        var a = LabelSelector.Parse("site = plant-a, line in (2, 1)").Selector!;
        var b = LabelSelector.Parse("line in (1,2,1),site==plant-a").Selector!;
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, LabelSelector.Parse("site=plant-a").Selector);
        Assert.Equal(new[] { "line", "site" }, a.Requirements.Select(r => r.Key));
        Assert.Equal(new[] { LabelOperator.In, LabelOperator.Equal }, a.Requirements.Select(r => r.Operator));
        Assert.Equal(new[] { "1", "2" }, a.Requirements[0].Values);
    }

    /// <summary><c>k=v,k2=v2</c> as a label set; the empty text is no labels.</summary>
    private static Dictionary<string, string> Labels(string text) =>
        text.Length == 0
            ? []
            : text.Split(',').Select(pair => pair.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
}
