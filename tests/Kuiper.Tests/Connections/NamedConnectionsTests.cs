using Kuiper.Domain.Connections;

namespace Kuiper.Tests.Connections;

public sealed class NamedConnectionsTests
{
    [Fact]
    public void Every_confKey_of_every_type_is_a_connection_ordered_by_id()
    {
        var connections = NamedConnections.From(new Dictionary<string, string>
        {
            ["nng"] = """{"b":{"url":"tcp://x"}}""",
            ["mqtt"] = """{"c":{},"a":{"server":"tcp://y"}}""",
        });

        Assert.Equal([new NamedConnection("a", "mqtt", """{"server":"tcp://y"}"""), new NamedConnection("b", "nng", """{"url":"tcp://x"}"""),
            new NamedConnection("c", "mqtt", "{}")], connections);
    }

    [Fact]
    public void An_id_stored_under_two_types_is_served_once_from_the_first_type()
    {
        var connections = NamedConnections.From(new Dictionary<string, string> { ["sql"] = """{"x":{"a":2}}""", ["kafka"] = """{"x":{"a":1}}""" });

        Assert.Equal([new NamedConnection("x", "kafka", """{"a":1}""")], connections);
    }

    [Fact]
    public void The_response_is_ekuipers_with_no_status_and_a_refCount_only_when_used()
    {
        var connection = new NamedConnection("a<b", "mqtt", """{"server":"tcp://\u003chost\u003e"}""");

        Assert.Equal("""{"id":"a\u003cb","typ":"mqtt","props":{"server":"tcp://\u003chost\u003e"},"isNamed":true}""", NamedConnections.Response(connection, 0));
        Assert.Equal("""[{"id":"a\u003cb","typ":"mqtt","props":{"server":"tcp://\u003chost\u003e"},"isNamed":true,"refCount":2}]""",
            NamedConnections.ListResponse([connection], _ => 2));
    }

    [Theory]
    [InlineData("""{"id":"c","typ":"mqtt","props":{"b":1,"a":[]}}""", "c", "mqtt", """{"b":1,"a":[]}""")]
    [InlineData("""{"ID":"c","Typ":"mqtt","props":null}""", "c", "mqtt", "{}")]
    [InlineData("""{"id":"c","typ":"mqtt","unknown":1}""", "c", "mqtt", "{}")]
    public void A_request_is_decoded_as_gos_unmarshal_fills_the_struct(string body, string id, string typ, string props)
    {
        var (request, error) = ConnectionRequest.Decode(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Null(error);
        Assert.Equal(new ConnectionRequest(id, typ, props), request);
        Assert.Equal($$"""{"{{id}}":{{props}}}""", request!.ToConfigItem());
    }

    [Theory]
    [InlineData("", "unexpected end of JSON input")]
    [InlineData("null x", "invalid character 'x' after top-level value")]
    [InlineData("""{"id":true}""", "json: cannot unmarshal bool into Go struct field ConnectionRequest.id of type string")]
    [InlineData("""{"props":{"a":1},"typ":[]}""", "json: cannot unmarshal array into Go struct field ConnectionRequest.typ of type string")]
    [InlineData("\"s\"", "json: cannot unmarshal string into Go value of type server.ConnectionRequest")]
    public void A_bad_request_gives_gos_error(string body, string expected) =>
        Assert.Equal(expected, ConnectionRequest.Decode(System.Text.Encoding.UTF8.GetBytes(body)).Error);
}
