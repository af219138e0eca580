using System.Text;
using Kuiper.Actors.Imports;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;
using Kuiper.Node.Http;
using Microsoft.AspNetCore.Http;

namespace Kuiper.Tests.Http;

/// <summary>What the HTTP edge answers for an import the journal failed: 503 only when nothing was applied.</summary>
public sealed class ImportOutcomeMappingTests
{
    private static readonly ImportReport Report = new("i", ImportMode.Partial, DateTimeOffset.UnixEpoch,
        new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>
        {
            [ResourceKind.Rules] = new Dictionary<string, string> { ["r1"] = "not stored: the journal did not take the write (x)" },
        });

    private static async Task<(int Status, string Body)> RunAsync(IResult result)
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }

    [Fact]
    public async Task A_journal_failure_before_any_write_is_503_nothing_applied()
    {
        var outcome = ImportOutcome.Of(new ImportCompleted(Report, "not stored: the journal did not take the write (x)", Applied: false));

        Assert.Equal((503, "{\"error\":1000,\"message\":\"the import could not be stored, nothing was applied: not stored: the journal did not take " +
                           "the write (x); GET /data/import/status lists the items\"}\n"), await RunAsync(outcome.Failure!));
        Assert.Null(outcome.Note);
    }

    [Fact]
    public void A_journal_failure_after_some_writes_is_no_failure_the_report_lists_each_item()
    {
        var outcome = ImportOutcome.Of(new ImportCompleted(Report, "not stored: the journal did not take the write (x)", Applied: true));

        Assert.Null(outcome.Failure);
        Assert.Same(Report, outcome.Report);
        Assert.Equal("the import was applied as this reply says, but not stored: the journal did not take the write (x)", outcome.Note);
    }

    [Fact]
    public async Task An_import_that_may_have_run_is_never_503()
    {
        var timedOut = ImportOutcome.OutcomeUnknown("still running", StatusCodes.Status504GatewayTimeout);
        var lost = ImportOutcome.OutcomeUnknown("report lost", StatusCodes.Status502BadGateway);

        Assert.Equal((504, "{\"error\":1000,\"message\":\"still running\"}\n"), await RunAsync(timedOut.Failure!));
        Assert.Equal((502, "{\"error\":1000,\"message\":\"report lost\"}\n"), await RunAsync(lost.Failure!));
    }
}
