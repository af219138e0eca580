using System.Text;
using System.Text.Json;
using Kuiper.Domain.Configs;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Tests.GoCompat;

/// <summary>The one depth policy (Go's 10,000) and Go's reading of strings, as every reader and writer uses them.</summary>
public sealed class GoJsonLimitsTests
{
    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Fact]
    public void Exactly_Gos_depth_is_read_and_written_one_more_is_Gos_syntax_error()
    {
        Assert.Null(GoJsonSyntax.Check(Nested(GoJsonLimits.MaxDepth)));
        Assert.Equal("invalid character '[' exceeded max depth", GoJsonSyntax.Check(Nested(GoJsonLimits.MaxDepth + 1)));

        using var document = GoJsonLimits.Parse(Nested(GoJsonLimits.MaxDepth));
        var written = new MemoryStream();
        using (var writer = new Utf8JsonWriter(written, GoJsonLimits.Writer)) document.WriteTo(writer);
        Assert.Equal(Nested(GoJsonLimits.MaxDepth), Encoding.UTF8.GetString(written.ToArray()));
        Assert.ThrowsAny<JsonException>(() => GoJsonLimits.Parse(Nested(GoJsonLimits.MaxDepth + 1)));
    }

    [Fact]
    public void A_config_nested_as_deep_as_Go_allows_is_stored_and_merged_without_recursion()
    {
        var rules = new ConfigRules(Kuiper.Messages.Resources.ResourceKind.SourceConfig);
        var props = "{\"a\":" + Nested(GoJsonLimits.MaxDepth - 2) + "}"; // the plugin object and the props object count too
        var definition = "{\"k\":" + props + "}";

        var first = rules.Validate("mqtt", definition, null, Kuiper.Messages.Partitions.ValidationContext.None);
        var merged = rules.Validate("mqtt", "{\"j\":{}}", first.Stored, Kuiper.Messages.Partitions.ValidationContext.None);

        Assert.Null(first.Error);
        Assert.Equal(definition, first.Stored);
        Assert.Equal("{\"j\":{}," + definition[1..], merged.Stored);
        Assert.Equal("invalid character '[' exceeded max depth",
            rules.Validate("mqtt", "{\"k\":{\"a\":" + Nested(GoJsonLimits.MaxDepth - 1) + "}}", null, Kuiper.Messages.Partitions.ValidationContext.None).Error);
    }

    [Theory]
    [InlineData("\"\\ud800\"", "\uFFFD")]
    [InlineData("\"a\\uDFFFb\"", "a\uFFFDb")]
    [InlineData("\"\\udc00\\ud800\"", "\uFFFD\uFFFD")]
    [InlineData("\"\\ud83d\\udca3\"", "\U0001F4A3")]
    [InlineData("\"\\\\ud800\"", "\\ud800")]
    [InlineData("\"\\u00e9\"", "\u00e9")]
    public void Lone_surrogate_escapes_read_as_U_FFFD_as_Go_reads_them(string json, string expected)
    {
        using var document = GoJsonLimits.Parse(json);

        Assert.Equal(expected, document.RootElement.GetString());
    }

    [Fact]
    public void Each_byte_that_is_not_UTF_8_reads_as_U_FFFD_as_Go_reads_it()
    {
        using var document = GoJsonLimits.Parse((ReadOnlyMemory<byte>)new byte[] { (byte)'"', (byte)'a', 0xE2, 0x82, (byte)'b', 0xFF, (byte)'"' });

        Assert.Equal("a\uFFFD\uFFFDb\uFFFD", document.RootElement.GetString());
    }

    [Theory]
    [InlineData("01", 1)]
    [InlineData(" -0.5e+3x", 8)]
    [InlineData("1.", 1)]
    [InlineData("{\"a\":\"}]\\\"\"} tail", 12)]
    [InlineData("[[],{}]]", 7)]
    [InlineData("truex", 4)]
    [InlineData("\"\\\\\"x", 4)]
    public void The_first_value_ends_where_Gos_decoder_stops(string text, int end)
    {
        Assert.Equal(end, GoJsonSyntax.FirstValueEnd(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Only_text_that_needs_it_is_copied()
    {
        ReadOnlyMemory<byte> clean = Encoding.UTF8.GetBytes("{\"a\":\"\\u00e9\\n\"}");

        Assert.True(GoJsonLimits.AsGoDecodes(clean).Equals(clean));
    }
}
