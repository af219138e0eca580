using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Artefacts.Uploads;

/// <summary>
/// The JSON body of <c>POST /config/uploads</c> (eKuiper's <c>fileContent</c>): <c>{"name","content"}</c> or
/// <c>{"name","file"}</c>, keys matched as Go matches struct fields.
/// </summary>
public sealed record UploadRequest(string Name, string Content, string File)
{
    /// <summary>The request, or eKuiper's exact 400 message (decoding, then the missing fields).</summary>
    public static (UploadRequest? Request, string? Error) Parse(ReadOnlySpan<byte> body)
    {
        // Go's json.Decoder reads only the first value: trailing text is ignored, an empty body is "EOF".
        if (GoJsonSyntax.CheckDecode(body) is { } syntax) return (null, Decoding(syntax));
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = GoJsonSyntax.MaxNestingDepth + 1 });
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (UploadChecker.FileContentShape.Check(root) is { } typeError) return (null, Decoding(typeError));

        var request = new UploadRequest(GoRead.String(root, "name"), GoRead.String(root, "content"), GoRead.String(root, "file"));
        if (request.Content.Length == 0 && request.File.Length == 0)
            return (null, "Invalid body: missing necessary field: invalid body: content or FilePath is required");
        if (request.Name.Length == 0) return (null, "Invalid body: missing necessary field: invalid body: name is required");
        return (request, null);
    }

    /// <summary>The bundle value eKuiper records for it (<c>fileContent.InstallScript()</c>, empty fields left out).</summary>
    public string Value => GoMarshal.Object(w =>
    {
        w.WriteString("name", Name);
        if (Content.Length > 0) w.WriteString("content", Content);
        if (File.Length > 0) w.WriteString("file", File);
    });

    /// <summary>
    /// The value for a file that came with the request (multipart): named by the path it has in this node's
    /// uploads folder, the bytes travel beside it. Export shows it like an upload eKuiper fetched from that path.
    /// </summary>
    public static UploadRequest Received(string name, string uploadsDir) =>
        new(name, "", "file://" + string.Join('/', $"{uploadsDir.TrimEnd('/')}/{name}".Split('/').Select(Uri.EscapeDataString)));

    /// <summary>
    /// The name a multipart file part is stored under: the last element of the file name the client sent, as Go's
    /// <c>multipart</c> keeps it (both separators count: a Windows client sends <c>C:\dir\a.txt</c>); null when
    /// nothing usable is left.
    /// </summary>
    public static string? ReceivedName(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName)) return null;
        var trimmed = fileName.TrimEnd('/', '\\');
        var cut = trimmed.LastIndexOfAny(['/', '\\']);
        var name = cut < 0 ? trimmed : trimmed[(cut + 1)..];
        return name is "" or "." or ".." || name.Contains('\0') ? null : name;
    }

    private static string Decoding(string goError) => $"Invalid body: Error decoding file json: {goError}";
}
