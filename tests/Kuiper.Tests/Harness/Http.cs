using System.Net;
using System.Text;
using System.Text.Json;

namespace Kuiper.Tests.Harness;

/// <summary>What one HTTP exchange returned: status, body text, content type.</summary>
public sealed record Reply(HttpStatusCode Status, string Body, string? ContentType)
{
    public static async Task<Reply> From(HttpResponseMessage response)
    {
        using (response)
            return new Reply(response.StatusCode, await response.Content.ReadAsStringAsync(),
                response.Content.Headers.ContentType?.ToString());
    }
}

public static class KuiperApi
{
    /// <summary>The import request body with the bundle as a JSON string, as eKuiper's clients send it.</summary>
    public static string ContentBody(string bundleJson) => JsonSerializer.Serialize(new { content = bundleJson });

    public static async Task<Reply> ImportAsync(this HttpClient client, string bundleJson, string query = "") =>
        await client.PostRawAsync("/data/import" + query, ContentBody(bundleJson));

    public static async Task<Reply> PostRawAsync(this HttpClient client, string path, string body) =>
        await Reply.From(await client.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")));

    public static async Task<Reply> GetReplyAsync(this HttpClient client, string path) =>
        await Reply.From(await client.GetAsync(path));

    public static Task<string> ExportAsync(this HttpClient client) => client.GetStringAsync("/data/export");

    /// <summary>eKuiper's error envelope as the node writes it (Go's <c>http.Error</c>: the quoted message and a newline).</summary>
    public static string Envelope(string message, int code = 1000) =>
        $"{{\"error\":{code},\"message\":{Kuiper.Domain.GoCompat.GoQuote.Quote(message)}}}\n";

    /// <summary>One section of <c>GET /data/export</c>, as its JSON text.</summary>
    public static async Task<string> ExportSectionAsync(this HttpClient client, string bundleKey)
    {
        using var export = JsonDocument.Parse(await client.ExportAsync());
        return export.RootElement.GetProperty(bundleKey).GetRawText();
    }

    /// <summary>Any method, with a JSON body when one is given.</summary>
    public static async Task<Reply> SendAsync(this HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return await Reply.From(await client.SendAsync(request));
    }
}
