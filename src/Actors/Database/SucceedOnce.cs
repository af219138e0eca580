namespace Kuiper.Actors.Database;

/// <summary>
/// An asynchronous step (creating tables beside the journal) run at first use and never again once it has succeeded.
/// Unlike a <see cref="Lazy{T}"/> of a task, a failure (the database was down) is not kept: the next use tries again.
/// </summary>
public sealed class SucceedOnce(Func<Task> step)
{
    private readonly object _gate = new();
    private Task? _run;

    public Task RunAsync()
    {
        lock (_gate)
        {
            if (_run is null || _run.IsFaulted || _run.IsCanceled) _run = step();
            return _run;
        }
    }
}
