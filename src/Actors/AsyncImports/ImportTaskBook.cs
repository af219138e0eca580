using Kuiper.Messages.Imports;

namespace Kuiper.Actors.AsyncImports;

/// <summary>
/// The tasks <c>ImportTasks</c> keeps, as pure state: events in, tasks out. Ids never collide: the first task of a
/// second is <c>dataImport-&lt;unix seconds&gt;</c> as in eKuiper, the next ones of that second get a suffix, and a
/// clock that steps back keeps counting on the last second issued. Every unfinished task is kept, and the newest
/// <c>keepEnded</c> ended ones.
/// </summary>
public sealed class ImportTaskBook(int keepEnded)
{
    public const string IdPrefix = "dataImport";

    /// <summary>Oldest first.</summary>
    private readonly List<ImportTaskState> _tasks = [];
    private readonly Dictionary<string, int> _byId = new(StringComparer.Ordinal);

    public long IdSecond { get; private set; }

    public int IdSequence { get; private set; }

    public IReadOnlyList<ImportTaskState> Tasks => _tasks;

    /// <summary>The id the next task registered at <paramref name="now"/> gets.</summary>
    public (string Id, long Second, int Sequence) NextId(long now) =>
        now > IdSecond
            ? ($"{IdPrefix}-{now}", now, 1)
            : ($"{IdPrefix}-{IdSecond}-{IdSequence + 1}", IdSecond, IdSequence + 1);

    public ImportTaskState? Get(string taskId) => _byId.TryGetValue(taskId, out var at) ? _tasks[at] : null;

    /// <summary>Tasks waiting to run, oldest first.</summary>
    public IEnumerable<ImportTaskState> Waiting => _tasks.Where(t => t.Status == ImportTaskStatus.Register);

    /// <summary>Tasks that started and have not ended, oldest first.</summary>
    public IEnumerable<ImportTaskState> Running => _tasks.Where(t => t.Status == ImportTaskStatus.Running);

    public int Unfinished => _tasks.Count(t => !t.Ended);

    public void Apply(ImportTaskAccepted accepted)
    {
        IdSecond = accepted.IdSecond;
        IdSequence = accepted.IdSequence;
        if (_byId.ContainsKey(accepted.TaskId)) return;
        _byId[accepted.TaskId] = _tasks.Count;
        _tasks.Add(new ImportTaskState(accepted.TaskId, ImportTaskStatus.Register, "", accepted.CreatedTimestamp, accepted.CreatedTimestamp,
            0, 0, "", accepted.Mode, accepted.Apply, accepted.Stop, accepted.Origin, accepted.HeldBy));
    }

    public void Apply(ImportTaskStarted started) =>
        Update(started.TaskId, t => t.Ended ? t : t with
        {
            Status = ImportTaskStatus.Running, UpdatedTimestamp = started.Timestamp, RunningOn = started.RunningOn,
        });

    public void Apply(ImportTaskEnded ended)
    {
        Update(ended.TaskId, t => t.Ended ? t : t with
        {
            Status = ended.Status, Message = ended.Message, UpdatedTimestamp = ended.Timestamp, Done = ended.Done, Total = ended.Total, Stage = "",
        });
        Prune();
    }

    public ImportTasksSnapshot Snapshot() => new(_tasks.ToList(), IdSecond, IdSequence);

    public void Restore(ImportTasksSnapshot snapshot)
    {
        _tasks.Clear();
        _byId.Clear();
        foreach (var task in snapshot.Tasks)
        {
            _byId[task.TaskId] = _tasks.Count;
            _tasks.Add(task);
        }
        IdSecond = snapshot.IdSecond;
        IdSequence = snapshot.IdSequence;
    }

    private void Update(string taskId, Func<ImportTaskState, ImportTaskState> change)
    {
        if (_byId.TryGetValue(taskId, out var at)) _tasks[at] = change(_tasks[at]);
    }

    /// <summary>The oldest ended tasks beyond the limit go; unfinished ones always stay.</summary>
    private void Prune()
    {
        var ended = _tasks.Count(t => t.Ended);
        if (ended <= keepEnded) return;
        var drop = ended - keepEnded;
        _tasks.RemoveAll(t => t.Ended && drop-- > 0);
        _byId.Clear();
        for (var i = 0; i < _tasks.Count; i++) _byId[_tasks[i].TaskId] = i;
    }
}
