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
    public void Refused_bodies_give_the_reference_texts(string body, string expected)
    {
        var (request, error) = ImportRequest.Parse(body);

        Assert.Null(request);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Text_after_the_first_value_is_ignored_as_Go_decoders_do()
    {
        var (request, error) = ImportRequest.Parse("""{"Content":"{}"} trailing""");

        Assert.Null(error);
        Assert.Equal("{}", System.Text.Encoding.UTF8.GetString(request!.Content.Span));
        Assert.Equal("", request.File);
    }
}
