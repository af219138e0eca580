using Kuiper.Actors.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Kuiper.Node.Http;

/// <summary>
/// Reads request bodies the way eKuiper's Go handlers do: the raw bytes, taken as UTF-8 by the JSON reader that
/// follows. No charset or byte order mark is honoured (a UTF-16 body is a JSON syntax error there, and here), and the
/// body is held once: a body with a <c>Content-Length</c> is read straight into one array of that size.
/// </summary>
public static class RequestBody
{
    private const int FirstChunk = 64 * 1024;
    private const int LargestChunk = 16 * 1024 * 1024;

    /// <summary>
    /// The whole body. A body over <c>Kuiper:Import:MaxRequestBytes</c> throws <see cref="BadRequestEnvelope.TooLarge"/>
    /// (413) before anything is buffered, or as soon as a chunked body passes the limit; <see cref="BadRequestEnvelope"/>
    /// answers it with eKuiper's envelope.
    /// </summary>
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAllAsync(request, cancellationToken);
        }
        catch (IOException e) when (e is not BadHttpRequestException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // Kestrel reports some framing errors as a plain IOException (a chunk size that overflows: "Bad chunk size
            // data"): the body is malformed, which is the client's error, not the server's.
            throw new BadHttpRequestException(e.Message, StatusCodes.Status400BadRequest, e);
        }
    }

    private static async Task<ReadOnlyMemory<byte>> ReadAllAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // The limit is enforced here rather than by Kestrel, which would close the connection under a client still
        // sending: this way the refused body can be drained and the 413 read (BadRequestEnvelope).
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        var limit = sizeFeature?.MaxRequestBodySize;
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = null;

        if (request.ContentLength is { } length)
        {
            if (length > limit) throw BadRequestEnvelope.TooLarge();
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, cancellationToken);
            return buffer;
        }

        // Chunked: growing chunks, then one array.
        var chunks = new List<(byte[] Chunk, int Used)>();
        long total = 0;
        var size = FirstChunk;
        while (true)
        {
            var chunk = new byte[size];
            var used = 0;
            int read;
            while (used < chunk.Length && (read = await request.Body.ReadAsync(chunk.AsMemory(used), cancellationToken)) > 0) used += read;
            chunks.Add((chunk, used));
            total += used;
            if (total > limit) throw BadRequestEnvelope.TooLarge();
            if (used < chunk.Length) break;
            size = Math.Min(size * 2, LargestChunk);
        }
        if (chunks.Count == 1) return chunks[0].Chunk.AsMemory(0, chunks[0].Used);
        var body = new byte[total];
        var at = 0;
        foreach (var (chunk, used) in chunks)
        {
            chunk.AsSpan(0, used).CopyTo(body.AsSpan(at));
            at += used;
        }
        return body;
    }

    /// <summary>The body as text: its bytes taken as UTF-8, a byte that is not UTF-8 read as U+FFFD, a BOM kept.</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetString((await ReadAsync(request, cancellationToken)).Span);
}

/// <summary>
/// A body that is too large (413) or badly framed (400) is found while a handler reads it; unhandled, the client would
/// get a bare status, a 500, or a reset connection. This answers with eKuiper's envelope, and reads and discards the
/// rest of a refused body (for <see cref="DrainTime"/> at most) so that a client still sending it reads the answer.
/// </summary>
public sealed class BadRequestEnvelope(RequestDelegate next, KuiperSettings settings)
{
    /// <summary>How long the rest of a refused body is read and discarded before the connection is closed.</summary>
    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var tooLarge = e.StatusCode == StatusCodes.Status413PayloadTooLarge;
            var message = tooLarge
                ? $"request body too large: the limit is {settings.Import.MaxRequestBytes} bytes (Kuiper:Import:MaxRequestBytes)"
                : $"Invalid body: {e.Message}";
            context.Response.Clear();
            await ErrorEnvelope.Result(message, status: e.StatusCode).ExecuteAsync(context);
            if (tooLarge) await DrainAsync(context);
        }
    }

    /// <summary>Our own 413: Kestrel's limit is lifted per request (see <see cref="RequestBody"/>).</summary>
    public static BadHttpRequestException TooLarge() =>
        new("Request body too large.", StatusCodes.Status413PayloadTooLarge);

    private static async Task DrainAsync(HttpContext context)
    {
        await context.Response.Body.FlushAsync();
        // A client that waits for "100 Continue" has its answer and sends no body.
        if (context.Request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase)) return;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(DrainTime);
        var discard = new byte[64 * 1024];
        try
        {
            while (await context.Request.Body.ReadAsync(discard, deadline.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            context.Abort(); // the answer is out; a client still sending after this long is cut off
        }
    }
}
