using Kuiper.Messages.Bundles;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Messages.Imports;

/// <summary>Messages to and from the cluster-wide <c>ImportCoordinator</c>.</summary>
public interface IImportCommand : IKuiperMessage;

/// <summary>Import an already parsed bundle. Replies <see cref="ImportCompleted"/>.</summary>
public sealed record StartImport(
    string ImportId,
    Bundle Bundle,
    ImportMode Mode,
    ImportApply Apply = ImportApply.Always,
    ImportOrigin? Origin = null) : IImportCommand;

/// <summary>
/// Run an import on the node that received it instead of sending its bundle to the coordinator: the coordinator holds
/// every other write and export back until <see cref="FinishLeasedImport"/> comes from the same sender, or that sender
/// stops. Replies <see cref="ImportLeased"/> when the import's turn comes.
/// </summary>
public sealed record LeaseImport(string ImportId) : IImportCommand;

/// <summary>
/// The lease holder gives its turn back without applying anything: its client went away, or waited longer than its
/// request's bound, before the turn came. Nothing is recorded; the next write runs.
/// </summary>
public sealed record ReleaseLease(string ImportId) : IImportCommand;

/// <summary>The import may run now; progress and cancel questions for it are forwarded to the lease holder.</summary>
/// <param name="EmptyPartitions">persistence ids of the partitions whose journal holds nothing, as far as the coordinator knows</param>
public sealed record ImportLeased(string ImportId, IReadOnlyList<string> EmptyPartitions) : IKuiperMessage;

/// <summary>
/// A leased import ended on its node: the coordinator makes it the status and records it as one of its own.
/// Replies <see cref="ImportCompleted"/>.
/// </summary>
/// <param name="JournalFailure">why the journal refused a batch, when it did</param>
/// <param name="Changes">for a dry run, what each kind would gain, change, lose and keep</param>
/// <param name="Positions">the journal position of each partition the import wrote to, by persistence id</param>
/// <param name="ArtefactsChanged">a file-carrying item was added, changed or removed</param>
/// <param name="TouchesArtefacts">the import could add or remove files (a full import, or one that carries some)</param>
public sealed record FinishLeasedImport(
    string ImportId,
    ImportReport Report,
    string? JournalFailure,
    IReadOnlyDictionary<ResourceKind, BatchChanges>? Changes,
    IReadOnlyDictionary<string, long> Positions,
    bool ArtefactsChanged,
    bool TouchesArtefacts,
    bool Applied = true) : IImportCommand;

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
    bool Applied = true) : IKuiperMessage;

/// <summary>Replies <see cref="ImportStatus"/> with the report of the last import.</summary>
public sealed record GetImportStatus : IImportCommand
{
    public static readonly GetImportStatus Instance = new();
}

public sealed record ImportStatus(ImportReport Report) : IKuiperMessage;

/// <summary>
/// Read every stored resource, in between imports so that an export never sees half an import.
/// Replies <see cref="ExportSnapshot"/>.
/// </summary>
public sealed record ExportAll : IImportCommand
{
    public static readonly ExportAll Instance = new();
}

public sealed record ExportSnapshot(Bundle Bundle) : IKuiperMessage;

/// <summary>
/// Create, replace or delete single resources of one kind (the REST resource endpoints), serialized with
/// imports and validated by the same partitions, without touching the import status. Replies <see cref="ResourcesChanged"/>.
/// </summary>
public sealed record ChangeResources(
    string ChangeId,
    ResourceKind Kind,
    BatchOperation Operation,
    IReadOnlyList<ResourceItem> Items) : IImportCommand;

/// <summary>The items of a change that failed and why; the rest were applied.</summary>
public sealed record ResourcesChanged(string ChangeId, IReadOnlyDictionary<string, string> Errors) : IKuiperMessage;

/// <summary>Persisted when an import ends (by the coordinator's record keeper): the status survives restarts.</summary>
public sealed record ImportRecorded(ImportReport Report) : IKuiperMessage;
