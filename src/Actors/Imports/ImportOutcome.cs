using Kuiper.Domain.Bundles;
using Kuiper.Messages.Imports;

namespace Kuiper.Actors.Imports;

/// <summary>
/// An import's report, or why it has none that can be trusted. <see cref="Unavailable"/>: nothing was applied (HTTP 503).
/// <see cref="Unknown"/>: it may have been applied, its report is not here (<see cref="UnknownStatus"/>: 502 when its
/// answer was lost, 504 when the request's bound passed). <see cref="Note"/>: applied as the report says, but the journal
/// failed on the way (its record, or later items): answered with the report and this note.
/// </summary>
public sealed record ImportOutcome(ImportReport? Report, string? Unavailable, ImportCompleted? Completed, string? Unknown = null,
    int UnknownStatus = ImportOutcome.TimedOut, string? Note = null)
{
    /// <summary>HTTP statuses of an unknown outcome.</summary>
    public const int AnswerLost = 502, TimedOut = 504;

    public static ImportOutcome NothingApplied(string reason) => new(null, reason, null);

    /// <summary>The import's answer: a journal failure is "unavailable" only if nothing was written.</summary>
    public static ImportOutcome Of(ImportCompleted completed)
    {
        if (completed.Unavailable is not { } unavailable) return new ImportOutcome(completed.Report, null, completed);
        // Something was written: the per-item errors (or the note) say what; a 503 would claim nothing was.
        return completed.Applied
            ? new ImportOutcome(completed.Report, null, completed, Note: ImportReplies.AppliedNotStored(unavailable))
            : new ImportOutcome(completed.Report, ImportReplies.NothingApplied(unavailable), completed);
    }

    public static ImportOutcome OutcomeUnknown(string reason, int status) => new(null, null, null, reason, status);
}
