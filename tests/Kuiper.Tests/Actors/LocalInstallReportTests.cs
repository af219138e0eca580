using Kuiper.Domain.Resources;
using Kuiper.Actors.Installation;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Tests.Actors;

/// <summary>What the answering node adds to an import reply from its own install pass.</summary>
public sealed class LocalInstallReportTests
{
    private static IReadOnlyDictionary<string, string> Map(params (string Key, string Value)[] items) => items.ToDictionary(i => i.Key, i => i.Value);

    private static readonly Bundle Imported = new(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
    {
        [ResourceKind.Uploads] = Map(("a.txt", "{}"), ("b.txt", "{}"), ("bad.txt", "{}")),
        [ResourceKind.Streams] = Map(("s", "CREATE ...")),
    });

    private static readonly ImportReport Stored = new("i1", ImportMode.Partial, DateTimeOffset.UnixEpoch,
        new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Uploads] = Map(("bad.txt", "invalid body: name is required")),
            [ResourceKind.Streams] = Map(),
        });

    [Fact]
    public void Install_failures_of_imported_items_join_the_errors_the_import_had()
    {
        var outcome = new ArtefactsReconciled(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Uploads] = Map(("b.txt", "disk full"), ("bad.txt", "other"), ("earlier.txt", "not this import's")),
        }, null);

        var merged = LocalInstallReport.Merge(Stored, Imported, outcome);

        Assert.Equal(Map(("bad.txt", "invalid body: name is required"), ("b.txt", "disk full")), merged.Errors[ResourceKind.Uploads]);
        Assert.Empty(merged.Errors[ResourceKind.Streams]);
        Assert.Equal(("i1", ImportMode.Partial), (merged.ImportId, merged.Mode));
    }

    [Fact]
    public void A_pass_that_did_not_end_marks_every_stored_artefact_of_the_import()
    {
        var merged = LocalInstallReport.Merge(Stored, Imported, ArtefactsReconciled.Failed("no install pass ended within 00:05:00"));

        Assert.Equal(Map(
                ("bad.txt", "invalid body: name is required"),
                ("a.txt", "stored, but not installed on this node: no install pass ended within 00:05:00"),
                ("b.txt", "stored, but not installed on this node: no install pass ended within 00:05:00")),
            merged.Errors[ResourceKind.Uploads]);
        Assert.Empty(merged.Errors[ResourceKind.Streams]);
    }

    [Fact]
    public void Nothing_to_add_keeps_the_report()
    {
        var merged = LocalInstallReport.Merge(Stored, Imported, ArtefactsReconciled.Failed("x") with { Error = null });
        Assert.Equal(Stored.Errors[ResourceKind.Uploads], merged.Errors[ResourceKind.Uploads]);
    }

    [Fact]
    public void Full_imports_and_imports_with_artefacts_touch_the_data_dir()
    {
        var streamsOnly = new Bundle(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>> { [ResourceKind.Streams] = Map(("s", "")) });
        Assert.True(ResourceKinds.TouchesArtefacts(streamsOnly, ImportMode.Full));
        Assert.False(ResourceKinds.TouchesArtefacts(streamsOnly, ImportMode.Partial));
        Assert.True(ResourceKinds.TouchesArtefacts(Imported, ImportMode.Partial));
    }
}
