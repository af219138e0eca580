using Kuiper.Domain.Secrets;

namespace Kuiper.Tests.Secrets;

public sealed class SecretTextMaskTests
{
    [Theory]
    [InlineData("tcp://u:p@host:1883", "tcp://u:******@host:1883")]
    [InlineData("postgres://u:p@h/db", "postgres://u:******@h/db")]
    [InlineData("mysql://root:s3cr:et@db:3306/x?tls=true", "mysql://root:******@db:3306/x?tls=true")]
    [InlineData("redis://:p@h:6379/0", "redis://:******@h:6379/0")]
    [InlineData("ssl://u:p@ss@host", "ssl://u:******@host")]
    [InlineData(@"tcp://u:a\u0026b@h", "tcp://u:******@h")]
    [InlineData("a tcp://u:p@h and redis://:q@r", "a tcp://u:******@h and redis://:******@r")]
    [InlineData("tcp://u@host:1883", "tcp://u@host:1883")]
    [InlineData("tcp://u:@host", "tcp://u:@host")]
    [InlineData("http://host:8080/a:b@c", "http://host:8080/a:b@c")]
    [InlineData("http://host:8080?q=a:b@c", "http://host:8080?q=a:b@c")]
    [InlineData("u:p@host", "u:p@host")]
    public void A_URL_password_is_masked_in_any_string(string url, string masked)
    {
        Assert.Equal($$"""{"server":"{{masked}}","n":[{"x":"{{masked}}"}]}""", SecretText.Mask($$"""{"server":"{{url}}","n":[{"x":"{{url}}"}]}"""));
    }

    [Fact]
    public void Everything_but_the_secrets_stays_byte_for_byte()
    {
        const string text = """{"b":"\u003cx\u003e \u0026","password":"p\u0026","a":1e400,"n":[1,[2.50,{"token":12}],"é😀",-0.0E+1],"z":null,"url":"tcp://u:p@h\u003e"}""";
        Assert.Equal(
            """{"b":"\u003cx\u003e \u0026","password":"******","a":1e400,"n":[1,[2.50,{"token":"******"}],"é😀",-0.0E+1],"z":null,"url":"tcp://u:******@h\u003e"}""",
            SecretText.Mask(text));
    }

    [Fact]
    public void Spacing_and_duplicate_keys_stay_as_written()
    {
        Assert.Equal("{ \"password\" : \"******\" ,\n \"k\": 1,\"PASSWORD\":\"******\" }\n",
            SecretText.Mask("{ \"password\" : \"x\" ,\n \"k\": 1,\"PASSWORD\":\"y\" }\n"));
    }

    [Fact]
    public void A_key_written_with_escapes_is_read_as_Go_decodes_it()
    {
        Assert.Equal("""{"pass\u0077ord":"******"}""", SecretText.Mask("""{"pass\u0077ord":"x"}"""));
    }

    [Fact]
    public void Null_booleans_and_empty_strings_stay_and_numbers_become_the_masked_string()
    {
        const string text = """{"password":null,"token":"","secret":true,"pwd":false,"apikey":12345,"passwd":-1.5e3}""";
        Assert.Equal("""{"password":null,"token":"","secret":true,"pwd":false,"apikey":"******","passwd":"******"}""", SecretText.Mask(text));
    }

    [Fact]
    public void Every_leaf_below_a_secret_key_is_masked()
    {
        Assert.Equal(
            """{"credentials":{"user":"******","key":"******","n":"******","on":true,"list":["******",null,""]},"user":"u"}""",
            SecretText.Mask("""{"credentials":{"user":"u","key":"k","n":7,"on":true,"list":["a",null,""]},"user":"u"}"""));
    }

    [Fact]
    public void SQL_has_its_URL_passwords_masked_and_nothing_else()
    {
        Assert.Equal("""CREATE STREAM s () WITH (DATASOURCE="tcp://u:******@h:1883", FORMAT="json", password="x")""",
            SecretText.Mask("""CREATE STREAM s () WITH (DATASOURCE="tcp://u:p@h:1883", FORMAT="json", password="x")"""));
    }

    [Theory]
    [InlineData("""{"password":"x" """)]
    [InlineData("\"password\"")]
    [InlineData("12")]
    [InlineData("")]
    public void Text_that_is_not_a_JSON_object_or_array_is_free_text(string text) => Assert.Equal(text, SecretText.Mask(text));

    [Fact]
    public void Go_depth_is_walked_without_recursion()
    {
        const int depth = 9_000;
        var open = string.Concat(Enumerable.Repeat("[", depth));
        var close = string.Concat(Enumerable.Repeat("]", depth));
        Assert.Equal(open + """{"password":"******"}""" + close, SecretText.Mask(open + """{"password":"x"}""" + close));
    }

    [Theory]
    [InlineData("dial tcp://u:p@h:1883: connection refused", "dial tcp://u:******@h:1883: connection refused")]
    [InlineData("""invalid config {"server":"x","password":"p\"q","port":1}""", """invalid config {"server":"x","password":"******","port":1}""")]
    [InlineData("""{"error":1000,"message":"bad {\"token\":\"abc\",\"a\":1}"}""", """{"error":1000,"message":"bad {\"token\":\"******\",\"a\":1}"}""")]
    [InlineData("""bad "apikey": 12345, "n": 2""", """bad "apikey": "******", "n": 2""")]
    [InlineData("host=db user=u password=p sslmode=disable", "host=db user=u password=****** sslmode=disable")]
    [InlineData("GET /x?user=u&Password=p&x=1", "GET /x?user=u&Password=******&x=1")]
    [InlineData("""WITH (PASSWORD='a b', token = "x y")""", """WITH (PASSWORD='******', token = "******")""")]
    [InlineData("mypassword=x user=u name=\"password\"", "mypassword=x user=u name=\"password\"")]
    public void Messages_have_their_secrets_masked(string message, string masked) =>
        Assert.Equal(masked, SecretText.MaskMessage(message));
}
