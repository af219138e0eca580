using System.Text;
using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// The Go type a JSON document is decoded into, so that <c>json.Unmarshal</c>'s first error can be reproduced
/// exactly: syntax errors first, then the first type mismatch in document order, worded
/// <c>json: cannot unmarshal string into Go struct field IOPlugin.shellParas of type []string</c>.
/// </summary>
public abstract record GoShape
{
    /// <summary>Go's <c>reflect.Type.String()</c>: <c>[]string</c>, <c>map[string]*service.binding</c>, <c>plugin.IOPlugin</c>.</summary>
    public abstract string TypeName { get; }

    public static GoShape String { get; } = new Scalar("string", JsonValueKind.String);

    public static GoShape Bool { get; } = new Scalar("bool", JsonValueKind.True);

    /// <summary><c>interface{}</c>: takes anything.</summary>
    public static GoShape Any { get; } = new AnyShape();

    /// <summary>A named string type such as <c>service.protocol</c>.</summary>
    public static GoShape NamedString(string typeName) => new Scalar(typeName, JsonValueKind.String);

    public static GoShape SliceOf(GoShape element) => new Slice(element);

    public static GoShape MapOf(GoShape element) => new Map(element);

    public static GoShape PointerTo(GoShape element) => new Pointer(element);

    /// <summary>A struct; <paramref name="qualifiedName"/> is <c>package.Type</c>, fields are the JSON names (promoted fields included).</summary>
    public static GoShape StructOf(string qualifiedName, params (string Json, GoShape Shape)[] fields) => new Struct(qualifiedName, fields);

    /// <summary>
    /// What <c>json.Unmarshal([]byte(text), &amp;v)</c> reports for a <c>v</c> of this type, or null when it decodes.
    /// </summary>
    public string? Check(string text)
    {
        var syntax = GoJsonSyntax.Check(text);
        if (syntax is not null) return syntax;
        using var document = Parse(text);
        return Check(document.RootElement);
    }

    /// <summary>
    /// Parses text that <see cref="GoJsonSyntax.Check(string)"/> accepted: as UTF-8 (a lone surrogate becomes U+FFFD, as
    /// Go would receive it) and as deep as Go allows.
    /// </summary>
    internal static JsonDocument Parse(string text) => GoJsonLimits.Parse(text);

    /// <summary>The first type error decoding <paramref name="value"/> into this type, or null.</summary>
    public string? Check(JsonElement value) => Walk(value, new Context(null, []));

    internal abstract string? Walk(JsonElement value, Context context);

    /// <summary>Where Go's decoder is: the innermost struct's name and the JSON field names from the root.</summary>
    internal sealed record Context(string? Struct, IReadOnlyList<string> Fields)
    {
        public string Error(JsonValueKind kind, GoShape target)
        {
            var jsonKind = GoJsonError.KindOf(kind)!;
            return Struct is null && Fields.Count == 0
                ? GoJsonError.UnmarshalTypeValue(jsonKind, target.TypeName)
                : GoJsonError.UnmarshalType(jsonKind, target.TypeName, $"{Struct}.{string.Join('.', Fields)}");
        }
    }

    private sealed record Scalar(string Name, JsonValueKind Kind) : GoShape
    {
        public override string TypeName => Name;

        internal override string? Walk(JsonElement value, Context context)
        {
            if (value.ValueKind == JsonValueKind.Null) return null;
            var matches = Kind == JsonValueKind.True
                ? value.ValueKind is JsonValueKind.True or JsonValueKind.False
                : value.ValueKind == Kind;
            return matches ? null : context.Error(value.ValueKind, this);
        }
    }

    private sealed record AnyShape : GoShape
    {
        public override string TypeName => "interface {}";

        internal override string? Walk(JsonElement value, Context context) => null;
    }

    private sealed record Pointer(GoShape Element) : GoShape
    {
        public override string TypeName => "*" + Element.TypeName;

        // Go allocates the pointer and decodes into what it points at; errors name the element type.
        internal override string? Walk(JsonElement value, Context context) => Element.Walk(value, context);
    }

    private sealed record Slice(GoShape Element) : GoShape
    {
        public override string TypeName => "[]" + Element.TypeName;

        internal override string? Walk(JsonElement value, Context context)
        {
            if (value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.Array) return context.Error(value.ValueKind, this);
            foreach (var item in value.EnumerateArray())
            {
                var error = Element.Walk(item, context);
                if (error is not null) return error;
            }
            return null;
        }
    }

    private sealed record Map(GoShape Element) : GoShape
    {
        public override string TypeName => "map[string]" + Element.TypeName;

        internal override string? Walk(JsonElement value, Context context)
        {
            if (value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.Object) return context.Error(value.ValueKind, this);
            // Map keys are not part of Go's field path.
            foreach (var property in value.EnumerateObject())
            {
                var error = Element.Walk(property.Value, context);
                if (error is not null) return error;
            }
            return null;
        }
    }

    private sealed record Struct(string QualifiedName, (string Json, GoShape Shape)[] Fields) : GoShape
    {
        public override string TypeName => QualifiedName;

        private string BareName => QualifiedName[(QualifiedName.LastIndexOf('.') + 1)..];

        internal override string? Walk(JsonElement value, Context context)
        {
            if (value.ValueKind == JsonValueKind.Null) return null;
            if (value.ValueKind != JsonValueKind.Object) return context.Error(value.ValueKind, this);
            foreach (var property in value.EnumerateObject())
            {
                var field = Find(property.Name);
                if (field is null) continue; // unknown keys are ignored
                var inner = new Context(BareName, [.. context.Fields, field.Value.Json]);
                var error = field.Value.Shape.Walk(property.Value, inner);
                if (error is not null) return error;
            }
            return null;
        }

        private (string Json, GoShape Shape)? Find(string key)
        {
            foreach (var field in Fields)
                if (field.Json == key) return field;
            foreach (var field in Fields)
                if (string.Equals(field.Json, key, StringComparison.OrdinalIgnoreCase)) return field;
            return null;
        }
    }

    /// <summary>Go's <c>%v</c> of a <c>[]string</c>: <c>[a b c]</c>.</summary>
    public static string FormatList(IEnumerable<string> items)
    {
        var sb = new StringBuilder("[");
        sb.AppendJoin(' ', items);
        return sb.Append(']').ToString();
    }
}
