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
    /// The whole body. A body over <c>Kuiper:Import:MaxRequestBytes</c> throws Kestrel's
    /// <see cref="BadHttpRequestException"/> (413) before anything is buffered, which
    /// <see cref="BadRequestEnvelope"/> answers with eKuiper's envelope.
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
        var limit = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (request.ContentLength is { } length)
        {
            if (length > limit) throw BadRequestEnvelope.TooLarge();
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, cancellationToken);
            return buffer;
        }

        // Chunked: growing chunks, then one array; Kestrel stops the read at the limit.
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
/// Kestrel refuses a body that is too large (413) or badly framed (400) by throwing while the handler reads it;
/// unhandled, the client gets a bare status (or a 500). This answers with eKuiper's envelope instead.
/// </summary>
public sealed class BadRequestEnvelope(RequestDelegate next, KuiperSettings settings)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var message = e.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"request body too large: the limit is {settings.Import.MaxRequestBytes} bytes (Kuiper:Import:MaxRequestBytes)"
                : $"Invalid body: {e.Message}";
            context.Response.Clear();
            await ErrorEnvelope.Result(message, status: e.StatusCode).ExecuteAsync(context);
        }
    }

    /// <summary>What Kestrel throws itself once a body passes the limit.</summary>
    public static BadHttpRequestException TooLarge() =>
        new("Request body too large.", StatusCodes.Status413PayloadTooLarge);
}
