using System.Runtime.InteropServices;

namespace Kuiper.Bench;

/// <summary>
/// Everything the bench started (node processes, a PostgreSQL server, databases) is undone here, last first:
/// at the end of the run, on an exception (Program's finally) and on Ctrl-C or a kill (SIGINT, SIGTERM, SIGHUP),
/// where no finally block would run.
/// </summary>
public static class Cleanup
{
    private static readonly Stack<(string What, Action Undo)> Pending = new();
    private static readonly List<PosixSignalRegistration> Signals = [];

    public static void HandleSignals()
    {
        foreach (var (signal, number) in new[] { (PosixSignal.SIGINT, 2), (PosixSignal.SIGTERM, 15), (PosixSignal.SIGHUP, 1) })
            Signals.Add(PosixSignalRegistration.Create(signal, context =>
            {
                Console.Error.WriteLine($"{context.Signal}: stopping what the bench started");
                RunAll();
                // Exit now, as the shell's convention says, rather than let the run go on without its nodes.
                context.Cancel = true;
                Environment.Exit(128 + number);
            }));
    }

    /// <summary>Registers an undo; dispose the result once it has been done the ordinary way.</summary>
    public static IDisposable Register(string what, Action undo)
    {
        var entry = (what, undo);
        lock (Pending) Pending.Push(entry);
        return new Registration(() =>
        {
            lock (Pending)
            {
                var rest = Pending.Where(e => !ReferenceEquals(e.Undo, undo)).Reverse().ToList();
                Pending.Clear();
                foreach (var e in rest) Pending.Push(e);
            }
        });
    }

    public static void RunAll()
    {
        while (true)
        {
            (string What, Action Undo) next;
            lock (Pending)
            {
                if (Pending.Count == 0) return;
                next = Pending.Pop();
            }
            try { next.Undo(); }
            catch (Exception e) { Console.Error.WriteLine($"cleanup of {next.What} failed: {e.Message}"); }
        }
    }

    private sealed class Registration(Action remove) : IDisposable
    {
        private int _done;
        public void Dispose() { if (Interlocked.Exchange(ref _done, 1) == 0) remove(); }
    }
}
