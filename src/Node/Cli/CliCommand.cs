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
}

/// <summary>
/// One parsed client invocation: the verb, its operands (address, type, entity id), the node, the output form, and
/// the token from <c>--token</c> (null: <c>KUIPER_TOKEN</c>, if set, is sent instead).
/// </summary>
public sealed record CliCommand(CliVerb Verb, IReadOnlyList<string> Operands, Uri Node, bool Json, string? Token = null);

/// <summary>Exactly one of: a command, a request for help, or a usage error.</summary>
public sealed record CliParse(CliCommand? Command, bool Help, string? Error)
{
    public static CliParse Ok(CliCommand command) => new(command, false, null);
    public static CliParse HelpRequested { get; } = new(null, true, null);
    public static CliParse Fail(string error) => new(null, false, error);
}

/// <summary>Parses <c>cluster ...</c> argument lists (CONTRACT.md, "Client verbs of the same executable").</summary>
public static class CliParser
{
    public const string DefaultNode = "http://127.0.0.1:9081";

    public const string Usage = """
        Usage: Kuiper.Node cluster <verb> [--node URL] [--json] [--token TOKEN]

          cluster show                                  members, their status, reachability, app version; the leader
          cluster leave <address>                       ask a member to leave gracefully
          cluster down <address>                        mark a member as down
          cluster down-unreachable                      down every member the node sees as unreachable
          cluster sharding regions                      the shard regions and the nodes they run on
          cluster sharding region-stats <type>          shards and entities per node, cluster-wide
          cluster sharding shard-stats <type>           shards and entities on the node asked
          cluster sharding locate <type> <entity-id>    the shard and node holding one entity

          <address>    a member address, e.g. akka.tcp://kuiper@127.0.0.1:4053
          <type>       a region: streams, tables, rules, source-configs, sink-configs, connection-configs
          <entity-id>  a partition entity, p00..p15

          --node URL   the node's HTTP address (default http://127.0.0.1:9081)
          --json       print the machine-readable form instead of a table
          --token T    the JWT sent as the Authorization header, for a node with authentication on
                       (default: the KUIPER_TOKEN environment variable, which keeps it out of the process list)

        Exit codes: 0 ok, 1 the node answered an error, 2 usage error, 3 node unreachable.
        """;

    public static CliParse Parse(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var node = DefaultNode;
        var json = false;
        string? token = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--json") json = true;
            else if (arg is "-h" or "--help" or "help") return CliParse.HelpRequested;
            else if (arg is "--node")
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    return CliParse.Fail("--node needs a URL, e.g. --node http://127.0.0.1:9081");
                node = args[++i];
            }
            else if (arg.StartsWith("--node=", StringComparison.Ordinal)) node = arg["--node=".Length..];
            else if (arg is "--token")
            {
                if (i + 1 >= args.Count || args[i + 1].Length == 0)
                    return CliParse.Fail("--token needs a token, e.g. --token eyJhbGciOi...");
                token = args[++i];
            }
            else if (arg.StartsWith("--token=", StringComparison.Ordinal)) token = arg["--token=".Length..];
            else if (arg.StartsWith("--", StringComparison.Ordinal)) return CliParse.Fail($"unknown option {arg}");
            else words.Add(arg);
        }

        if (!Uri.TryCreate(node, UriKind.Absolute, out var nodeUri) || nodeUri.Scheme is not ("http" or "https"))
            return CliParse.Fail($"--node must be an http(s) URL, not '{node}'");
        if (words.Count == 0 || words[0] != "cluster") return CliParse.Fail("the first word must be 'cluster'");

        var verb = words.Count > 1 ? words[1] : null;
        var rest = words.Skip(2).ToArray();
        if (verb == "sharding")
        {
            verb = words.Count > 2 ? "sharding " + words[2] : "sharding";
            rest = words.Skip(3).ToArray();
        }

        (CliVerb Verb, string Operands)? known = verb switch
        {
            "show" => (CliVerb.Show, ""),
            "leave" => (CliVerb.Leave, "<address>"),
            "down" => (CliVerb.Down, "<address>"),
            "down-unreachable" => (CliVerb.DownUnreachable, ""),
            "sharding regions" => (CliVerb.Regions, ""),
            "sharding region-stats" => (CliVerb.RegionStats, "<type>"),
            "sharding shard-stats" => (CliVerb.ShardStats, "<type>"),
            "sharding locate" => (CliVerb.Locate, "<type> <entity-id>"),
            _ => null,
        };
        if (known is not { } found)
            return CliParse.Fail(verb is null ? "missing verb after 'cluster'" : $"unknown verb 'cluster {verb}'");
        var operandCount = found.Operands.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (rest.Length != operandCount)
            return CliParse.Fail($"usage: cluster {verb}{(operandCount > 0 ? " " + found.Operands : "")}");
        return CliParse.Ok(new CliCommand(found.Verb, rest, nodeUri, json, token));
    }
}
