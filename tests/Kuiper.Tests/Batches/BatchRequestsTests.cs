using System.Text;
using Kuiper.Domain.Batches;
using Xunit;

namespace Kuiper.Tests.Batches;

/// <summary>eKuiper's batchRequestHandler: its body, what Go's http.NewRequest and gorilla/mux make of each item, its reply.</summary>
public sealed class BatchRequestsTests
{
    private static (IReadOnlyList<BatchItem?>? Items, string? Error) Decode(string body) => BatchRequests.Decode(Encoding.UTF8.GetBytes(body));

    [Theory]
    [InlineData("", "EOF")]
    [InlineData("{}", "json: cannot unmarshal object into Go value of type []*server.EachRequest")]
    [InlineData("[1]", "json: cannot unmarshal number into Go value of type server.EachRequest")]
    [InlineData("""[{"method":"GET","body":{}}]""", "json: cannot unmarshal object into Go struct field EachRequest.body of type string")]
    [InlineData("[{", "unexpected EOF")]
    public void A_bad_body_gets_Go_s_decoder_text(string body, string error) => Assert.Equal(error, Decode(body).Error);

    [Fact]
    public void Items_are_read_as_Go_reads_them()
    {
        var items = Decode("""[{"METHOD":"post","Path":"/rules","body":"{}"},null,{}] tail""").Items!;
        Assert.Equal(new BatchItem("post", "/rules", "{}"), items[0]);
        Assert.Null(items[1]);
        Assert.Equal(new BatchItem("", "", ""), items[2]);
        Assert.Empty(Decode("null").Items!);
    }

    [Fact]
    public void An_empty_method_is_GET_and_the_query_is_kept()
    {
        var plan = BatchRequests.Plan(new BatchItem("", "/tables?kind=lookup", "x"));
        Assert.Equal(new BatchTarget("GET", "/tables", "kind=lookup", "x"), plan.Target);
        Assert.Equal(new BatchTarget("GET", "/rules/a b", "", ""), BatchRequests.Plan(new BatchItem("GET", "http://host:9081/rules/a%20b", "")).Target);
        // gorilla/mux matches the unescaped path.
        Assert.Equal(new BatchTarget("POST", "/batch/req", "", ""), BatchRequests.Plan(new BatchItem("POST", "%2Fbatch%2Freq", "")).Target);
    }

    [Theory]
    [InlineData("G T", "/rules", "net/http: invalid method \"G T\"")]
    [InlineData("GET", "/rules/%zz", "parse \"/rules/%zz\": invalid URL escape \"%zz\"")]
    [InlineData("GET", "/rules/%4", "parse \"/rules/%4\": invalid URL escape \"%4\"")]
    [InlineData("GET", "/a\nb", "parse \"/a\\nb\": net/url: invalid control character in URL")]
    [InlineData("GET", ":x", "parse \":x\": missing protocol scheme")]
    public void What_Go_cannot_make_a_request_of_is_an_error(string method, string path, string error) =>
        Assert.Equal(error, BatchRequests.Plan(new BatchItem(method, path, "")).Error);

    [Theory]
    [InlineData("rules", "/rules")]
    [InlineData("", "/")]
    [InlineData("/rules//r1", "/rules/r1")]
    [InlineData("/rules/./r1/../r2/", "/rules/r2/")]
    public void An_unclean_path_is_redirected_as_gorilla_mux_does(string path, string clean) =>
        Assert.Equal(clean, BatchRequests.Plan(new BatchItem("GET", path, "")).RedirectTo);

    [Fact]
    public void The_reply_omits_empty_members_and_escapes_as_Go()
    {
        Assert.Equal("""[{"code":200,"response":"\u003cok\u003e"},{"code":301},{"code":0,"error":"bad"}]""",
            BatchRequests.Reply([(200, "<ok>", ""), (301, "", ""), (0, "", "bad")]));
        Assert.Equal("[]", BatchRequests.Reply([]));
    }
}
