using Kuiper.Domain.Streams;
using Xunit;

namespace Kuiper.Tests.Streams;

public class StreamReplaceRulesTests
{
    private static StreamDefinition Parse(string statement)
    {
        var result = StreamStatementParser.Parse(statement);
        Assert.True(result.IsSuccess, result.Error);
        return result.Definition;
    }

    /// <summary>
    /// eKuiper's TestStreamReplace, run in order against one stored definition of r1: each accepted
    /// statement replaces the stored one.
    /// </summary>
    [Fact]
    public void Replace_sequence_of_the_reference_test()
    {
        var steps = new (string Statement, string? Error)[]
        {
            ("CREATE STREAM r1 () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\", KEY=\"USERID\");", null),
            ("CREATE STREAM r1 () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\");", null),
            ("CREATE STREAM r1 () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\", VERSION=\"12345\");", null),
            ("CREATE STREAM r1 () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\", VERSION=\"12345\");",
                "source r1 already exists with version (12345), new version (12345) is lower"),
            ("CREATE STREAM r1 () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\", VERSION=\"12345\");",
                "source r1 already exists with version (12345), new version (12345) is lower"),
            ("CREATE STREAM r1 () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\");",
                "source r1 already exists with version (12345), new version () is lower"),
            ("CREATE STREAM r1 () WITH (DATASOURCE=\"users\", FORMAT=\"JSON\", SHARED=\"true\");",
                "Replace r1 fails: do not support to change stream SHARED option."),
        };

        StreamDefinition? stored = null;
        foreach (var (statement, expected) in steps)
        {
            var parsed = StreamStatementParser.ParseForKind(statement, StreamKind.Stream);
            Assert.True(parsed.IsSuccess, parsed.Error);

            var error = StreamReplaceRules.Check("r1", parsed.Definition, stored);

            Assert.Equal(expected, error);
            if (error is null)
            {
                stored = parsed.Definition;
            }
        }

        Assert.Equal("12345", stored!.Options.Version);
    }

    [Theory]
    [InlineData("demo", "CREATE STREAM Demo () WITH ()", "Replace demo fails: the sql statement must update the demo source.")]
    [InlineData("demo", "CREATE STREAM other () WITH (TEMP=\"true\")", "Replace demo fails: the sql statement must update the demo source.")]
    [InlineData("demo", "CREATE STREAM demo () WITH (TEMP=\"true\")", "Replace demo fails: cannot replace with temp option.")]
    [InlineData("T110", "CREATE TABLE T110 () WITH (TEMP=\"TRUE\", SHARED=\"true\")", "Replace T110 fails: cannot replace with temp option.")]
    [InlineData("demo", "CREATE STREAM demo () WITH (TEMP=\"false\")", null)]
    public void New_definitions_are_checked_for_name_then_temp(string key, string statement, string? expected)
    {
        Assert.Equal(expected, StreamReplaceRules.Check(key, Parse(statement), existing: null));
    }

    [Theory]
    [InlineData("SHARED=\"true\"", "SHARED=\"false\"", "Replace s fails: do not support to change stream SHARED option.")]
    [InlineData("", "SHARED=\"true\", VERSION=\"9\"", "Replace s fails: do not support to change stream SHARED option.")]
    [InlineData("SHARED=\"true\", VERSION=\"2\"", "SHARED=\"TRUE\", VERSION=\"1\"", "source s already exists with version (2), new version (1) is lower")]
    [InlineData("VERSION=\"9\"", "VERSION=\"10\"", "source s already exists with version (9), new version (10) is lower")]
    [InlineData("VERSION=\"1.0.0\"", "VERSION=\"V2.0.0\"", null)]
    [InlineData("VERSION=\"B\"", "VERSION=\"a\"", "source s already exists with version (b), new version (a) is lower")]
    [InlineData("", "VERSION=\"1\"", null)]
    [InlineData("", "", null)]
    public void Existing_definitions_also_check_shared_and_version(string oldOptions, string newOptions, string? expected)
    {
        var existing = Parse($"CREATE STREAM s () WITH ({oldOptions})");
        var replacement = Parse($"CREATE STREAM s () WITH ({newOptions})");

        Assert.Equal(expected, StreamReplaceRules.Check("s", replacement, existing));
    }

    [Theory]
    [InlineData("", "", true)]
    [InlineData("", "1", true)]
    [InlineData("1", "", false)]
    [InlineData("1", "1", false)]
    [InlineData("9", "10", false)]
    [InlineData("1.0.0", "2.0.0", true)]
    [InlineData("2.0.0", "1.5.0", false)]
    [InlineData("3.0.0", "3.0.0.1", true)]
    [InlineData("\uFFFD", "\U0001F600", true)] // Go compares UTF-8 bytes: F0.. > EF..; UTF-16 ordinal would say false
    public void CanReplace_is_plain_go_string_order(string oldVersion, string newVersion, bool expected)
    {
        Assert.Equal(expected, StreamReplaceRules.CanReplace(oldVersion, newVersion));
    }
}
