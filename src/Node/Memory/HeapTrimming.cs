using System.Runtime;

namespace Kuiper.Node.Memory;

/// <summary>
/// Gives memory back to the gateway after a large import or export. Such a request leaves tens of MB of dead arrays
/// (the body, its decoded content, the written export) in the large object heap, which the server GC collects only at
/// its next full collection: measured with bench/, a node stayed 150 MB above its live data for as long as it sat idle.
/// One compacting full collection, shortly after the last large request of a burst, returns them.
/// </summary>
public sealed class HeapTrimming : IDisposable
{
    /// <summary>A request or response this large is worth a collection (a 10,000-resource bundle is about 4 MB).</summary>
    public const long LargeBytes = 16L * 1024 * 1024;

    /// <summary>Requests in a burst share one collection, after the last.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    private readonly Timer _timer = new(_ => Trim());

    public void After(long bytes)
    {
        if (bytes >= LargeBytes) _timer.Change(Quiet, Timeout.InfiniteTimeSpan);
    }

    private static void Trim()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        // Aggressive also decommits the freed regions, which is what lowers the resident size.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    public void Dispose() => _timer.Dispose();
}

public static class HeapTrimmingExtensions
{
    /// <summary>Trims after every request whose body or response reached <see cref="HeapTrimming.LargeBytes"/>.</summary>
    public static IApplicationBuilder UseHeapTrimming(this IApplicationBuilder app)
    {
        var trimming = app.ApplicationServices.GetRequiredService<HeapTrimming>();
        return app.Use(async (context, next) =>
        {
            context.Response.OnCompleted(() =>
            {
                trimming.After(Math.Max(context.Request.ContentLength ?? 0, context.Response.ContentLength ?? 0));
                return Task.CompletedTask;
            });
            await next(context);
        });
    }
}
