using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Connections;

/// <summary>
/// The body of <c>POST /connections</c> and <c>PUT /connections/{id}</c>, <c>{"id","typ","props"}</c>, decoded as
/// eKuiper's handler decodes it (<c>json.Unmarshal</c> into <c>server.ConnectionRequest</c>): the whole body must be
/// one JSON value, keys match case-insensitively.
/// </summary>
/// <param name="Props">the props object as JSON text; <c>{}</c> when absent or null</param>
public sealed record ConnectionRequest(string Id, string Typ, string Props)
{
    private static readonly GoShape Shape = GoShape.StructOf("server.ConnectionRequest",
        ("id", GoShape.String), ("typ", GoShape.String), ("props", GoShape.MapOf(GoShape.Any)));

    /// <summary>The request, or Go's unmarshal error (<c>unexpected end of JSON input</c>, <c>json: cannot unmarshal ...</c>).</summary>
    public static (ConnectionRequest? Request, string? Error) Decode(ReadOnlyMemory<byte> body)
    {
        if (GoJsonSyntax.Check(body.Span) is { } syntax) return (null, syntax);
        using var document = GoJsonLimits.Parse(body);
        var root = document.RootElement;
        if (Shape.Check(root) is { } typeError) return (null, typeError);
        var props = root.TryGetField("props", out var value) && value.ValueKind == JsonValueKind.Object ? value.GetRawText() : "{}";
        return (new ConnectionRequest(GoRead.String(root, "id"), GoRead.String(root, "typ"), props), null);
    }

    /// <summary>The <c>connectionConfig</c> item of plugin <see cref="Typ"/> that stores this connection: <c>{"&lt;id&gt;": props}</c>.</summary>
    public string ToConfigItem() => $"{{{GoJsonEncoder.Marshal(Id)}:{Props}}}";
}
