using Kuiper.Actors.Imports;
using Kuiper.Domain.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.AsyncImports;

/// <summary>How a task ends, from its import's report: eKuiper's status and message, and the items done of the total.</summary>
public sealed record ImportTaskOutcome(ImportTaskStatus Status, string Message, int Done, int Total)
{
    /// <param name="unavailable">the journal failed during the import (the sync import answers 503)</param>
    /// <param name="changes">a dry run's plan</param>
    public static ImportTaskOutcome Of(ImportReport report, string? unavailable = null,
        IReadOnlyDictionary<ResourceKind, BatchChanges>? changes = null)
    {
        var total = report.Counts?.Values.Sum(c => c.Imported + c.Failed) ?? 0;
        if (report.Cancelled)
        {
            var notReached = report.Errors.Values.Sum(e => e.Values.Count(text => text == ImportRun.CancelledError));
            return new(ImportTaskStatus.Cancel, AsyncImportTexts.Cancelled(report), Math.Max(0, total - notReached), total);
        }
        if (unavailable is not null)
            return new(ImportTaskStatus.Error, AsyncImportTexts.Failed(ImportReplies.NotStored(unavailable)), total, total);
        if (report.Succeeded)
            return new(ImportTaskStatus.Finish, changes is null ? ImportReplies.Success(report) : ImportReplies.DryRunSuccess(report, changes), total, total);
        return new(ImportTaskStatus.Error,
            AsyncImportTexts.Failed(ImportReplies.ProcessError, ImportReplies.Failure(report, changes)), total, total);
    }

    /// <summary>The bundle could not be had: a refused request or file (no status to show), or an envelope that did not parse.</summary>
    public static ImportTaskOutcome Unread(BundleReading reading) =>
        new(ImportTaskStatus.Error, AsyncImportTexts.Failed(reading.Error!, reading.Unmarshal ? ImportReplies.Unreadable(reading.Error!) : null), 0, 0);
}
