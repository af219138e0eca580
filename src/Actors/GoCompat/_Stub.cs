// TEMPORARY until helper/gojson lands.
using System.Text.Encodings.Web;
using System.Text.Json;
namespace Kuiper.Actors.GoCompat;
public static class GoJsonSyntax { public static string? Check(string text) { try { using var _ = JsonDocument.Parse(text); return null; } catch (JsonException e) { return text.Length == 0 ? "unexpected end of JSON input" : e.Message; } } }
public static class GoJsonEncoder { public static readonly JavaScriptEncoder Instance = JavaScriptEncoder.UnsafeRelaxedJsonEscaping; }
public static class GoQuote { public static string Quote(string s) => JsonSerializer.Serialize(s, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }); }
public static class GoJsonError { public static string UnmarshalType(string kind, string goType, string field) => $"json: cannot unmarshal {kind} into Go struct field {field} of type {goType}"; public static string KindOf(JsonValueKind k) => k switch { JsonValueKind.String => "string", JsonValueKind.Number => "number", JsonValueKind.Object => "object", JsonValueKind.Array => "array", _ => "bool" }; }
