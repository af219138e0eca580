using System.Runtime;
using Kuiper.Messages.Bundles;

namespace Kuiper.Actors.Memory;

/// <summary>
/// Gives memory back to the gateway after large work: an import or export of tens of MB, a large message from another
/// node, a recovery. Such work leaves dead arrays in the large object heap that the server GC collects only at its next
/// full collection: measured with bench/, a node stayed 150 MB above its live data for as long as it sat idle. Work is
/// noted as it is done; once the process has been quiet for a moment, one compacting full collection follows if the
/// burst reached <see cref="LargeBytes"/>. One per process, as the heap is.
/// </summary>
public sealed class HeapTrimming
{
    /// <summary>A burst this large is worth a collection (a 10,000-resource bundle is about 4 MB).</summary>
    public const long LargeBytes = 16L * 1024 * 1024;

    /// <summary>Work in a burst shares one collection, after the last of it.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    public static HeapTrimming Shared { get; } = new();

    private readonly Timer _timer;
    private long _burst;

    private HeapTrimming() => _timer = new Timer(_ => OnQuiet());

    /// <summary>Notes <paramref name="bytes"/> of work just done, and postpones the collection until the burst is over.</summary>
    public void After(long bytes)
    {
        if (bytes <= 0) return;
        Interlocked.Add(ref _burst, bytes);
        _timer.Change(Quiet, Timeout.InfiniteTimeSpan);
    }

    /// <summary>What a bundle takes in memory, roughly: its text as UTF-16.</summary>
    public static long SizeOf(Bundle bundle)
    {
        long chars = 0;
        foreach (var section in bundle.Sections.Values)
            foreach (var (name, definition) in section) chars += name.Length + definition.Length;
        return chars * sizeof(char);
    }

    private void OnQuiet()
    {
        if (Interlocked.Exchange(ref _burst, 0) < LargeBytes) return;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        // Aggressive also decommits the freed regions, which is what lowers the resident size.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
