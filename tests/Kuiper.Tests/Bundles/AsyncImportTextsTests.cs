using Kuiper.Actors.AsyncImports;
using Kuiper.Actors.Imports;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Tests.Bundles;

/// <summary>The <c>message</c> of an ended async task: eKuiper's texts, and ours where eKuiper has none.</summary>
public sealed class AsyncImportTextsTests
{
    private static readonly IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> NoErrors =
        new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>();

    private const string EmptyResponse =
        """{"streams":{},"tables":{},"rules":{},"nativePlugins":{},"portablePlugins":{},"sourceConfig":{},"sinkConfig":{},"connectionConfig":{},"Service":{},"Schema":{},"uploads":{},"scripts":{}}""";

    [Fact]
    public void A_failed_task_says_err_and_response_as_ekuiper_formats_them()
    {
        Assert.Equal("err:Invalid body: must specify content or file, response:null", AsyncImportTexts.Failed("Invalid body: must specify content or file"));
        Assert.Equal("err:process error, response:{}", AsyncImportTexts.Failed("process error", "{}"));
    }

    [Fact]
    public void A_bundle_that_does_not_parse_shows_ekuipers_status_with_no_kind_set()
    {
        var outcome = ImportTaskOutcome.Unread(new BundleReading(null, "configuration unmarshal with error x <y>", Unmarshal: true));

        Assert.Equal(ImportTaskStatus.Error, outcome.Status);
        Assert.Equal("""err:configuration unmarshal with error x <y>, response:{"ErrorMsg":"configuration unmarshal with error x \u003cy\u003e","ConfigResponse":{"streams":null,"tables":null,"rules":null,"nativePlugins":null,"portablePlugins":null,"sourceConfig":null,"sinkConfig":null,"connectionConfig":null,"Service":null,"Schema":null,"uploads":null,"scripts":null}}""",
            outcome.Message);
    }

    [Fact]
    public void A_succeeded_import_finishes_with_the_sync_reply_and_a_failed_one_errs_with_its_status()
    {
        var counts = new Dictionary<ResourceKind, ImportCounts> { [ResourceKind.Rules] = new(2, 1, 0) };
        var ok = new ImportReport("t", ImportMode.Full, DateTimeOffset.UnixEpoch, NoErrors, Counts: counts);
        var failed = ok with
        {
            Errors = new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>> { [ResourceKind.Rules] = new Dictionary<string, string> { ["r"] = "bad" } },
        };

        Assert.Equal(new ImportTaskOutcome(ImportTaskStatus.Finish, $$"""{"ErrorMsg":"","ConfigResponse":{{EmptyResponse}}}""", 3, 3), ImportTaskOutcome.Of(ok));
        Assert.Equal(new ImportTaskOutcome(ImportTaskStatus.Error,
                $$"""err:process error, response:{"ErrorMsg":"process error","ConfigResponse":{{EmptyResponse.Replace("\"rules\":{}", "\"rules\":{\"r\":\"bad\"}")}}}""", 3, 3),
            ImportTaskOutcome.Of(failed));
        Assert.Equal(ImportTaskStatus.Error, ImportTaskOutcome.Of(ok, unavailable: "the journal is down").Status);
        Assert.Equal("err:the import could not be stored: the journal is down; GET /data/import/status lists the items that were not confirmed, response:null",
            ImportTaskOutcome.Of(ok, unavailable: "the journal is down").Message);
    }

    [Fact]
    public void A_cancelled_import_lists_what_it_applied_and_counts_the_items_it_did_not_reach_as_not_done()
    {
        var report = new ImportReport("dataImport-1", ImportMode.Full, DateTimeOffset.UnixEpoch,
            new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
            {
                [ResourceKind.Service] = new Dictionary<string, string> { ["slow"] = "download failed" },
                [ResourceKind.Rules] = new Dictionary<string, string> { ["r1"] = ImportRun.CancelledError, ["r2"] = ImportRun.CancelledError },
            },
            Counts: new Dictionary<ResourceKind, ImportCounts>
            {
                [ResourceKind.SourceConfig] = new(1, 0, 0),
                [ResourceKind.SinkConfig] = new(0, 0, 1),
                [ResourceKind.Service] = new(0, 1, 0),
                [ResourceKind.Rules] = new(0, 2, 0),
            },
            Cancelled: true);

        var outcome = ImportTaskOutcome.Of(report);

        Assert.Equal(new ImportTaskOutcome(ImportTaskStatus.Cancel,
            "cancelled: imported sourceConfig 1; removed sinkConfig 1; not imported rules 2, Service 1; every item: GET /data/imports/dataImport-1",
            2, 4), outcome);
        Assert.Equal("cancelled: a dry run, nothing was changed; every item: GET /data/imports/dataImport-1",
            ImportTaskOutcome.Of(report with { Apply = ImportApply.Never }).Message);
    }
}
