using System.Net;
using System.Text;
using System.Text.Json;
using Kuiper.Domain.Bundles;
using Kuiper.Domain.GoCompat;
using Kuiper.Node.Http;

namespace Kuiper.Node.Cli;

/// <summary>
/// eKuiper's data verbs (<c>cmd/kuiper/main.go</c>: <c>import data</c>, <c>export data</c>, <c>getstatus import</c>,
/// <c>import ruleset</c>, <c>export ruleset</c>) over the node's REST API, printing what eKuiper's client prints. The
/// file is read or written where the command runs, not on the node (eKuiper's RPC names a file on the server).
/// </summary>
public sealed class DataVerbs(NodeClient client, TextWriter output, TextWriter error, IProgressDisplay progress)
{
    /// <summary>The 12 kinds as eKuiper's zero <c>Configuration</c> marshals them, for an import that failed as a whole.</summary>
    private const string NoConfigResponse =
        """{"streams":null,"tables":null,"rules":null,"nativePlugins":null,"portablePlugins":null,"sourceConfig":null,"sinkConfig":null,"connectionConfig":null,"Service":null,"Schema":null,"uploads":null,"scripts":null}""";

    /// <summary>eKuiper's <c>ProcessErr</c>: the import ran and some items failed.</summary>
    private const string ProcessError = "process error";

    public Task<int> RunAsync(CliCommand command, CancellationToken ct) => command.Verb switch
    {
        CliVerb.ImportData => ImportDataAsync(command, ct),
        CliVerb.GetStatusImport => GetStatusAsync(command, ct),
        CliVerb.ExportData => ExportDataAsync(command, ct),
        CliVerb.ImportRuleset => ImportRulesetAsync(command, ct),
        CliVerb.ExportRuleset => ExportRulesetAsync(command, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.Verb, "not a data verb"),
    };

    /// <summary>
    /// Prints eKuiper's <c>ImportConfigurationStatus</c>, indented: <c>ErrorMsg</c> empty and the per-kind errors on success,
    /// <c>process error</c> and the errors when some items failed (exit 4), the reason and no map when nothing was imported.
    /// </summary>
    private async Task<int> ImportDataAsync(CliCommand command, CancellationToken ct)
    {
        var content = await ReadAsync(command.Data.File, ct);
        if (content is null) return ClientVerbs.NodeError;
        var query = command.Data.Partial ? "?partial=1" : command.Data.Stop ? "?stop=1" : "";
        var reply = await progress.TrackAsync($"importing {command.Data.File}", _ =>
            client.SendAsync(Post("data/import" + query, KuiperRequest(content)), ct));

        if (reply.IsSuccess) return await PrintJsonAsync(command, reply.Body, ClientVerbs.Ok);
        if (reply.Status != HttpStatusCode.BadRequest) return await FailAsync(reply.ErrorText);
        var message = NodeClient.ErrorMessage(reply.Body) ?? reply.Body.Trim();
        return IsConfigResponse(message)
            ? await PrintJsonAsync(command, Status(ProcessError, message), ClientVerbs.PartialFailure)
            : await PrintJsonAsync(command, Status(message, NoConfigResponse), ClientVerbs.NodeError);
    }

    private async Task<int> GetStatusAsync(CliCommand command, CancellationToken ct)
    {
        var reply = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "data/import/status"), ct);
        return reply.IsSuccess ? await PrintJsonAsync(command, reply.Body, ClientVerbs.Ok) : await FailAsync(reply.ErrorText);
    }

    /// <summary>The whole bundle, or the rules <c>-r</c> names with what they need (none named: everything, as in eKuiper).</summary>
    private async Task<int> ExportDataAsync(CliCommand command, CancellationToken ct)
    {
        var rules = command.Data.Rules;
        var reply = await progress.TrackAsync($"exporting to {command.Data.File}", _ => client.SendAsync(rules.Count == 0
            ? new HttpRequestMessage(HttpMethod.Get, "data/export")
            : Post("data/export", JsonSerializer.Serialize(rules)), ct));
        if (!reply.IsSuccess) return await FailAsync(reply.ErrorText);
        if (!await WriteAsync(command.Data.File, reply.Body, ct)) return ClientVerbs.NodeError;
        return await PrintLineAsync(command, "export configuration success");
    }

    /// <summary>
    /// eKuiper's count line; the items the node refused (header <see cref="RulesetEndpoints.ErrorsHeader"/>, which
    /// eKuiper only logs) on stderr, and exit code 4.
    /// </summary>
    private async Task<int> ImportRulesetAsync(CliCommand command, CancellationToken ct)
    {
        var content = await ReadAsync(command.Data.File, ct);
        if (content is null) return ClientVerbs.NodeError;
        var reply = await progress.TrackAsync($"importing {command.Data.File}", _ =>
            client.SendAsync(Post("ruleset/import", KuiperRequest(content)), ct));
        if (!reply.IsSuccess) return await FailAsync(reply.ErrorText);

        var failures = reply.Headers.TryGetValue(RulesetEndpoints.ErrorsHeader, out var header) ? header : null;
        var omitted = reply.Headers.TryGetValue(RulesetEndpoints.OmittedHeader, out var count) ? count : null;
        if (command.Json)
        {
            await output.WriteLineAsync(GoMarshalObject(("message", GoJsonEncoder.Marshal(reply.Body)),
                ("errors", failures ?? """{"streams":{},"tables":{},"rules":{}}"""), ("omitted", omitted ?? "0")));
        }
        else
        {
            await output.WriteLineAsync(reply.Body);
            if (failures is not null) await PrintFailuresAsync(failures, omitted);
        }
        return failures is null ? ClientVerbs.Ok : ClientVerbs.PartialFailure;
    }

    private async Task<int> ExportRulesetAsync(CliCommand command, CancellationToken ct)
    {
        var reply = await progress.TrackAsync($"exporting to {command.Data.File}", _ => client.SendAsync(Post("ruleset/export", null), ct));
        if (!reply.IsSuccess) return await FailAsync(reply.ErrorText);
        var (ruleset, parseError) = BundleCodec.Parse(Encoding.UTF8.GetBytes(reply.Body), BundleShape.Ruleset);
        if (parseError is not null) return await FailAsync($"the node's ruleset is not valid: {parseError}");
        if (!await WriteAsync(command.Data.File, reply.Body, ct)) return ClientVerbs.NodeError;
        return await PrintLineAsync(command,
            $"exported {ruleset![Messages.Resources.ResourceKind.Streams].Count} streams, {ruleset[Messages.Resources.ResourceKind.Tables].Count} tables" +
            $" and {ruleset[Messages.Resources.ResourceKind.Rules].Count} rules");
    }

    private async Task PrintFailuresAsync(string failures, string? omitted)
    {
        using var document = JsonDocument.Parse(failures);
        foreach (var kind in document.RootElement.EnumerateObject())
            foreach (var item in kind.Value.EnumerateObject())
                await error.WriteLineAsync($"{kind.Name} {item.Name}: {item.Value.GetString()}");
        if (omitted is not null) await error.WriteLineAsync($"... and {omitted} more: see 'getstatus import'");
    }

    /// <summary>The JSON reply laid out as eKuiper's RPC lays it out (Go's <c>json.Indent</c>, two spaces), or compact with <c>--json</c>.</summary>
    private async Task<int> PrintJsonAsync(CliCommand command, string json, int exitCode)
    {
        await output.WriteLineAsync(command.Json ? json : GoJsonIndent.Indent(json));
        return exitCode;
    }

    private async Task<int> PrintLineAsync(CliCommand command, string line)
    {
        await output.WriteLineAsync(command.Json ? GoMarshalObject(("message", GoJsonEncoder.Marshal(line)), ("file", GoJsonEncoder.Marshal(Path.GetFullPath(command.Data.File)))) : line);
        return ClientVerbs.Ok;
    }

    private async Task<int> FailAsync(string message)
    {
        await error.WriteLineAsync(message);
        return ClientVerbs.NodeError;
    }

    /// <summary>The file's text; null (and the reason on stderr, in eKuiper's words) when it cannot be read.</summary>
    private async Task<string?> ReadAsync(string file, CancellationToken ct)
    {
        try
        {
            return await File.ReadAllTextAsync(file, new UTF8Encoding(false), ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await error.WriteLineAsync($"fail to read file {file}: {e.Message}");
            return null;
        }
    }

    private async Task<bool> WriteAsync(string file, string content, CancellationToken ct)
    {
        try
        {
            await File.WriteAllTextAsync(file, content, new UTF8Encoding(false), ct);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            await error.WriteLineAsync($"fail to save to file {file}:{e.Message}");
            return false;
        }
    }

    private static bool IsConfigResponse(string message)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("streams", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Status(string errorMessage, string configResponse) =>
        GoMarshalObject(("ErrorMsg", GoJsonEncoder.Marshal(errorMessage)), ("ConfigResponse", configResponse));

    private static string GoMarshalObject(params (string Name, string Json)[] members) =>
        "{" + string.Join(",", members.Select(m => $"{GoJsonEncoder.Marshal(m.Name)}:{m.Json}")) + "}";

    /// <summary>The request body eKuiper's clients send: the file's text as <c>content</c>.</summary>
    private static string KuiperRequest(string content) => GoMarshalObject(("content", GoJsonEncoder.Marshal(content)));

    private static HttpRequestMessage Post(string path, string? json) => new(HttpMethod.Post, path)
    {
        Content = json is null ? null : new StringContent(json, new UTF8Encoding(false), "application/json"),
    };
}
