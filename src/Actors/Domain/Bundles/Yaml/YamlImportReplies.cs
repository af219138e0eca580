using Kuiper.Messages.Imports;
using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Bundles.Yaml;

/// <summary>What eKuiper's <c>POST /v2/data/import</c> answers when items fail (<c>importYamlConf</c>).</summary>
public static class YamlImportReplies
{
    /// <summary>eKuiper's order of stages, and how each words a failed item.</summary>
    private static readonly (ResourceKind Kind, Func<string, string, string> Text)[] Stages =
    [
        (ResourceKind.SourceConfig, (name, error) => $"write conf sources.{name} failed, err:{error}"),
        (ResourceKind.SinkConfig, (name, error) => $"write conf sinks.{name} failed, err:{error}"),
        (ResourceKind.ConnectionConfig, (name, error) => $"write conf connections.{name} failed, err:{error}"),
        (ResourceKind.Uploads, (name, error) => $"import upload {name} failed, err:{error}"),
        (ResourceKind.Service, (name, error) => $"import service {name} failed, err:{error}"),
        (ResourceKind.Schema, (name, error) => $"import schema {name} failed, err:{error}"),
        (ResourceKind.NativePlugins, (name, error) => $"import native plugin {name} failed, err:{error}"),
        (ResourceKind.PortablePlugins, (name, error) => $"import portable plugin {name} failed, err:{error}"),
        (ResourceKind.Scripts, (name, error) => $"import script {name} failed, err:{error}"),
        (ResourceKind.Streams, (name, error) => $"replace stream {name} failed, err:{error}"),
        // eKuiper's text says "stream" for tables too.
        (ResourceKind.Tables, (name, error) => $"replace stream {name} failed, err:{error}"),
        (ResourceKind.Rules, (name, error) => $"replace rule {name} failed, err:{error}"),
    ];

    /// <summary>
    /// The message after <c>import failed: </c>: every failed item in eKuiper's words, one a line (Go's
    /// <c>errors.Join</c>), stages in eKuiper's order, names sorted. eKuiper stops at the first stage that fails; here
    /// every stage ran, so every failure is listed. Null when nothing failed.
    /// </summary>
    public static string? Failures(ImportReport report)
    {
        var lines = new List<string>();
        foreach (var (kind, text) in Stages)
        {
            if (!report.Errors.TryGetValue(kind, out var errors)) continue;
            lines.AddRange(errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => text(e.Key, e.Value)));
        }
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }
}
