using Kuiper.Domain.Placement;
using Xunit;

namespace Kuiper.Tests.Placement;

/// <summary>Kubernetes' label key and value rules (apimachinery's IsLabelKey and IsLabelValue), with their texts.</summary>
public sealed class LabelSyntaxTests
{
    // Kubernetes' texts, double spaces after the examples' commas included.
    internal const string NameCharset =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    internal const string NamePart = "name part " + NameCharset;
    internal const string PrefixCharset =
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
        + "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        + @"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    internal const string ValueCharset =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and "
        + "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
        + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    [Theory]
    [InlineData("site")]
    [InlineData("a")]
    [InlineData("9")]
    [InlineData("MyName")]
    [InlineData("my.name")]
    [InlineData("123-abc")]
    [InlineData("a_b-c.d")]
    [InlineData("example.com/MyName")]
    [InlineData("kuiper.example.org/site")]
    [InlineData("k8s.io/app")]
    [InlineData("a-1.b-2/x")]
    public void A_valid_key_has_no_error(string key) => Assert.Null(LabelSyntax.KeyError(key));

    [Theory]
    [InlineData("", "name part must be non-empty; " + NamePart)]
    [InlineData("-site", NamePart)]
    [InlineData("site-", NamePart)]
    [InlineData("_site", NamePart)]
    [InlineData("si te", NamePart)]
    [InlineData("site\n", NamePart)]
    [InlineData("sïte", NamePart)]
    [InlineData("si@te", NamePart)]
    [InlineData("/site", "prefix part must be non-empty")]
    [InlineData("example.com/", "name part must be non-empty; " + NamePart)]
    [InlineData("Example.com/site", PrefixCharset)]
    [InlineData("example..com/site", PrefixCharset)]
    [InlineData("-example.com/site", PrefixCharset)]
    [InlineData("ex_ample.com/site", PrefixCharset)]
    [InlineData("/", "prefix part must be non-empty; name part must be non-empty; " + NamePart)]
    [InlineData("a/b/c", "a valid label key " + NameCharset + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")]
    public void An_invalid_key_gets_Kubernetes_text(string key, string error) => Assert.Equal(error, LabelSyntax.KeyError(key));

    [Fact]
    public void A_key_s_name_is_at_most_63_bytes_and_its_prefix_at_most_253()
    {
        var name63 = new string('n', 63);
        var prefix253 = string.Join('.', Enumerable.Repeat(new string('p', 63), 4))[..253];
        Assert.Null(LabelSyntax.KeyError(name63));
        Assert.Null(LabelSyntax.KeyError(prefix253 + "/" + name63));

        Assert.Equal("name part must be no more than 63 bytes", LabelSyntax.KeyError(name63 + "n"));
        Assert.Equal("prefix part must be no more than 253 bytes", LabelSyntax.KeyError(prefix253 + "p/" + name63));
        Assert.Equal("prefix part must be no more than 253 bytes; name part must be no more than 63 bytes",
            LabelSyntax.KeyError(prefix253 + "p/" + name63 + "n"));
        // Kubernetes counts bytes: 32 two-byte letters are 64 bytes.
        Assert.Equal("name part must be no more than 63 bytes; " + NamePart, LabelSyntax.KeyError(new string('ü', 32)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plant-a")]
    [InlineData("MyValue")]
    [InlineData("my_value")]
    [InlineData("12345")]
    [InlineData("1.2.3")]
    [InlineData("in")]
    public void A_valid_value_has_no_error(string value) => Assert.Null(LabelSyntax.ValueError(value));

    [Theory]
    [InlineData("-a")]
    [InlineData("a.")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("plänt")]
    [InlineData("a\n")]
    [InlineData("\"a\"")]
    public void An_invalid_value_gets_Kubernetes_text(string value) => Assert.Equal(ValueCharset, LabelSyntax.ValueError(value));

    [Fact]
    public void A_value_is_at_most_63_bytes()
    {
        Assert.Null(LabelSyntax.ValueError(new string('v', 63)));
        Assert.Equal("must be no more than 63 bytes", LabelSyntax.ValueError(new string('v', 64)));
        Assert.Equal("must be no more than 63 bytes; " + ValueCharset, LabelSyntax.ValueError(new string('-', 64)));
    }
}
