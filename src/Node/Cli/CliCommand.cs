namespace Kuiper.Node.Cli;

public enum CliVerb
{
    Show,
    Leave,
    Down,
    DownUnreachable,
    Regions,
    RegionStats,
    ShardStats,
    Locate,

    /// <summary><c>cluster secrets rotate</c></summary>
    RotateSecrets,

    /// <summary><c>create|drop|describe|show</c> of plugins, services, schemas, scripts: see <see cref="CliCommand.Management"/></summary>
    Manage,

    /// <summary><c>import data -f FILE [-p true|false] [-s true|false]</c></summary>
    ImportData,

    /// <summary><c>export data FILE [-r '["rule1"]']</c></summary>
    ExportData,

    /// <summary><c>getstatus import</c></summary>
    GetStatusImport,

    /// <summary><c>import ruleset -f FILE</c></summary>
    ImportRuleset,

    /// <summary><c>export ruleset FILE</c></summary>
    ExportRuleset,
}

/// <summary>
/// One parsed client invocation: the verb, its operands (address, type, entity id; the file of an export), the node,
/// the output form, and the token from <c>--token</c> (null: <c>KUIPER_TOKEN</c>, if set, is sent instead).
/// </summary>
public sealed record CliCommand(CliVerb Verb, IReadOnlyList<string> Operands, Uri Node, bool Json, string? Token = null)
{
    /// <summary>The data verbs' options: the file to import, <c>-p</c>, <c>-s</c>, the rules to export.</summary>
    public DataOptions Data { get; init; } = DataOptions.None;

    /// <summary>The REST request of a management verb (<see cref="CliVerb.Manage"/>).</summary>
    public ManagementRequest? Management { get; init; }
}

/// <param name="File">the file <c>-f</c> names (read where the command runs)</param>
/// <param name="Partial"><c>-p</c>: a partial import</param>
/// <param name="Stop"><c>-s</c>: the node stops after a full import</param>
/// <param name="Rules"><c>-r</c>: the rules to export with what they need; empty: everything</param>
public sealed record DataOptions(string File, bool Partial, bool Stop, IReadOnlyList<string> Rules)
{
    public static readonly DataOptions None = new("", false, false, []);
}

/// <summary>Exactly one of: a command, a request for help, or a usage error.</summary>
public sealed record CliParse(CliCommand? Command, bool Help, string? Error)
{
    public static CliParse Ok(CliCommand command) => new(command, false, null);
    public static CliParse HelpRequested { get; } = new(null, true, null);
    public static CliParse Fail(string error) => new(null, false, error);
}
