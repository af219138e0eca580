using Kuiper.Actors.Membership;
using Kuiper.Node.Metrics;

namespace Kuiper.Tests.Placement;

/// <summary>Labels as member roles and back, and as the tags of the node's info series.</summary>
public sealed class NodeLabelRolesTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["site"] = "plant-a", ["example.com/line"] = "3", ["empty"] = "" };

    [Fact]
    public void Labels_become_roles_sorted_by_key_and_come_back_from_them()
    {
        var roles = NodeLabels.Roles(Labels);
        Assert.Equal(["label:empty=", "label:example.com/line=3", "label:site=plant-a"], roles);
        Assert.Equal(Labels.OrderBy(l => l.Key, StringComparer.Ordinal), NodeLabels.Of(["kuiper", "secrets-key-1a2b3c4d", .. roles]));
        Assert.Empty(NodeLabels.Of(["kuiper"]));
    }

    [Theory]
    [InlineData("bad key", "x", "Kuiper:Node:Labels:bad key: the key is not a label key: ")]
    [InlineData("site", "plant a", "Kuiper:Node:Labels:site: \"plant a\" is not a label value: ")]
    [InlineData("site", "-plant", "Kuiper:Node:Labels:site: \"-plant\" is not a label value: ")]
    public void A_bad_key_or_value_is_refused_naming_it(string key, string value, string prefix)
    {
        var error = Assert.Throws<InvalidOperationException>(() => NodeLabels.Roles(new Dictionary<string, string> { [key] = value }));
        Assert.StartsWith(prefix, error.Message);
    }

    [Fact]
    public void Each_label_is_one_tag_named_as_prometheus_allows()
    {
        Assert.Equal(
            [new("label_empty", ""), new("label_example_com_line", "3"), new("label_site", "plant-a")],
            FleetGauges.NodeInfoTags(Labels));
    }
}
