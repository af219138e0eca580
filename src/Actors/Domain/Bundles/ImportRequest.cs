using System.Runtime.InteropServices;
using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Bundles;

/// <summary>
/// The body of <c>POST /data/import</c>: the bundle inline (<c>content</c>, kept as UTF-8 bytes: a bundle can be
/// hundreds of MB, and it is parsed as UTF-8 next) or where to fetch it (<c>file</c>).
/// </summary>
public sealed record ImportRequest(ReadOnlyMemory<byte> Content, string File)
{
    /// <summary>The request, or eKuiper's exact 400 message.</summary>
    public static (ImportRequest? Request, string? Error) Parse(string body) => Parse(System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>
    /// The request read from the body's bytes as Go reads them: UTF-8, no byte order mark or other charset honoured
    /// (a UTF-16 body is a syntax error, as in eKuiper), the first JSON value only; then checked (<see cref="Problem"/>).
    /// </summary>
    public static (ImportRequest? Request, string? Error) Parse(ReadOnlyMemory<byte> body)
    {
        var (request, error) = Decode(body);
        if (error is not null) return (null, error);
        return request!.Problem is { } problem ? (null, problem) : (request, null);
    }

    /// <summary>
    /// eKuiper's content and file checks, which its async import runs inside the task: exactly one of them must be given.
    /// </summary>
    public string? Problem => (Content.Length > 0, File.Length > 0) switch
    {
        (true, true) => "Invalid body: Cannot specify both content and file",
        (false, false) => "Invalid body: must specify content or file",
        _ => null,
    };

    /// <summary>
    /// Only the JSON decoding of <see cref="Parse(ReadOnlyMemory{byte})"/>: the request as given, content and file not
    /// checked yet (what eKuiper's async import does before it replies).
    /// </summary>
    public static (ImportRequest? Request, string? Error) Decode(ReadOnlyMemory<byte> body)
    {
        // Go's json.Decoder reads only the first value: trailing text is ignored, truncation is "unexpected EOF".
        if (GoJsonSyntax.CheckDecode(body.Span) is { } syntax) return (null, Decoding(syntax));

        using var doc = GoJsonLimits.ParseFirstValue(body);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return (new ImportRequest(ReadOnlyMemory<byte>.Empty, ""), null);
        if (root.ValueKind != JsonValueKind.Object)
            return (null, Decoding(GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, "server.configurationInfo")));

        ReadOnlyMemory<byte> content = ReadOnlyMemory<byte>.Empty;
        var file = "";
        foreach (var field in new[] { "content", "file" })
        {
            if (!root.TryGetField(field, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            if (value.ValueKind != JsonValueKind.String)
                return (null, Decoding(GoJsonError.UnmarshalType(GoJsonError.KindOf(value.ValueKind)!, "string", $"configurationInfo.{field}")));
            if (field == "content") content = Utf8String(value);
            else file = value.GetString()!;
        }
        return (new ImportRequest(content, file), null);
    }

    /// <summary>A string value's unescaped UTF-8 bytes, without going through a (twice as large) .NET string.</summary>
    private static ReadOnlyMemory<byte> Utf8String(JsonElement value)
    {
        var raw = JsonMarshal.GetRawUtf8Value(value);
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        var buffer = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
        var written = reader.CopyString(buffer);
        return new ReadOnlyMemory<byte>(buffer, 0, written);
    }

    private static string Decoding(string goError) => $"Invalid body: Error decoding json: {goError}";
}
