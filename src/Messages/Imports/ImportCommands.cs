using Kuiper.Messages.Bundles;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Messages.Imports;

/// <summary>Messages to and from the cluster-wide <c>ImportCoordinator</c>.</summary>
public interface IImportCommand : IKuiperMessage;

/// <summary>
/// Import an already parsed bundle: told to a <c>LeasedImport</c> on the node that holds the bundle, which runs it under
/// the coordinator's lease. Replies <see cref="ImportCompleted"/>.
/// </summary>
public sealed record StartImport(
    string ImportId,
    Bundle Bundle,
    ImportMode Mode,
    ImportApply Apply = ImportApply.Always,
    ImportOrigin? Origin = null) : IImportCommand;

/// <summary>What a lease is taken for: the coordinator records an import's report as the status; a change or a read is not recorded.</summary>
public enum LeasePurpose
{
    Import,
    Change,
    Export,
}

/// <summary>
/// Ask the coordinator for the turn: every write and export runs on the node that holds its bundle (or its reader),
/// under a lease, one at a time cluster-wide. Replies <see cref="LeaseGranted"/> when the turn comes; the lease ends
/// with <see cref="EndLease"/> from the same sender, or when that sender stops.
/// </summary>
public sealed record RequestLease(string LeaseId, LeasePurpose Purpose) : IImportCommand;

/// <summary>The turn came; progress and cancel questions for it are forwarded to the holder.</summary>
/// <param name="EmptyPartitions">persistence ids of the partitions whose journal holds nothing, as far as the coordinator knows</param>
public sealed record LeaseGranted(string LeaseId, IReadOnlyList<string> EmptyPartitions) : IKuiperMessage;

/// <summary>
/// The holder is done. <paramref name="Result"/> null: nothing was sent to a partition (a read, or an import dropped
/// because its client went away before its turn). Replies <see cref="LeaseEnded"/>, for an import once its report is on disk.
/// </summary>
public sealed record EndLease(string LeaseId, ImportResult? Result) : IImportCommand;

/// <param name="NotRecorded">why an import's report could not be stored (what it applied stays applied); null: stored, or nothing to store</param>
public sealed record LeaseEnded(string LeaseId, string? NotRecorded) : IKuiperMessage;

/// <summary>
/// How an import (or a change) ran: the one shape its run reports to its holder and its holder to the coordinator.
/// </summary>
/// <param name="JournalFailure">why the journal refused a batch, when it did</param>
/// <param name="Changes">for a dry run, what each kind would gain, change, lose and keep</param>
/// <param name="Positions">the journal position of each partition the import wrote to, by persistence id</param>
/// <param name="ArtefactsChanged">a file-carrying item was added, changed or removed (every node has files to install or remove)</param>
/// <param name="Applied">some write was (or may have been) taken: false only when none was</param>
public sealed record ImportResult(
    ImportReport Report,
    string? JournalFailure,
    IReadOnlyDictionary<ResourceKind, BatchChanges>? Changes,
    IReadOnlyDictionary<string, long> Positions,
    bool ArtefactsChanged,
    bool Applied) : IKuiperMessage;

/// <summary>How far the running import is. Replies <see cref="ImportProgress"/>.</summary>
public sealed record GetImportProgress(string ImportId) : IImportCommand;

/// <summary>
/// <paramref name="Running"/> false: that import is not running (queued, ended, or unknown). <paramref name="Stage"/> names
/// the kinds being applied (bundle keys), prefixed <c>checking </c> during the check of an atomic or dry-run import.
/// </summary>
public sealed record ImportProgress(string ImportId, bool Running, string Stage, int Done, int Total) : IKuiperMessage;

/// <summary>
/// Stop the running import between stages: what was applied stays, nothing after it is sent. Replies
/// <see cref="ImportCancelAnswer"/>; the import's requester then gets its <see cref="ImportCompleted"/>, marked cancelled.
/// </summary>
public sealed record CancelImport(string ImportId) : IImportCommand;

/// <summary><paramref name="Running"/> false: that import was not running, nothing was cancelled.</summary>
public sealed record ImportCancelAnswer(string ImportId, bool Running) : IKuiperMessage;

/// <summary>The newest <paramref name="Limit"/> import reports, newest first. Replies <see cref="ImportHistory"/>.</summary>
public sealed record GetImportHistory(int Limit) : IImportCommand;

public sealed record ImportHistory(IReadOnlyList<ImportReport> Reports) : IKuiperMessage;

/// <summary>
/// A kept snapshot of the history (the newest reports, newest first), so that recovery reads one record, and of the
/// idempotency keys' answers (oldest first; absent from snapshots written before keys existed).
/// </summary>
public sealed record ImportHistorySnapshot(IReadOnlyList<ImportReport> Reports, IReadOnlyList<IdempotentAnswer>? Keys = null) : IKuiperMessage;

/// <summary>
/// An import ended. <paramref name="Unavailable"/> is set when the journal failed during it: what the report lists
/// as not confirmed may or may not be stored, and the report itself may not be on disk.
/// </summary>
/// <paramref name="Changes"/>: for a dry run, what each kind would gain, change, lose and keep.
/// <paramref name="ArtefactsChanged"/>: the import added, changed or removed a file-carrying item (the nodes must install).
/// <paramref name="Applied"/>: some write of the import was taken (or may have been); false only when none was, so
/// that an import with <paramref name="Unavailable"/> set and nothing applied can be answered 503. Older nodes omit
/// it: read as true, the safe side.
public sealed record ImportCompleted(
    ImportReport Report,
    string? Unavailable = null,
    IReadOnlyDictionary<ResourceKind, BatchChanges>? Changes = null,
    bool ArtefactsChanged = true,
    bool Applied = true) : IKuiperMessage
{
    /// <summary>An import's answer from its run's result; a dry run is never unavailable (it changed nothing).</summary>
    public static ImportCompleted Of(ImportResult result, string? notRecorded) =>
        new(result.Report,
            result.Report.Apply == ImportApply.Never ? null : result.JournalFailure ?? notRecorded,
            result.Changes, result.ArtefactsChanged, result.Applied);
}

/// <summary>Replies <see cref="ImportStatus"/> with the report of the last import.</summary>
public sealed record GetImportStatus : IImportCommand
{
    public static readonly GetImportStatus Instance = new();
}

public sealed record ImportStatus(ImportReport Report) : IKuiperMessage;

/// <summary>
/// Read every stored resource, under a lease so that an export never sees half an import: told to a <c>LeasedExport</c>
/// on the node that was asked. Replies <see cref="ExportSnapshot"/>.
/// </summary>
public sealed record ExportAll : IImportCommand
{
    public static readonly ExportAll Instance = new();
}

public sealed record ExportSnapshot(Bundle Bundle) : IKuiperMessage;

/// <summary>
/// Create, replace or delete single resources of one kind (the REST resource endpoints), under a lease like an import
/// and validated by the same partitions, without touching the import status. Replies <see cref="ResourcesChanged"/>.
/// </summary>
/// <param name="Origin">who asked: recorded with the change in the history (sent to this node's holder only)</param>
public sealed record ChangeResources(
    string ChangeId,
    ResourceKind Kind,
    BatchOperation Operation,
    IReadOnlyList<ResourceItem> Items,
    ImportOrigin? Origin = null) : IImportCommand;

/// <summary>The items of a change that failed and why; the rest were applied.</summary>
public sealed record ResourcesChanged(string ChangeId, IReadOnlyDictionary<string, string> Errors) : IKuiperMessage;

/// <summary>Persisted when an import ends (by the coordinator's record keeper): the status survives restarts.</summary>
public sealed record ImportRecorded(ImportReport Report) : IKuiperMessage;
