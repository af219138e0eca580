using System.Text.Json;

namespace Kuiper.Node.Cli;

/// <summary>What a management verb prints of the node's answer: its text, one name per line, or indented JSON.</summary>
public enum ManagementOutput
{
    Text,
    Names,
    Json,
}

/// <summary>One management verb resolved to its REST request.</summary>
public sealed record ManagementRequest(HttpMethod Method, string Path, string? Body, ManagementOutput Output);

/// <summary>
/// eKuiper client's <c>create|drop|describe|show</c> verbs of plugins, services, schemas and scripts, over the REST API
/// (eKuiper's client speaks RPC to its own server; the words, operands and paths are eKuiper's).
/// </summary>
public static class ManagementVerbs
{
    /// <summary>eKuiper's client names plugin types in the singular.</summary>
    private static readonly IReadOnlyDictionary<string, string> PluginTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["source"] = "plugins/sources", ["sink"] = "plugins/sinks", ["function"] = "plugins/functions", ["portable"] = "plugins/portables",
    };

    /// <summary>Each verb: its words, operands, and how its operands become a request (null with the usage error).</summary>
    public static readonly IReadOnlyList<(string Path, string Description, string[] Operands, Func<string[], bool, (ManagementRequest? Request, string? Error)> Build)> Verbs =
    [
        ("create plugin", "install a plugin from its JSON", ["<type>", "<name>", "<json>"], (o, _) => Plugin(o[0], o[1], p => Post(p, WithName(o[1], o[2])))),
        ("create service", "register a service from its JSON", ["<name>", "<json>"], (o, _) => (Post("services", WithName(o[0], o[1])), null)),
        ("create schema", "register a schema from its JSON", ["<type>", "<name>", "<json>"], (o, _) => (Post($"schemas/{Seg(o[0])}", WithName(o[1], o[2])), null)),
        ("create script", "register a JavaScript function from its JSON", ["<json>"], (o, _) => (Post("udf/javascript", o[0]), null)),
        ("drop plugin", "uninstall a plugin", ["<type>", "<name>"], (o, stop) => Plugin(o[0], o[1], p => new(HttpMethod.Delete, $"{p}/{Seg(o[1])}" + (stop ? "?stop=1" : ""), null, ManagementOutput.Text))),
        ("drop service", "remove a service", ["<name>"], (o, _) => (Delete($"services/{Seg(o[0])}"), null)),
        ("drop schema", "remove a schema", ["<type>", "<name>"], (o, _) => (Delete($"schemas/{Seg(o[0])}/{Seg(o[1])}"), null)),
        ("drop script", "remove a JavaScript function", ["<name>"], (o, _) => (Delete($"udf/javascript/{Seg(o[0])}"), null)),
        ("describe plugin", "one plugin", ["<type>", "<name>"], (o, _) => Plugin(o[0], o[1], p => Get($"{p}/{Seg(o[1])}", ManagementOutput.Json))),
        ("describe udf", "the plugin that provides a function", ["<name>"], (o, _) => (Get($"plugins/udfs/{Seg(o[0])}", ManagementOutput.Json), null)),
        ("describe service", "one service", ["<name>"], (o, _) => (Get($"services/{Seg(o[0])}", ManagementOutput.Json), null)),
        ("describe service_func", "one service function", ["<name>"], (o, _) => (Get($"services/functions/{Seg(o[0])}", ManagementOutput.Json), null)),
        ("describe schema", "one schema", ["<type>", "<name>"], (o, _) => (Get($"schemas/{Seg(o[0])}/{Seg(o[1])}", ManagementOutput.Json), null)),
        ("describe script", "one JavaScript function", ["<name>"], (o, _) => (Get($"udf/javascript/{Seg(o[0])}", ManagementOutput.Json), null)),
        ("show plugins", "the plugins of one type", ["<type>"], (o, _) => Plugin(o[0], "", p => Get(p, ManagementOutput.Names))),
        ("show udfs", "the functions plugins provide", [], (_, _) => (Get("plugins/udfs", ManagementOutput.Names), null)),
        ("show services", "the services", [], (_, _) => (Get("services", ManagementOutput.Names), null)),
        ("show service_funcs", "the functions services provide", [], (_, _) => (Get("services/functions", ManagementOutput.Json), null)),
        ("show schemas", "the schemas of one type", ["<type>"], (o, _) => (Get($"schemas/{Seg(o[0])}", ManagementOutput.Names), null)),
        ("show scripts", "the JavaScript functions", [], (_, _) => (Get("udf/javascript", ManagementOutput.Json), null)),
    ];

    private static string Seg(string value) => Uri.EscapeDataString(value);

    private static ManagementRequest Get(string path, ManagementOutput output) => new(HttpMethod.Get, path, null, output);

    private static ManagementRequest Post(string path, string body) => new(HttpMethod.Post, path, body, ManagementOutput.Text);

    private static ManagementRequest Delete(string path) => new(HttpMethod.Delete, path, null, ManagementOutput.Text);

    private static (ManagementRequest?, string?) Plugin(string type, string name, Func<string, ManagementRequest> request) =>
        PluginTypes.TryGetValue(type, out var path)
            ? (request(path), null)
            : (null, $"Invalid plugin type {type}, should be \"source\", \"sink\", \"function\" or \"portable\"");

    /// <summary>The REST body carries the name the client gives as an operand, as eKuiper's client puts it into the RPC argument.</summary>
    private static string WithName(string name, string json)
    {
        try
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(json);
            if (node is System.Text.Json.Nodes.JsonObject body)
            {
                body["name"] = name;
                return body.ToJsonString();
            }
        }
        catch (JsonException)
        {
            // Sent as given: the node answers the syntax error in eKuiper's words.
        }
        return json;
    }

    public static async Task<string> RunAsync(ManagementRequest request, NodeClient client, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(request.Method, request.Path);
        if (request.Body is not null) message.Content = new StringContent(request.Body, System.Text.Encoding.UTF8, "application/json");
        var reply = await client.SendAsync(message, ct);
        if (!reply.IsSuccess) throw new NodeErrorException(reply.ErrorText);
        return request.Output switch
        {
            ManagementOutput.Names => Names(reply.Body),
            ManagementOutput.Json => Indented(reply.Body),
            _ => reply.Body.TrimEnd() + Environment.NewLine,
        };
    }

    private static string Names(string body)
    {
        using var document = JsonDocument.Parse(body);
        var names = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.ToString()).ToList()
            : [];
        return names.Count == 0 ? "No item is found." + Environment.NewLine : string.Join(Environment.NewLine, names) + Environment.NewLine;
    }

    private static string Indented(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions
            {
                WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }) + Environment.NewLine;
        }
        catch (JsonException)
        {
            return body.TrimEnd() + Environment.NewLine;
        }
    }
}
