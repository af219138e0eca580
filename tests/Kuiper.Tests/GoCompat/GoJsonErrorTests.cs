using System.Text.Json;
using Kuiper.Domain.GoCompat;
using Xunit;

namespace Kuiper.Tests.GoCompat;

public class GoJsonErrorTests
{
    [Theory]
    [InlineData("number", "string", "configurationInfo.content",
        "json: cannot unmarshal number into Go struct field configurationInfo.content of type string")]
    [InlineData("string", "map[string]string", "Configuration.streams",
        "json: cannot unmarshal string into Go struct field Configuration.streams of type map[string]string")]
    [InlineData("array", "bool", "Rule.options.debug",
        "json: cannot unmarshal array into Go struct field Rule.options.debug of type bool")]
    [InlineData("number 300", "uint8", "T.small",
        "json: cannot unmarshal number 300 into Go struct field T.small of type uint8")]
    public void UnmarshalType_uses_gos_wording(string kind, string goType, string field, string expected)
    {
        Assert.Equal(expected, GoJsonError.UnmarshalType(kind, goType, field));
    }

    [Fact]
    public void UnmarshalTypeValue_uses_gos_wording()
    {
        Assert.Equal("json: cannot unmarshal array into Go value of type server.configurationInfo",
            GoJsonError.UnmarshalTypeValue("array", "server.configurationInfo"));
    }

    [Theory]
    [InlineData("\"s\"", "string")]
    [InlineData("1.5", "number")]
    [InlineData("{}", "object")]
    [InlineData("[]", "array")]
    [InlineData("true", "bool")]
    [InlineData("false", "bool")]
    [InlineData("null", null)]
    public void KindOf_names_json_kinds_as_go_does(string json, string? expected)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(expected, GoJsonError.KindOf(doc.RootElement.ValueKind));
    }

    [Fact]
    public void KindOf_rejects_undefined()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GoJsonError.KindOf(JsonValueKind.Undefined));
    }
}
