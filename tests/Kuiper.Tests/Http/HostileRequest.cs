using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kuiper.Tests.Http;

/// <summary>
/// One malformed or hostile request of the corpus: what is sent, and, where eKuiper (or an entry of docs/decisions.md)
/// defines the answer, the exact status and body expected. <c>{uploads}</c> in a body or path stands for the node's
/// uploads folder. <see cref="Raw"/> requests are written to the socket byte for byte (framing HttpClient refuses to
/// produce).
/// </summary>
public sealed record HostileRequest(
    string Name,
    string Method,
    string Path,
    byte[]? Body = null,
    string? ContentType = "application/json",
    HttpStatusCode? Status = null,
    string? Expected = null,
    byte[]? Raw = null,
    bool Chunked = false)
{
    public override string ToString() => Name;

    public static HostileRequest Text(string name, string method, string path, string? body, HttpStatusCode? status = null, string? expected = null,
        string? contentType = "application/json") =>
        new(name, method, path, body is null ? null : Encoding.UTF8.GetBytes(body), contentType, status, expected);

    public static HostileRequest Bytes(string name, string method, string path, byte[] body, HttpStatusCode? status = null, string? expected = null) =>
        new(name, method, path, body, "application/json", status, expected);

    /// <summary>eKuiper's error envelope, as Go's <c>http.Error</c> writes it.</summary>
    public static string Envelope(string quotedMessage, int code = 1000) => $"{{\"error\":{code},\"message\":{quotedMessage}}}\n";
}

/// <summary>What came back: the status and the complete body, or how the exchange failed.</summary>
public sealed record HostileReply(int Status, string Body);

public static class HostileClient
{
    /// <summary>Sends the request; a timeout or a dropped connection throws (the test fails).</summary>
    public static async Task<HostileReply> SendAsync(HttpClient client, Uri baseAddress, HostileRequest request, string uploads, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        if (request.Raw is not null) return await SendRawAsync(baseAddress, Fill(request.Raw, uploads), cts.Token);

        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path.Replace("{uploads}", uploads));
        if (request.Body is not null)
        {
            HttpContent content = request.Chunked
                ? new StreamContent(new MemoryStream(Fill(request.Body, uploads)))
                : new ByteArrayContent(Fill(request.Body, uploads));
            if (request.ContentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            if (request.Chunked) message.Headers.TransferEncodingChunked = true;
            message.Content = content;
        }
        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead, cts.Token);
        // Reading the whole body proves the response complete (a cut body throws).
        return new HostileReply((int)response.StatusCode, await response.Content.ReadAsStringAsync(cts.Token));
    }

    private static byte[] Fill(byte[] body, string uploads)
    {
        var marker = "{uploads}"u8;
        var at = body.AsSpan().IndexOf(marker);
        if (at < 0) return body;
        return [.. body.AsSpan(0, at), .. Encoding.UTF8.GetBytes(uploads), .. Fill(body[(at + marker.Length)..], uploads)];
    }

    /// <summary>Writes the bytes and reads one HTTP/1.1 response (Content-Length framed, or up to close).</summary>
    private static async Task<HostileReply> SendRawAsync(Uri baseAddress, byte[] raw, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(baseAddress.Host, baseAddress.Port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(raw, ct);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0) break;
            received.Write(buffer, 0, read);
            if (TryComplete(received.ToArray(), out var reply)) return reply!;
        }
        if (TryComplete(received.ToArray(), out var closed)) return closed!;
        throw new IOException($"the connection closed without a complete response: {Encoding.Latin1.GetString(received.ToArray())}");
    }

    private static bool TryComplete(byte[] data, out HostileReply? reply)
    {
        reply = null;
        var text = Encoding.Latin1.GetString(data);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0) return false;
        var head = text[..headerEnd].Split("\r\n");
        var status = int.Parse(head[0].Split(' ')[1]);
        var length = head.Skip(1).Select(h => h.Split(':', 2)).Where(h => h[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(h => int.Parse(h[1].Trim())).FirstOrDefault();
        var body = text[(headerEnd + 4)..];
        if (head.Any(h => h.StartsWith("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)))
        {
            if (!body.EndsWith("0\r\n\r\n", StringComparison.Ordinal)) return false;
            var decoded = new StringBuilder();
            for (var at = 0; ;)
            {
                var line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
                var size = Convert.ToInt32(body[at..line], 16);
                if (size == 0) break;
                decoded.Append(body, line + 2, size);
                at = line + 2 + size + 2;
            }
            reply = new HostileReply(status, decoded.ToString());
            return true;
        }
        if (body.Length < length) return false;
        reply = new HostileReply(status, body[..length]);
        return true;
    }
}
