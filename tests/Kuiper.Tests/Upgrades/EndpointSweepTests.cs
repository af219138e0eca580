using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Upgrades;

/// <summary>The sweep the rolling upgrade runs against a cluster of two releases, first against this release alone.</summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts a node process")]
public sealed class EndpointSweepTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    [Fact]
    public async Task Every_endpoint_family_answers_as_it_should_and_the_sweep_leaves_nothing_behind()
    {
        var before = await fixture.Client.ExportAsync();

        await EndpointSweep.RunAsync(fixture.Client, "one");
        await EndpointSweep.RunAsync(fixture.Client, "two");

        Assert.Equal(before, await fixture.Client.ExportAsync());
    }
}
