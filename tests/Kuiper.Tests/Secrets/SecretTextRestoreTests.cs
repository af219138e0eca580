using Kuiper.Domain.Secrets;

namespace Kuiper.Tests.Secrets;

public sealed class SecretTextRestoreTests
{
    private static string Restored(string incoming, string? stored)
    {
        var (text, error) = SecretText.Restore(incoming, stored);
        Assert.Null(error);
        return text!;
    }

    private static string Refused(string incoming, string? stored)
    {
        var (text, error) = SecretText.Restore(incoming, stored);
        Assert.Null(text);
        return error!;
    }

    [Fact]
    public void A_masked_secret_gets_the_stored_value_and_the_rest_stays_as_sent()
    {
        Assert.Equal("""{"server":"tcp://h2:1883","password":"s3cret","qos":2}""",
            Restored("""{"server":"tcp://h2:1883","password":"******","qos":2}""", """{"server":"tcp://h:1883","password":"s3cret","qos":1}"""));
    }

    [Fact]
    public void The_stored_value_comes_back_as_it_was_written()
    {
        Assert.Equal("""{"a":{"password":"p\u003cw"},"pwd":1234,"x":"\u0026"}""",
            Restored("""{"a":{"password":"******"},"pwd":"******","x":"\u0026"}""", """{"pwd":1234, "a" : { "password" : "p\u003cw" }}"""));
    }

    [Fact]
    public void A_changed_value_is_kept_as_sent()
    {
        Assert.Equal("""{"password":"new","token":"******x"}""", Restored("""{"password":"new","token":"******x"}""", """{"password":"old","token":"t"}"""));
    }

    [Fact]
    public void A_mask_where_no_key_is_secret_is_an_ordinary_value()
    {
        Assert.Equal("""{"name":"******"}""", Restored("""{"name":"******"}""", null));
    }

    [Fact]
    public void A_mask_with_nothing_stored_is_refused_naming_its_path()
    {
        Assert.Equal("""secret "mqtt.default.password" is "******" but no value is stored for it: send the value itself""",
            Refused("""{"mqtt":{"default":{"server":"s","password":"******"}}}""", null));
        Assert.Equal("""secret "sinks[1].token" is "******" but no value is stored for it: send the value itself""",
            Refused("""{"sinks":[{"token":"******"},{"token":"******"}]}""", """{"sinks":[{"token":"t"}]}"""));
        Assert.Equal("""secret "password" is "******" but no value is stored for it: send the value itself""",
            Refused("""{"password":"******"}""", """{"password":""}"""));
        Assert.Equal("""secret "password" is "******" but no value is stored for it: send the value itself""",
            Refused("""{"password":"******"}""", """{"password":{"a":"b"}}"""));
        Assert.Equal("""secret "password" is "******" but no value is stored for it: send the value itself""",
            Refused("""{"password":"******"}""", "CREATE STREAM"));
    }

    [Fact]
    public void Leaves_below_a_secret_key_are_restored_one_by_one()
    {
        Assert.Equal("""{"credentials":{"user":"v","key":"k"}}""",
            Restored("""{"credentials":{"user":"v","key":"******"}}""", """{"credentials":{"user":"u","key":"k"}}"""));
    }

    [Fact]
    public void A_masked_URL_password_gets_the_stored_URL()
    {
        Assert.Equal("""{"url":"postgres://u:pw@h/db","x":1}""",
            Restored("""{"url":"postgres://u:******@h/db","x":1}""", """{"url":"postgres://u:pw@h/db","x":0}"""));
    }

    [Fact]
    public void A_masked_URL_password_with_another_host_is_refused()
    {
        Assert.Equal("""secret "a[0].url" holds a URL whose password is "******" but no URL that differs from it only in passwords is stored there: send the password itself""",
            Refused("""{"a":[{"url":"postgres://u:******@evil/db"}]}""", """{"a":[{"url":"postgres://u:pw@h/db"}]}"""));
    }

    [Fact]
    public void A_URL_with_a_new_password_is_kept()
    {
        Assert.Equal("""{"url":"tcp://u:new@h"}""", Restored("""{"url":"tcp://u:new@h"}""", """{"url":"tcp://u:old@h"}"""));
    }

    [Fact]
    public void SQL_with_a_masked_URL_password_gets_the_stored_text()
    {
        const string stored = """CREATE STREAM s () WITH (DATASOURCE="tcp://u:p@h", FORMAT="json")""";
        Assert.Equal(stored, Restored("""CREATE STREAM s () WITH (DATASOURCE="tcp://u:******@h", FORMAT="json")""", stored));
        Assert.Equal("""secret (the text) holds a URL whose password is "******" but no URL that differs from it only in passwords is stored there: send the password itself""",
            Refused("""CREATE STREAM s () WITH (DATASOURCE="tcp://u:******@h", FORMAT="binary")""", stored));
        Assert.Equal("CREATE STREAM t ()", Restored("CREATE STREAM t ()", stored));
    }

    [Fact]
    public void Masking_then_restoring_gives_back_the_stored_text()
    {
        const string stored = """{"a":"\u003c","mqtt":[{"password":"p1","server":"tcp://u:p2@h:1883"},{"token":7,"n":1e400}],"credentials":{"k":["x",null]}}""";
        var masked = SecretText.Mask(stored);
        Assert.Equal("""{"a":"\u003c","mqtt":[{"password":"******","server":"tcp://u:******@h:1883"},{"token":"******","n":1e400}],"credentials":{"k":["******",null]}}""", masked);
        Assert.Equal(stored, Restored(masked, stored));
    }
}
