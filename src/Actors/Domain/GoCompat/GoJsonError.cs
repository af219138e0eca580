using System.Text.Json;

namespace Kuiper.Domain.GoCompat;

/// <summary>
/// The wording of Go's <c>json.UnmarshalTypeError</c>, kept in one place so that every
/// type-mismatch answer reads exactly as eKuiper's does.
/// </summary>
public static class GoJsonError
{
    /// <summary>
    /// Go's text for a JSON value of the wrong kind in a struct field:
    /// <c>json: cannot unmarshal {jsonKind} into Go struct field {fieldPath} of type {goType}</c>.
    /// </summary>
    /// <param name="jsonKind">
    /// <c>string</c>, <c>number</c>, <c>object</c>, <c>array</c> or <c>bool</c> (see <see cref="KindOf"/>).
    /// Go writes <c>number 300</c> (the literal appended) when a number does not fit the field's integer type.
    /// </param>
    /// <param name="goType">Go's <c>reflect.Type.String()</c>, e.g. <c>string</c>, <c>map[string]string</c>, <c>server.Configuration</c>.</param>
    /// <param name="fieldPath">
    /// The innermost struct's bare type name, a dot, then the JSON field names from the root,
    /// e.g. <c>configurationInfo.content</c>.
    /// </param>
    public static string UnmarshalType(string jsonKind, string goType, string fieldPath) =>
        "json: cannot unmarshal " + jsonKind + " into Go struct field " + fieldPath + " of type " + goType;

    /// <summary>
    /// Go's text when there is no struct field to name, e.g. an array where the top-level struct
    /// was expected: <c>json: cannot unmarshal {jsonKind} into Go value of type {goType}</c>.
    /// </summary>
    public static string UnmarshalTypeValue(string jsonKind, string goType) =>
        "json: cannot unmarshal " + jsonKind + " into Go value of type " + goType;

    /// <summary>
    /// The word Go uses for a JSON value's kind in type errors. Null for <c>null</c>, which Go
    /// never reports: it leaves the target unchanged (or nil) instead.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">For what does not start a JSON value (<see cref="JsonValueKind.Undefined"/>, an end token).</exception>
    public static string? KindOf(JsonTokenType token) => KindOf(token switch
    {
        JsonTokenType.StartObject => JsonValueKind.Object,
        JsonTokenType.StartArray => JsonValueKind.Array,
        JsonTokenType.String => JsonValueKind.String,
        JsonTokenType.Number => JsonValueKind.Number,
        JsonTokenType.True => JsonValueKind.True,
        JsonTokenType.False => JsonValueKind.False,
        JsonTokenType.Null => JsonValueKind.Null,
        _ => throw new ArgumentOutOfRangeException(nameof(token), token, "Not the first token of a JSON value."),
    });

    /// <inheritdoc cref="KindOf(JsonTokenType)"/>
    public static string? KindOf(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => null,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not the kind of a JSON value."),
    };
}
