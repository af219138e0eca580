using Kuiper.Actors.Streams;
using Xunit;

namespace Kuiper.Tests.Streams;

/// <summary>The Go standard-library behaviours only the DDL parser depends on.</summary>
public class GoTextTests
{
    [Theory]
    [InlineData("{}", true)]
    [InlineData(" [1, \"x\", null] ", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("{\"a\":1,}", false)]
    [InlineData("/* c */ {}", false)]
    [InlineData("1 2", false)]
    [InlineData("TRUE", false)]
    public void IsValidJson_matches_json_valid(string input, bool expected)
    {
        Assert.Equal(expected, GoText.IsValidJson(input));
    }
}
