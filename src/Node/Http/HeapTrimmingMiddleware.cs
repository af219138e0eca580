using Kuiper.Actors.Memory;

namespace Kuiper.Node.Http;

/// <summary>The HTTP side of heap trimming (<c>src/Actors/Memory</c>): every request tells it how much it held.</summary>
public static class HeapTrimmingMiddleware
{
    /// <summary>Notes every request's body or response size with <see cref="HeapTrimming"/>.</summary>
    public static IApplicationBuilder UseHeapTrimming(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnCompleted(() =>
            {
                HeapTrimming.Shared.After(Math.Max(context.Request.ContentLength ?? 0, context.Response.ContentLength ?? 0));
                return Task.CompletedTask;
            });
            await next(context);
        });
}
