using Kuiper.Domain.Secrets;

namespace Kuiper.Tests.Secrets;

public sealed class SecretKeysTests
{
    public static TheoryData<string> Names => new(SecretKeys.Names);

    [Fact]
    public void The_list_is_the_documented_one_and_holds_eKuipers_hidden_keys()
    {
        Assert.Equal(
            [
                "password", "passwd", "pwd", "token", "secret", "access_token", "refresh_token", "api_key", "apikey",
                "secret_key", "access_key_secret", "private_key", "private_key_password", "client_secret", "sasl_password",
                "saslPassword", "credential", "credentials", "sentinel_password", "bind_password",
            ],
            SecretKeys.Names);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_key_is_secret_in_any_case(string name)
    {
        Assert.True(SecretKeys.IsSecret(name));
        Assert.True(SecretKeys.IsSecret(name.ToUpperInvariant()));
        Assert.True(SecretKeys.IsSecret(name.ToLowerInvariant()));
        Assert.True(SecretKeys.IsSecret(char.ToUpperInvariant(name[0]) + name[1..]));
    }

    [Theory]
    [InlineData("tokenType")]
    [InlineData("passwordFile")]
    [InlineData("user")]
    [InlineData("username")]
    [InlineData("url")]
    [InlineData("server")]
    [InlineData("")]
    [InlineData("password ")]
    public void Other_keys_are_not_secret(string key) => Assert.False(SecretKeys.IsSecret(key));

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_key_is_masked_at_any_depth(string name)
    {
        var upper = name.ToUpperInvariant();
        Assert.Equal($$"""{"{{name}}":"******","user":"u"}""", SecretText.Mask($$"""{"{{name}}":"v","user":"u"}"""));
        Assert.Equal($$$"""{"a":{"{{{upper}}}":"******"}}""", SecretText.Mask($$$"""{"a":{"{{{upper}}}":"v"}}"""));
        Assert.Equal($$$"""[{"b":[1,{"c":{"{{{name}}}":"******"}}]}]""", SecretText.Mask($$$"""[{"b":[1,{"c":{"{{{name}}}":"v"}}]}]"""));
    }
}
