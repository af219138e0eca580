using Kuiper.Domain.GoCompat;

namespace Kuiper.Tests.GoCompat;

public sealed class GoJsonIndentTests
{
    [Fact]
    public void Indents_as_Gos_json_Indent_keeping_empty_containers_and_escapes()
    {
        Assert.Equal(
            "{\n  \"a\": {},\n  \"b\": [],\n  \"c\": [\n    1,\n    {\n      \"d\": \"x\\u003c\\\"y\\\\\\\" ,:{}[]\"\n    }\n  ],\n  \"e\": null\n}",
            GoJsonIndent.Indent("{\"a\":{},\"b\":[],\"c\":[1,{\"d\":\"x\\u003c\\\"y\\\\\\\" ,:{}[]\"}],\"e\":null}"));
    }

    [Fact]
    public void Whitespace_between_tokens_is_dropped_and_scalars_stay_as_they_are()
    {
        Assert.Equal("[\n  1.50,\n  true\n]", GoJsonIndent.Indent(" [ 1.50 ,\n true ] "));
        Assert.Equal("\"a b\"", GoJsonIndent.Indent("\"a b\""));
    }
}
