using Kuiper.Domain.Artefacts.Scripts;

namespace Kuiper.Tests.Artefacts;

public sealed class ScriptRequestTests
{
    [Theory]
    [InlineData("""{"id":"f","description":"d","script":"function f() {}","isAgg":true}""", "f", "d", "function f() {}", true)]
    [InlineData("""{"ID":"f","Script":"x"} trailing""", "f", "", "x", false)]
    [InlineData("null", "", "", "", false)]
    public void A_body_is_decoded_as_gos_decoder_reads_its_first_value(string body, string id, string description, string script, bool isAgg) =>
        Assert.Equal((new ScriptRequest(id, description, script, isAgg), (string?)null), ScriptRequest.Decode(System.Text.Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("", "EOF")]
    [InlineData("  {", "unexpected EOF")]
    [InlineData("{]", "invalid character ']' looking for beginning of object key string")]
    [InlineData("""{"description":5}""", "json: cannot unmarshal number into Go struct field Script.description of type string")]
    [InlineData("true", "json: cannot unmarshal bool into Go value of type js.Script")]
    public void A_bad_body_gives_gos_error(string body, string expected) =>
        Assert.Equal(expected, ScriptRequest.Decode(System.Text.Encoding.UTF8.GetBytes(body)).Error);

    [Fact]
    public void The_stored_item_is_gos_marshal_of_the_script() =>
        Assert.Equal("""{"id":"f","description":"a \u003c b","script":"function f() { return 1 \u0026\u0026 2; }","isAgg":false}""",
            new ScriptRequest("f", "a < b", "function f() { return 1 && 2; }", false).ToItemJson());
}
