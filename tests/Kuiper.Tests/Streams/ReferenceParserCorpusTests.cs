using Kuiper.Domain.Streams;
using Xunit;

namespace Kuiper.Tests.Streams;

/// <summary>Differential check against outcomes recorded from eKuiper's own parser.</summary>
public class ReferenceParserCorpusTests
{
    [Theory]
    [MemberData(nameof(ReferenceParserCorpus.Cases), MemberType = typeof(ReferenceParserCorpus))]
    public void Parse_matches_the_reference_parser(string statement, string expected)
    {
        var result = StreamStatementParser.Parse(statement);

        Assert.Equal(expected, ReferenceFormat.Render(statement, result));
        if (result.IsSuccess)
        {
            Assert.Equal(statement, result.Definition.Statement);
        }
    }
}
