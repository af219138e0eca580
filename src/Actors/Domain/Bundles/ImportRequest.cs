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

    /// <inheritdoc cref="Parse(ReadOnlyMemory{byte}, ImportRequestShape)"/>
    public static (ImportRequest? Request, string? Error) Parse(ReadOnlyMemory<byte> body) => Parse(body, ImportRequestShape.Data);

    /// <summary>
    /// The request read from the body's bytes as Go reads them: UTF-8, no byte order mark or other charset honoured
    /// (a UTF-16 body is a syntax error, as in eKuiper), the first JSON value only; then checked (<see cref="Problem"/>).
    /// </summary>
    public static (ImportRequest? Request, string? Error) Parse(ReadOnlyMemory<byte> body, ImportRequestShape shape)
    {
        var (request, error) = Decode(body, shape);
        if (error is not null) return (null, error);
        return request!.ProblemAs(shape) is { } problem ? (null, problem) : (request, null);
    }

    /// <summary>
    /// eKuiper's content and file checks of <c>/data/import</c>, which its async import runs inside the task: exactly
    /// one of them must be given.
    /// </summary>
    public string? Problem => ProblemAs(ImportRequestShape.Data);

    private string? ProblemAs(ImportRequestShape shape) => (Content.Length > 0, File.Length > 0) switch
    {
        (true, true) => "Invalid body: Cannot specify both content and file" + shape.RefusalSuffix,
        (false, false) => "Invalid body: must specify content or file" + shape.RefusalSuffix,
        _ => null,
    };

    /// <summary>
    /// Only the JSON decoding of <see cref="Parse(ReadOnlyMemory{byte}, ImportRequestShape)"/>: the request as given,
    /// content and file not checked yet (what eKuiper's async import does before it replies).
    /// </summary>
    public static (ImportRequest? Request, string? Error) Decode(ReadOnlyMemory<byte> body, ImportRequestShape? shape = null)
    {
        shape ??= ImportRequestShape.Data;
        // Go's json.Decoder reads only the first value: trailing text is ignored, truncation is "unexpected EOF".
        if (GoJsonSyntax.CheckDecode(body.Span) is { } syntax) return (null, Decoding(syntax));

        // Read as a stream of tokens, not a JsonDocument (see GoJsonLimits.Reader): the content is most of the body.
        var first = GoJsonLimits.AsGoDecodes(body[..GoJsonSyntax.FirstValueEnd(body.Span)]);
        var reader = new Utf8JsonReader(first.Span, GoJsonLimits.Reader);
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return (new ImportRequest(ReadOnlyMemory<byte>.Empty, ""), null);
        if (reader.TokenType != JsonTokenType.StartObject)
            return (null, Decoding(GoJsonError.UnmarshalTypeValue(GoJsonError.KindOf(reader.TokenType)!, shape.GoTypeName)));

        // As Go's decoder: every key that matches a field (the exact name or any case of it) is applied in document
        // order; a null leaves the field as it is; a value of the wrong type is skipped, and the first such error is
        // the answer once the whole object is read.
        ReadOnlyMemory<byte> content = ReadOnlyMemory<byte>.Empty;
        var file = "";
        string? firstError = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            reader.Read();
            var field = Fields.Concat(shape.BoolFields).FirstOrDefault(f => string.Equals(f, key, StringComparison.OrdinalIgnoreCase));
            var token = reader.TokenType;
            if (field is null || token == JsonTokenType.Null)
            {
                reader.Skip();
                continue;
            }
            // Fields the handler decodes and then ignores (the YAML import's partial and reboot) still have Go's types.
            var goType = Fields.Contains(field) ? "string" : "bool";
            var fits = goType == "string" ? token == JsonTokenType.String : token is JsonTokenType.True or JsonTokenType.False;
            if (!fits) firstError ??= GoJsonError.UnmarshalType(GoJsonError.KindOf(token)!, goType, $"{shape.StructName}.{field}");
            else if (field == "content") content = Utf8String(ref reader);
            else if (field == "file") file = reader.GetString()!;
            reader.Skip();
        }
        return firstError is null ? (new ImportRequest(content, file), null) : (null, Decoding(firstError));
    }

    private static readonly string[] Fields = ["content", "file"];

    /// <summary>The string value under the reader, unescaped, as UTF-8 bytes: not through a (twice as large) .NET string.</summary>
    private static ReadOnlyMemory<byte> Utf8String(ref Utf8JsonReader reader)
    {
        var buffer = new byte[reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length];
        var written = reader.CopyString(buffer);
        return new ReadOnlyMemory<byte>(buffer, 0, written);
    }

    private static string Decoding(string goError) => $"Invalid body: Error decoding json: {goError}";
}

/// <summary>
/// The Go struct an eKuiper handler decodes an import body into, and how it words a body with both or neither of
/// <c>content</c> and <c>file</c>.
/// </summary>
/// <param name="GoTypeName">for Go's type errors: <c>server.configurationInfo</c></param>
/// <param name="RefusalSuffix">
/// <c>/data/import</c> returns the bare text; <c>/ruleset/import</c> and <c>/v2/data/import</c> pass it as the prefix
/// of <c>errors.New("bad request")</c>, hence <c>: bad request</c>.
/// </param>
/// <param name="BoolFields">further fields of type <c>bool</c> the struct has (decoded, never used)</param>
public sealed record ImportRequestShape(string GoTypeName, string RefusalSuffix, IReadOnlyList<string> BoolFields)
{
    /// <summary><c>POST /data/import</c> (<c>server.configurationInfo</c>).</summary>
    public static readonly ImportRequestShape Data = new("server.configurationInfo", "", []);

    /// <summary><c>POST /ruleset/import</c> (<c>server.rulesetInfo</c>).</summary>
    public static readonly ImportRequestShape Ruleset = new("server.rulesetInfo", ": bad request", []);

    /// <summary><c>POST /v2/data/import</c> (<c>server.importConfiguration</c>, which embeds <c>configurationInfo</c>).</summary>
    public static readonly ImportRequestShape Yaml = new("server.importConfiguration", ": bad request", ["partial", "reboot"]);

    /// <summary>The bare struct name Go puts before a field in its errors.</summary>
    public string StructName => GoTypeName[(GoTypeName.LastIndexOf('.') + 1)..];
}
