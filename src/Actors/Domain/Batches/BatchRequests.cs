using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Batches;

/// <summary>One inner request of <c>POST /batch/req</c>, as eKuiper's <c>server.EachRequest</c> holds it.</summary>
public sealed record BatchItem(string Method, string Path, string Body);

/// <summary>
/// Where an inner request goes: its method, its path as gorilla/mux matches it (unescaped: <c>%2F</c> is a slash
/// there), its query (still escaped), and its body.
/// </summary>
public sealed record BatchTarget(string Method, string Path, string Query, string Body);

/// <summary>
/// What an inner request becomes before it is dispatched: a target, or an answer already known. <see cref="Error"/>
/// is eKuiper's <c>error</c> member (the request could not be made: Go's <c>http.NewRequest</c> refused it);
/// <see cref="RedirectTo"/> is gorilla/mux's 301 to the cleaned path, which eKuiper's router answers before any route.
/// </summary>
public sealed record BatchPlan(BatchTarget? Target, string? Error, string? RedirectTo);

/// <summary>
/// eKuiper's <c>POST /batch/req</c> (<c>batchRequestHandler</c>): the body is a JSON array of
/// <c>{"method","path","body"}</c>, each run through the router in turn, the answers returned in order as
/// <c>[{"code":200,"response":"..."}]</c> (<c>response</c> and <c>error</c> omitted when empty).
/// </summary>
public static class BatchRequests
{
    private const string ItemType = "server.EachRequest";
    private static readonly string[] Fields = ["method", "path", "body"];

    /// <summary>
    /// Decodes the body as <c>json.NewDecoder(body).Decode(&amp;[]*EachRequest)</c>: the first JSON value, Go's texts,
    /// field names matched ignoring case. A <c>null</c> element is kept as null (eKuiper dereferences it and panics).
    /// </summary>
    public static (IReadOnlyList<BatchItem?>? Items, string? Error) Decode(ReadOnlyMemory<byte> body)
    {
        if (GoJsonSyntax.CheckDecode(body.Span) is { } syntax) return (null, syntax);
        using var doc = GoJsonLimits.ParseFirstValue(body);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return ([], null);
        if (root.ValueKind != JsonValueKind.Array)
            return (null, GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, "[]*" + ItemType));

        var items = new List<BatchItem?>();
        string? firstError = null;
        foreach (var element in root.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                items.Add(null);
                continue;
            }
            if (element.ValueKind != JsonValueKind.Object)
            {
                firstError ??= GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(element.ValueKind)!, ItemType);
                continue;
            }
            // method, path, body
            var values = new[] { "", "", "" };
            foreach (var property in element.EnumerateObject())
            {
                var field = Array.FindIndex(Fields, f => string.Equals(f, property.Name, StringComparison.OrdinalIgnoreCase));
                if (field < 0) continue;
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.String:
                        values[field] = property.Value.GetString()!;
                        break;
                    case JsonValueKind.Null:
                        break;
                    default:
                        firstError ??= GoJsonError.UnmarshalType(GoJsonError.KindOf(property.Value.ValueKind)!, "string",
                            "EachRequest." + Fields[field]);
                        break;
                }
            }
            items.Add(new BatchItem(values[0], values[1], values[2]));
        }
        return firstError is null ? (items, null) : (null, firstError);
    }

    /// <summary>
    /// What Go's <c>http.NewRequest(method, path, body)</c> and gorilla/mux make of an item: an empty method is GET,
    /// a method that is not an HTTP token or a path that does not parse as a URL is an <c>error</c>, and a path that is
    /// not clean (no leading slash, <c>//</c>, <c>.</c> or <c>..</c> segments) is redirected to its clean form.
    /// </summary>
    public static BatchPlan Plan(BatchItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var method = item.Method.Length == 0 ? "GET" : item.Method;
        if (!method.All(IsTokenChar)) return new BatchPlan(null, $"net/http: invalid method {GoQuote.Quote(method)}", null);

        var url = item.Path;
        if (url.Any(c => c < 0x20 || c == 0x7f))
            return new BatchPlan(null, $"parse {GoQuote.Quote(url)}: net/url: invalid control character in URL", null);

        // The fragment is not sent; a full URL names its host, whose path and query are what the router sees.
        var rest = url.Split('#', 2)[0];
        var schemeEnd = SchemeEnd(rest);
        if (schemeEnd == 0) return new BatchPlan(null, $"parse {GoQuote.Quote(url)}: missing protocol scheme", null);
        if (schemeEnd > 0)
        {
            rest = rest[(schemeEnd + 1)..];
            if (rest.StartsWith("//", StringComparison.Ordinal))
            {
                var slash = rest.IndexOfAny(['/', '?'], 2);
                rest = slash < 0 ? "" : rest[slash..];
            }
        }
        var parts = rest.Split('?', 2);
        var rawPath = parts[0];
        var query = parts.Length > 1 ? parts[1] : "";
        if (InvalidEscape(rawPath) is { } escape)
            return new BatchPlan(null, $"parse {GoQuote.Quote(url)}: invalid URL escape {GoQuote.Quote(escape)}", null);

        var decoded = Uri.UnescapeDataString(rawPath);
        var clean = CleanPath(decoded);
        if (clean != decoded) return new BatchPlan(null, null, clean);
        return new BatchPlan(new BatchTarget(method, decoded, query, item.Body), null, null);
    }

    /// <summary>eKuiper's reply: <c>[{"code":..,"response":..,"error":..}]</c>, empty members omitted, Go's escaping.</summary>
    public static string Reply(IEnumerable<(int Code, string Response, string Error)> answers) => GoJsonLimits.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var (code, response, error) in answers)
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", code);
            if (response.Length > 0) writer.WriteString("response", response);
            if (error.Length > 0) writer.WriteString("error", error);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    });

    /// <summary>gorilla/mux's <c>cleanPath</c>: Go's <c>path.Clean</c> of the path made absolute, a trailing slash kept.</summary>
    public static string CleanPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0) return "/";
        if (path[0] != '/') path = "/" + path;
        var kept = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".") continue;
            if (segment == "..")
            {
                if (kept.Count > 0) kept.RemoveAt(kept.Count - 1);
                continue;
            }
            kept.Add(segment);
        }
        var clean = "/" + string.Join('/', kept);
        if (path[^1] == '/' && clean != "/") clean += "/";
        return clean;
    }

    // RFC 7230 tchar, as Go's net/http validMethod checks it.
    private static bool IsTokenChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9')
            or '!' or '#' or '$' or '%' or '&' or '\'' or '*' or '+' or '-' or '.' or '^' or '_' or '`' or '|' or '~';

    /// <summary>Where Go's url.Parse sees a scheme end (the colon), -1 without one, 0 for a URL that starts with a colon.</summary>
    private static int SchemeEnd(string url)
    {
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z')) continue;
            if (c is (>= '0' and <= '9') or '+' or '-' or '.')
            {
                if (i == 0) return -1;
                continue;
            }
            return c == ':' ? i : -1;
        }
        return -1;
    }

    /// <summary>The first <c>%</c> escape Go's unescape refuses (not two hex digits after it), as Go quotes it.</summary>
    private static string? InvalidEscape(string path)
    {
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] != '%') continue;
            if (i + 2 >= path.Length || !Uri.IsHexDigit(path[i + 1]) || !Uri.IsHexDigit(path[i + 2]))
                return path[i..Math.Min(i + 3, path.Length)];
            i += 2;
        }
        return null;
    }
}
