using Kuiper.Domain.Rules.Validation;

namespace Kuiper.Tests.Rules.Validation;

public class RuleVersionTests
{
    [Theory]
    [InlineData("", "", true)]
    [InlineData("", "1", true)]
    [InlineData("1", "", false)]
    [InlineData("1", "1", false)]
    [InlineData("12345", "12345", false)]
    [InlineData("1.0.0", "2.0.0", true)]
    [InlineData("3.0.0", "2.5.0", false)]
    [InlineData("2.5.0", "3.0.0", true)]
    [InlineData("9", "10", false)]
    [InlineData("10", "9", true)]
    [InlineData("1", "1.0", true)]
    [InlineData("a", "B", false)]
    // Go compares UTF-8 bytes: U+1F600 sorts after U+FFFF (UTF-16 ordinal order says the opposite).
    [InlineData("\uFFFF", "\uD83D\uDE00", true)]
    [InlineData("\uD83D\uDE00", "\uFFFF", false)]
    public void Newer_means_greater_as_Go_strings(string old, string @new, bool expected) =>
        Assert.Equal(expected, RuleVersion.CanReplace(old, @new));

    [Fact]
    public void Lower_version_text() =>
        Assert.Equal("rule raceTest already exists with version (3.0.0), new version (1.5.0) is lower",
            RuleVersion.LowerVersionError("raceTest", "3.0.0", "1.5.0"));
}
