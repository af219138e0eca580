using System.Text;
using Kuiper.Domain.Artefacts;

namespace Kuiper.Tests.Artefacts;

/// <summary>The plugin, service and schema request bodies decoded as eKuiper's handlers decode them.</summary>
public sealed class ArtefactRequestsTests
{
    private static ReadOnlyMemory<byte> Body(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("", "EOF")]
    [InlineData("{\"name\":", "unexpected EOF")]
    [InlineData("{\"name\":1}", "json: cannot unmarshal number into Go struct field IOPlugin.name of type string")]
    [InlineData("[]", "json: cannot unmarshal array into Go value of type plugin.IOPlugin")]
    public void A_plugin_body_that_does_not_decode_gives_go_s_text(string body, string expected) =>
        Assert.Equal(expected, ArtefactRequests.Plugin(Body(body), functionPlugin: false).Error);

    [Fact]
    public void A_plugin_body_becomes_the_bundle_item_with_case_insensitive_keys_and_only_its_first_value()
    {
        var (plugin, error) = ArtefactRequests.Plugin(Body("""{"NAME":"f","file":"file:///a/f.zip","functions":["x","y"],"other":1} trailing"""), functionPlugin: true);

        Assert.Null(error);
        Assert.Equal("""{"name":"f","file":"file:///a/f.zip","functions":["x","y"]}""", plugin!.ItemJson());
        Assert.Equal("""{"name":"f","file":"file:///a/f.zip"}""",
            ArtefactRequests.Plugin(Body("""{"name":"f","file":"file:///a/f.zip","functions":["x"]}"""), functionPlugin: false).Request!.ItemJson());
    }

    [Fact]
    public void A_function_list_and_a_service_request_decode()
    {
        Assert.Equal(["a", "b"], ArtefactRequests.FunctionList(Body("""{"functions":["a","b"]}""")).Functions);
        Assert.Equal("json: cannot unmarshal string into Go struct field functionList.functions of type []string",
            ArtefactRequests.FunctionList(Body("""{"functions":"a"}""")).Error);
        Assert.Equal("""{"name":"s","file":"http://h/s.zip"}""", ArtefactRequests.Service(Body("""{"name":"s","file":"http://h/s.zip"}""")).Request!.ItemJson());
    }

    [Fact]
    public void A_schema_body_is_read_over_the_path_and_validated_as_info_validate_does()
    {
        var (schema, _) = ArtefactRequests.Schema(Body("""{"name":"n","content":"syntax = \"proto3\";"}"""), "protobuf");
        Assert.Equal("protobuf_n", schema!.Key);
        Assert.Null(schema.Validate());
        Assert.Equal("""{"type":"protobuf","name":"n","content":"syntax = \"proto3\";"}""", schema.ItemJson());

        Assert.Equal("custom", ArtefactRequests.Schema(Body("""{"type":"custom"}"""), "protobuf", "n").Request!.Type);
        Assert.Equal("name is required", ArtefactRequests.Schema(Body("{}"), "protobuf").Request!.Validate());
        Assert.Equal("cannot specify both content and file", ArtefactRequests.Schema(Body("""{"content":"a","file":"b"}"""), "protobuf", "n").Request!.Validate());
        Assert.Equal("unsupported schema type avro", ArtefactRequests.Schema(Body("{}"), "avro", "n").Request!.Validate());
        Assert.Equal("must specify content or file", ArtefactRequests.Schema(Body("{}"), "protobuf", "n").Request!.Validate());
        Assert.Equal("soFile is required", ArtefactRequests.Schema(Body("{}"), "custom", "n").Request!.Validate());
    }
}
