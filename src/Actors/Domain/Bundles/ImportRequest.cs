using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Bundles;

/// <summary>The body of <c>POST /data/import</c>: the bundle inline (<c>content</c>) or where to fetch it (<c>file</c>).</summary>
public sealed record ImportRequest(string Content, string File)
{
    /// <summary>The request, or eKuiper's exact 400 message.</summary>
    public static (ImportRequest? Request, string? Error) Parse(string body)
    {
        // Go's json.Decoder reads only the first value: trailing text is ignored, truncation is "unexpected EOF".
        var utf8 = System.Text.Encoding.UTF8.GetBytes(body);
        if (GoJsonSyntax.CheckDecode(utf8) is { } syntax) return (null, Decoding(syntax));

        var reader = new Utf8JsonReader(utf8,
            new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 10_000 });
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Null) return Check("", "");
        if (root.ValueKind != JsonValueKind.Object)
            return (null, Decoding(GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(root.ValueKind)!, "server.configurationInfo")));

        string content = "", file = "";
        foreach (var (field, assign) in new (string, Action<string>)[] { ("content", v => content = v), ("file", v => file = v) })
        {
            if (!root.TryGetField(field, out var value) || value.ValueKind == JsonValueKind.Null) continue;
            if (value.ValueKind != JsonValueKind.String)
                return (null, Decoding(GoJsonError.UnmarshalType(GoJsonError.KindOf(value.ValueKind)!, "string", $"configurationInfo.{field}")));
            assign(value.GetString()!);
        }
        return Check(content, file);
    }

    private static (ImportRequest?, string?) Check(string content, string file) =>
        (content.Length > 0, file.Length > 0) switch
        {
            (true, true) => (null, "Invalid body: Cannot specify both content and file"),
            (false, false) => (null, "Invalid body: must specify content or file"),
            _ => (new ImportRequest(content, file), null),
        };

    private static string Decoding(string goError) => $"Invalid body: Error decoding json: {goError}";
}
