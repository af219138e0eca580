using Kuiper.Domain.Exports;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Resources;

namespace Kuiper.Tests.Exports;

public sealed class RuleExportTests
{
    private static Bundle Stored() => new(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
    {
        [ResourceKind.Streams] = new Dictionary<string, string>
        {
            ["pb"] = "CREATE STREAM pb () WITH (TYPE=\"memory\", FORMAT=\"protobuf\", SCHEMAID=\"proto1.Book\")",
        },
        [ResourceKind.Rules] = new Dictionary<string, string>
        {
            ["r"] = """{"id":"r","sql":"SELECT * FROM pb","actions":[{"mqtt":{"format":"custom","schemaId":"enc.Writer"}},{"log":{"format":"json","schemaId":"no.Use"}}]}""",
        },
        [ResourceKind.Schema] = new Dictionary<string, string>
        {
            ["protobuf_proto1"] = "{\"type\":\"protobuf\",\"name\":\"proto1\"}",
            ["custom_enc"] = "{\"type\":\"custom\",\"name\":\"enc\"}",
            ["protobuf_unrelated"] = "{}",
        },
    });

    [Fact]
    public void Schemas_named_by_the_streams_and_sinks_come_along_and_missing_ones_are_left_out()
    {
        var (bundle, unknown) = RuleExport.Select(Stored(), ["r"]);

        Assert.Empty(unknown);
        Assert.Equal(["custom_enc", "protobuf_proto1"], bundle![ResourceKind.Schema].Keys.Order());
    }

    [Fact]
    public void Unknown_rule_ids_are_named()
    {
        var (bundle, unknown) = RuleExport.Select(Stored(), ["r", "x", "x"]);

        Assert.Null(bundle);
        Assert.Equal(["x"], unknown);
    }
}
