using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Connections;

/// <summary>One named connection: confKey <see cref="Id"/> of the <c>connectionConfig</c> item of plugin <see cref="Typ"/>.</summary>
/// <param name="Props">its props as stored (compact JSON, keys sorted)</param>
public sealed record NamedConnection(string Id, string Typ, string Props);

/// <summary>
/// eKuiper's named connections as this node stores them. eKuiper keeps each one in its config store under
/// <c>connections.&lt;typ&gt;.&lt;id&gt;</c>, which its export shows as <c>connectionConfig: {"&lt;typ&gt;": {"&lt;id&gt;": props}}</c>:
/// the same shape as the <c>connectionConfig</c> partitions here, so a connection is a confKey of its type's item and
/// every stored confKey is a named connection (eKuiper loads them all into its pool at start).
/// </summary>
public static class NamedConnections
{
    /// <summary>
    /// Every stored connection, by id. eKuiper's pool is keyed by id alone: where two types hold the same id (an
    /// import can store that), the type first in ordinal order is the one served.
    /// </summary>
    public static IReadOnlyList<NamedConnection> From(IReadOnlyDictionary<string, string> connectionConfig)
    {
        var byId = new SortedDictionary<string, NamedConnection>(StringComparer.Ordinal);
        foreach (var (typ, item) in connectionConfig.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            using var document = GoJsonLimits.Parse(item);
            if (document.RootElement.ValueKind != JsonValueKind.Object) continue;
            foreach (var confKey in document.RootElement.EnumerateObject())
                byId.TryAdd(confKey.Name, new NamedConnection(confKey.Name, typ, confKey.Value.GetRawText()));
        }
        return byId.Values.ToList();
    }

    /// <summary>
    /// eKuiper's <c>ConnectionResponse</c>: <c>{"id","typ","props","isNamed","status"?,"err"?,"refCount"?}</c>. This node
    /// never connects, so it has no status to tell: <c>status</c> and <c>err</c> are left out, as eKuiper's
    /// <c>omitempty</c> allows; <c>refCount</c> counts the rules that would use the connection (<see cref="ConnectionReferences"/>).
    /// </summary>
    public static string Response(NamedConnection connection, int refCount) =>
        GoJsonLimits.Write(writer => Write(writer, connection, refCount));

    /// <summary>The list of <c>GET /connections</c>, ordered by id (eKuiper's follows its pool map, in no order).</summary>
    public static string ListResponse(IEnumerable<NamedConnection> connections, Func<string, int> refCount) => GoJsonLimits.Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var connection in connections) Write(writer, connection, refCount(connection.Id));
        writer.WriteEndArray();
    });

    private static void Write(Utf8JsonWriter writer, NamedConnection connection, int refCount)
    {
        writer.WriteStartObject();
        writer.WriteString("id", connection.Id);
        writer.WriteString("typ", connection.Typ);
        writer.WritePropertyName("props");
        // Stored props are already Go's compact, sorted, escaped JSON (ConfigRules writes them so).
        writer.WriteRawValue(connection.Props, skipInputValidation: true);
        writer.WriteBoolean("isNamed", true);
        if (refCount != 0) writer.WriteNumber("refCount", refCount);
        writer.WriteEndObject();
    }
}
