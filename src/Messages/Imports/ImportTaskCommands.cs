using System.Text.Json.Serialization;

namespace Kuiper.Messages.Imports;

/// <summary>Messages to and from the cluster-wide <c>ImportTasks</c> singleton (eKuiper's async import API).</summary>
public interface IImportTaskCommand : IKuiperMessage;

/// <summary>eKuiper's task statuses, in the order a task goes through them; the last three are ends.</summary>
public enum ImportTaskStatus
{
    Register,
    Running,
    Finish,
    Error,
    Cancel,
}

/// <summary>
/// Register an import to run in the background. The request body is carried as decoded (its content or file checks,
/// the fetch and the bundle parse run inside the task). Replies <see cref="ImportTaskRegistered"/> once the task is
/// on disk, or <see cref="ImportTaskRefused"/>.
/// </summary>
/// <param name="Content">the bundle's UTF-8 bytes, as the request's <c>content</c> carried them</param>
/// <param name="File">the request's <c>file</c></param>
/// <param name="Stop">eKuiper's <c>stop=1</c>: the node that took the request leaves after a successful full import</param>
public sealed record RegisterImportTask(
    byte[] Content,
    string File,
    ImportMode Mode,
    ImportApply Apply,
    bool Stop,
    ImportOrigin Origin) : IImportTaskCommand;

public sealed record ImportTaskRegistered(string TaskId) : IKuiperMessage;

/// <summary>The task was not registered: too many wait already, or the journal did not take it.</summary>
/// <param name="Busy">true: too many tasks wait (try again later); false: the journal failed</param>
public sealed record ImportTaskRefused(string Reason, bool Busy) : IKuiperMessage;

/// <summary>One task, with live progress while it runs. Replies <see cref="ImportTaskAnswer"/>.</summary>
public sealed record GetImportTask(string TaskId) : IImportTaskCommand;

/// <summary><paramref name="Task"/> null: no such task.</summary>
public sealed record ImportTaskAnswer(string TaskId, ImportTaskState? Task) : IKuiperMessage;

/// <summary>
/// Cancel a task: a waiting one at once, a running one between the stages of its import. Replies
/// <see cref="ImportTaskCancelAnswer"/>.
/// </summary>
public sealed record CancelImportTask(string TaskId) : IImportTaskCommand;

/// <summary><paramref name="Found"/> false: no such task. An ended task is left as it ended.</summary>
public sealed record ImportTaskCancelAnswer(string TaskId, bool Found) : IKuiperMessage;

/// <summary>
/// A task as <c>GET /async/task/{id}</c> shows it. Timestamps are unix seconds, as eKuiper's.
/// <paramref name="Done"/> of <paramref name="Total"/> items and <paramref name="Stage"/> are ours.
/// </summary>
/// <param name="HeldBy">the node whose <c>ImportTasks</c> took the task (and held its request in memory)</param>
/// <param name="RunningOn">the node whose <c>ImportTasks</c> started it; null until it starts</param>
public sealed record ImportTaskState(
    string TaskId,
    ImportTaskStatus Status,
    string Message,
    long CreatedTimestamp,
    long UpdatedTimestamp,
    int Done,
    int Total,
    string Stage,
    ImportMode Mode,
    ImportApply Apply,
    bool Stop,
    ImportOrigin Origin,
    string HeldBy,
    string? RunningOn = null) : IKuiperMessage
{
    [JsonIgnore]
    public bool Ended => Status is ImportTaskStatus.Finish or ImportTaskStatus.Error or ImportTaskStatus.Cancel;
}

/// <summary>Persisted: a task was registered. <paramref name="IdSecond"/> and <paramref name="IdSequence"/> keep ids unique.</summary>
public sealed record ImportTaskAccepted(
    string TaskId,
    long CreatedTimestamp,
    long IdSecond,
    int IdSequence,
    ImportMode Mode,
    ImportApply Apply,
    bool Stop,
    ImportOrigin Origin,
    string HeldBy) : IKuiperMessage;

/// <summary>Persisted: a task started running on <paramref name="RunningOn"/>.</summary>
public sealed record ImportTaskStarted(string TaskId, long Timestamp, string RunningOn) : IKuiperMessage;

/// <summary>Persisted: a task ended (finish, error or cancel) with its message and its last progress.</summary>
public sealed record ImportTaskEnded(string TaskId, long Timestamp, ImportTaskStatus Status, string Message, int Done, int Total) : IKuiperMessage;

/// <summary>A kept snapshot of the tasks (oldest first) and of the last id issued.</summary>
public sealed record ImportTasksSnapshot(IReadOnlyList<ImportTaskState> Tasks, long IdSecond, int IdSequence) : IKuiperMessage;
