using Kuiper.Domain.GoCompat;
using System.Text.Json;
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

    /// <summary>
    /// Reads <c>{"sql": "..."}</c> as eKuiper's statement descriptor (<c>json.NewDecoder(r.Body).Decode(&amp;sd)</c>):
    /// the body's bytes as UTF-8, Go's error texts.
    /// </summary>
    public static async Task<(string? Sql, string? Error)> ReadStatementAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        const string decoding = "Invalid body: Error decoding the statement descriptor: ";
        var body = await ReadAsync(request, cancellationToken);
        if (GoJsonSyntax.CheckDecode(body.Span) is { } syntax) return (null, decoding + syntax);
        using var doc = GoJsonLimits.ParseFirstValue(body);
        var root = doc.RootElement;
        if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            return (null, decoding + GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, "server.statementDescriptor"));
        if (root.ValueKind == JsonValueKind.Object && root.TryGetField("sql", out var sql))
        {
            if (sql.ValueKind == JsonValueKind.String) return (sql.GetString(), null);
            if (sql.ValueKind != JsonValueKind.Null)
                return (null, decoding + GoJsonError.UnmarshalType(GoJsonError.KindOf(sql.ValueKind)!, "string", "statementDescriptor.sql"));
        }
        return (null, "Invalid body: sql is required");
    }
}
