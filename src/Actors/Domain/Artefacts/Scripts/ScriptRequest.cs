using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Artefacts.Scripts;

/// <summary>
/// The body of <c>POST /udf/javascript</c> and <c>PUT /udf/javascript/{id}</c>, decoded as eKuiper's handler decodes
/// it (<c>json.NewDecoder(body).Decode(&amp;js.Script{})</c>): the first JSON value only, keys matched
/// case-insensitively, an absent id left empty (unlike an import, where it defaults to the key).
/// </summary>
public sealed record ScriptRequest(string Id, string Description, string Script, bool IsAgg)
{
    /// <summary>The request, or Go's decode error (<c>EOF</c>, <c>invalid character ...</c>, <c>json: cannot unmarshal ...</c>).</summary>
    public static (ScriptRequest? Request, string? Error) Decode(ReadOnlyMemory<byte> body)
    {
        if (GoJsonSyntax.CheckDecode(body.Span) is { } syntax) return (null, syntax);
        using var document = GoJsonLimits.ParseFirstValue(body);
        var root = document.RootElement;
        if (ScriptChecker.ScriptShape.Check(root) is { } typeError) return (null, typeError);
        return (new ScriptRequest(GoRead.String(root, "id"), GoRead.String(root, "description"), GoRead.String(root, "script"),
            GoRead.Bool(root, "isAgg")), null);
    }

    /// <summary>The <c>scripts</c> bundle item this request stores: Go's marshal of <c>js.Script</c>.</summary>
    public string ToItemJson() => GoMarshal.Object(w =>
    {
        w.WriteString("id", Id);
        w.WriteString("description", Description);
        w.WriteString("script", Script);
        w.WriteBoolean("isAgg", IsAgg);
    });
}
