using System.Text.Json;

namespace Kuiper.Domain.GoCompat;

/// <summary>Reads JSON objects the way Go's encoding/json fills a struct.</summary>
public static class GoJsonObject
{
    /// <summary>
    /// The value Go would assign to a struct field: keys match case-insensitively and the last matching key
    /// wins (<c>{"id":"a","ID":"b"}</c> gives <c>b</c>).
    /// </summary>
    public static bool TryGetField(this JsonElement obj, string field, out JsonElement value)
    {
        value = default;
        var found = false;
        foreach (var property in obj.EnumerateObject())
        {
            if (!string.Equals(property.Name, field, StringComparison.OrdinalIgnoreCase)) continue;
            value = property.Value;
            found = true;
        }
        return found;
    }
}
