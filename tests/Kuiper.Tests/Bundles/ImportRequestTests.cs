using Kuiper.Domain.Bundles;

namespace Kuiper.Tests.Bundles;

public sealed class ImportRequestTests
{
    [Theory]
    [InlineData("   ", "Invalid body: Error decoding json: EOF")]
    [InlineData("{\"content\":\"x\"", "Invalid body: Error decoding json: unexpected EOF")]
    [InlineData("[1]", "Invalid body: Error decoding json: json: cannot unmarshal array into Go value of type server.configurationInfo")]
    [InlineData("{\"file\":true}", "Invalid body: Error decoding json: json: cannot unmarshal bool into Go struct field configurationInfo.file of type string")]
    [InlineData("{\"content\":\"a\",\"FILE\":\"b\"}", "Invalid body: Cannot specify both content and file")]
    [InlineData("null", "Invalid body: must specify content or file")]
    // Go keeps decoding after a type error and answers the first one, in document order, whatever came after it.
    [InlineData("{\"content\":1,\"content\":\"x\"}", "Invalid body: Error decoding json: json: cannot unmarshal number into Go struct field configurationInfo.content of type string")]
    [InlineData("{\"file\":[],\"Content\":{}}", "Invalid body: Error decoding json: json: cannot unmarshal array into Go struct field configurationInfo.file of type string")]
    public void Refused_bodies_give_the_reference_texts(string body, string expected)
    {
        var (request, error) = ImportRequest.Parse(body);

        Assert.Null(request);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Repeated_keys_apply_in_order_and_a_null_leaves_the_field_as_it_is_as_Go_decoders_do()
    {
        var (request, error) = ImportRequest.Parse("""{"content":"{\"a\":1}","CONTENT":null,"file":null}""");
        var (later, laterError) = ImportRequest.Parse("""{"content":"{}","Content":"{\"b\":2}"}""");

        Assert.Equal((null, null), (error, laterError));
        Assert.Equal("""{"a":1}""", System.Text.Encoding.UTF8.GetString(request!.Content.Span));
        Assert.Equal("", request.File);
        Assert.Equal("""{"b":2}""", System.Text.Encoding.UTF8.GetString(later!.Content.Span));
    }

    [Fact]
    public void Text_after_the_first_value_is_ignored_as_Go_decoders_do()
    {
        var (request, error) = ImportRequest.Parse("""{"Content":"{}"} trailing""");

        Assert.Null(error);
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(request!.Content.Span));
        Assert.Equal("", request.File);
    }

    [Theory]
    [InlineData("{\"content\":\"a\",\"file\":\"b\"}", "Invalid body: Cannot specify both content and file: bad request")]
    [InlineData("{}", "Invalid body: must specify content or file: bad request")]
    [InlineData("{\"content\":1}", "Invalid body: Error decoding json: json: cannot unmarshal number into Go struct field rulesetInfo.content of type string")]
    [InlineData("\"x\"", "Invalid body: Error decoding json: json: cannot unmarshal string into Go value of type server.rulesetInfo")]
    public void Ruleset_bodies_are_read_into_eKuipers_rulesetInfo(string body, string expected)
    {
        var (request, error) = ImportRequest.Parse(System.Text.Encoding.UTF8.GetBytes(body), ImportRequestShape.Ruleset);

        Assert.Null(request);
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData("{\"content\":\"a\",\"partial\":\"yes\"}", "Invalid body: Error decoding json: json: cannot unmarshal string into Go struct field importConfiguration.partial of type bool")]
    [InlineData("{\"content\":\"a\",\"Reboot\":1}", "Invalid body: Error decoding json: json: cannot unmarshal number into Go struct field importConfiguration.reboot of type bool")]
    [InlineData("[]", "Invalid body: Error decoding json: json: cannot unmarshal array into Go value of type server.importConfiguration")]
    [InlineData("{\"partial\":true}", "Invalid body: must specify content or file: bad request")]
    public void Yaml_bodies_are_read_into_eKuipers_importConfiguration(string body, string expected)
    {
        var (request, error) = ImportRequest.Parse(System.Text.Encoding.UTF8.GetBytes(body), ImportRequestShape.Yaml);

        Assert.Null(request);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Yaml_body_flags_of_the_right_type_are_accepted_and_ignored()
    {
        var (request, error) = ImportRequest.Parse("{\"content\":\"a: 1\",\"partial\":true,\"reboot\":null}"u8.ToArray(), ImportRequestShape.Yaml);

        Assert.Null(error);
        Assert.Equal("a: 1", System.Text.Encoding.UTF8.GetString(request!.Content.Span));
    }

    [Theory]
    [InlineData("{}", "Invalid body: must specify content or file")]
    [InlineData("null", "Invalid body: must specify content or file")]
    [InlineData("{\"content\":\"a\",\"file\":\"b\"}", "Invalid body: Cannot specify both content and file")]
    public void Decoding_alone_leaves_the_content_and_file_checks_to_the_task(string body, string problem)
    {
        var (request, error) = ImportRequest.Decode(System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Null(error);
        Assert.Equal(problem, request!.Problem);
    }

    [Fact]
    public void Decoding_refuses_what_is_not_json_with_the_reference_text()
    {
        var (request, error) = ImportRequest.Decode("{"u8.ToArray());

        Assert.Null(request);
        Assert.Equal("Invalid body: Error decoding json: unexpected EOF", error);
    }
}
