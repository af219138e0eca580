using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Node.Cli;

/// <summary>
/// The client verbs' command line (docs/configuration.md#command-line), on System.CommandLine: one tree
/// of commands, options anywhere (<c>--node</c>, <c>--json</c>, <c>--token</c>), and the project's own wording for usage
/// errors (the texts scripts and tests know).
/// </summary>
public static class CliParser
{
    public const string DefaultNode = "http://127.0.0.1:9081";

    /// <summary>The first words that make the executable a client rather than a node.</summary>
    public static readonly IReadOnlySet<string> FirstWords = new HashSet<string>(StringComparer.Ordinal) { "cluster", "import", "export", "getstatus", "create", "drop", "describe", "show" };

    public const string Usage = """
        Usage: Kuiper.Node cluster <verb> [--node URL] [--json] [--token TOKEN]
               Kuiper.Node import|export|getstatus ... [--node URL] [--json] [--token TOKEN]
               Kuiper.Node create|drop|describe|show ... [--node URL] [--token TOKEN]

          cluster show                                  members, their status, reachability, app version; the leader
          cluster leave <address>                       ask a member to leave gracefully
          cluster down <address>                        mark a member as down
          cluster down-unreachable                      down every member the node sees as unreachable
          cluster secrets rotate                        seal every stored secret with the newest key, retire the others
          cluster sharding regions                      the shard regions and the nodes they run on
          cluster sharding region-stats <type>          shards and entities per node, cluster-wide
          cluster sharding shard-stats <type>           shards and entities on the node asked
          cluster sharding locate <type> <entity-id>    the shard and node holding one entity

          import data -f FILE [-p [true|false]] [-s [true|false]]
                                                        import a bundle (full; -p partial; -s the node stops after it)
          export data FILE [-r '["rule1",...]']         write the whole bundle, or the rules and what they need, to FILE
          getstatus import                              the errors of the last import, per kind
          import ruleset -f FILE                        import the streams, tables and rules of FILE (never resets)
          export ruleset FILE                           write the streams, tables and rules to FILE

          create plugin <type> <name> <json>            install a plugin (type: source, sink, function, portable)
          create service <name> <json>                  register a service
          create schema <type> <name> <json>            register a schema (type: protobuf, custom)
          create script <json>                          register a JavaScript function
          drop plugin <type> <name> [-s]                uninstall a plugin
          drop service|script <name>                    remove a service or a JavaScript function
          drop schema <type> <name>                     remove a schema
          describe plugin|schema <type> <name>          one plugin or schema
          describe service|service_func|udf|script <name>
                                                        one service, service function, plugin function or script
          show plugins|schemas <type>                   the plugins or schemas of one type
          show services|service_funcs|udfs|scripts      the services, their functions, plugin functions, scripts

          <address>    a member address, e.g. akka.tcp://kuiper@127.0.0.1:4053
          <type>       a region: streams, tables, rules, source-configs, sink-configs, connection-configs
          <entity-id>  a partition entity, p00..p15
          FILE         read or written where the command runs (eKuiper's client names a file on the server)

          --node URL   the node's HTTP address (default http://127.0.0.1:9081)
          --json       print the machine-readable form instead of a table
          --token T    the JWT sent as the Authorization header, for a node with authentication on
                       (default: the KUIPER_TOKEN environment variable, which keeps it out of the process list)

        Exit codes: 0 ok, 1 the node answered an error, 2 usage error, 3 node unreachable,
                    4 an import stored some items and refused others.
        """;

    private static readonly Option<string> NodeOption = new("--node") { Recursive = true, Description = "the node's HTTP address" };
    private static readonly Option<bool> JsonOption = new("--json") { Recursive = true, Description = "machine-readable output" };
    private static readonly Option<string> TokenOption = new("--token") { Recursive = true, Description = "the JWT for a node with authentication on" };

    private static readonly Option<string> FileOption = new("--file", "-f") { Description = "the file to import" };
    private static readonly Option<string?> PartialOption = new("--partial", "-p") { Arity = ArgumentArity.ZeroOrOne, Description = "a partial import" };
    private static readonly Option<string?> StopOption = new("--stop", "-s") { Arity = ArgumentArity.ZeroOrOne, Description = "stop the node after a full import" };
    private static readonly Option<string> RulesOption = new("--rules", "-r") { Description = "the rule ids as a JSON array" };

    /// <summary>The management verbs: how each one's operands become its REST request.</summary>
    private static readonly Dictionary<Command, Func<string[], bool, (ManagementRequest? Request, string? Error)>> Management = [];

    /// <summary>Each command that does something, its verb, and the operands it takes as usage shows them.</summary>
    private static readonly Dictionary<Command, (CliVerb Verb, string Path, Argument<string>[] Operands, string Shape)> Leaves = [];

    private static readonly RootCommand Root = Build();

    private static RootCommand Build()
    {
        var root = new RootCommand("Kuiper.Node as a client of a running node") { NodeOption, JsonOption, TokenOption };

        var sharding = new Command("sharding", "shard regions and entities")
        {
            Leaf(CliVerb.Regions, "cluster sharding regions", "the shard regions and the nodes they run on"),
            Leaf(CliVerb.RegionStats, "cluster sharding region-stats", "shards and entities per node", "<type>"),
            Leaf(CliVerb.ShardStats, "cluster sharding shard-stats", "shards and entities on the node asked", "<type>"),
            Leaf(CliVerb.Locate, "cluster sharding locate", "the shard and node holding one entity", "<type>", "<entity-id>"),
        };
        root.Add(new Command("cluster", "cluster membership and sharding")
        {
            Leaf(CliVerb.Show, "cluster show", "members and the leader"),
            Leaf(CliVerb.Leave, "cluster leave", "ask a member to leave", "<address>"),
            Leaf(CliVerb.Down, "cluster down", "mark a member as down", "<address>"),
            Leaf(CliVerb.DownUnreachable, "cluster down-unreachable", "down every unreachable member"),
            new Command("secrets", "the secrets key") { Leaf(CliVerb.RotateSecrets, "cluster secrets rotate", "seal every stored secret with the newest key") },
            sharding,
        });

        var importData = Leaf(CliVerb.ImportData, "import data", "import a bundle");
        importData.Add(FileOption);
        importData.Add(PartialOption);
        importData.Add(StopOption);
        var importRuleset = Leaf(CliVerb.ImportRuleset, "import ruleset", "import streams, tables and rules");
        importRuleset.Add(FileOption);
        root.Add(new Command("import", "import data or a ruleset") { importData, importRuleset });

        var exportData = Leaf(CliVerb.ExportData, "export data", "write the bundle to a file", "FILE");
        exportData.Add(RulesOption);
        root.Add(new Command("export", "export data or the ruleset")
        {
            exportData,
            Leaf(CliVerb.ExportRuleset, "export ruleset", "write the streams, tables and rules to a file", "FILE"),
        });
        root.Add(new Command("getstatus", "the status of the last import") { Leaf(CliVerb.GetStatusImport, "getstatus import", "the errors of the last import") });

        foreach (var group in ManagementVerbs.Verbs.GroupBy(v => v.Path.Split(' ')[0]))
        {
            var command = new Command(group.Key, $"{group.Key} plugins, services, schemas and scripts");
            foreach (var (path, description, operands, build) in group)
            {
                var leaf = Leaf(CliVerb.Manage, path, description, operands);
                if (path == "drop plugin") leaf.Add(StopOption);
                Management[leaf] = build;
                command.Add(leaf);
            }
            root.Add(command);
        }
        return root;
    }

    private static Command Leaf(CliVerb verb, string path, string description, params string[] operands)
    {
        var command = new Command(path.Split(' ')[^1], description);
        var arguments = operands.Select(o => new Argument<string>(o.Trim('<', '>'))).ToArray();
        foreach (var argument in arguments) command.Add(argument);
        Leaves[command] = (verb, path, arguments, operands.Length == 0 ? path : $"{path} {string.Join(' ', operands)}");
        return command;
    }

    public static CliParse Parse(IReadOnlyList<string> args)
    {
        if (args.Any(a => a is "-h" or "--help" or "help" or "-?")) return CliParse.HelpRequested;
        var result = Root.Parse(args);

        // The options first: what they lack is said the same way wherever they stand.
        if (Missing(result, NodeOption)) return CliParse.Fail("--node needs a URL, e.g. --node http://127.0.0.1:9081");
        if (Missing(result, TokenOption) || result.GetResult(TokenOption) is not null && result.GetValue(TokenOption) is "")
            return CliParse.Fail("--token needs a token, e.g. --token eyJhbGciOi...");
        foreach (var option in new Option[] { FileOption, RulesOption })
            if (Missing(result, option)) return CliParse.Fail($"{option.Name} needs a value");

        var commandResult = result.CommandResult;
        var leaf = Leaves.TryGetValue(commandResult.Command, out var found) ? found : default;
        var path = Path(commandResult);
        if (result.UnmatchedTokens.Count > 0)
        {
            var first = result.UnmatchedTokens[0];
            if (first.StartsWith('-')) return CliParse.Fail($"unknown option {first}");
            if (leaf.Shape is not null) return CliParse.Fail($"usage: {leaf.Shape}");
            return CliParse.Fail(path.Length == 0
                ? $"unknown verb '{first}': the first word is one of {string.Join(", ", FirstWords.Order())}"
                : $"unknown verb '{path} {first}'");
        }
        if (leaf.Shape is null) return CliParse.Fail(path.Length == 0 ? "missing verb" : $"missing verb after '{path}'");
        if (result.Errors.Count > 0) return CliParse.Fail($"usage: {leaf.Shape}");

        var node = result.GetValue(NodeOption) ?? DefaultNode;
        if (!Uri.TryCreate(node, UriKind.Absolute, out var nodeUri) || nodeUri.Scheme is not ("http" or "https"))
            return CliParse.Fail($"--node must be an http(s) URL, not '{node}'");

        var operands = leaf.Operands.Select(a => result.GetValue(a)!).ToArray();
        var command = new CliCommand(leaf.Verb, operands, nodeUri, result.GetValue(JsonOption), result.GetValue(TokenOption));
        return DataOptionsOf(result, command);
    }

    private static bool Missing(ParseResult result, Option option) =>
        result.GetResult(option) is { } given && given.Errors.Any() || result.Errors.Any(e => e.SymbolResult is OptionResult o && o.Option == option);

    private static string Path(CommandResult result)
    {
        var words = new List<string>();
        for (SymbolResult? at = result; at is CommandResult command && command.Command is not RootCommand; at = at.Parent)
            words.Insert(0, command.Command.Name);
        return string.Join(' ', words);
    }

    /// <summary>The data verbs' own checks, in eKuiper's words where its client has them.</summary>
    private static CliParse DataOptionsOf(ParseResult result, CliCommand command)
    {
        switch (command.Verb)
        {
            case CliVerb.ImportData:
            {
                var file = result.GetValue(FileOption) ?? "";
                if (file.Length == 0) return CliParse.Fail("Required configuration json file to import");
                if (Flag(result, StopOption) is not { } stop) return CliParse.Fail("Expect s flag to be a boolean value.");
                if (Flag(result, PartialOption) is not { } partial) return CliParse.Fail("Expect p flag to be a boolean value.");
                return CliParse.Ok(command with { Data = new DataOptions(file, partial, stop, []) });
            }
            case CliVerb.ImportRuleset:
            {
                var file = result.GetValue(FileOption) ?? "";
                return file.Length == 0
                    ? CliParse.Fail("Required ruleset json file to import")
                    : CliParse.Ok(command with { Data = DataOptions.None with { File = file } });
            }
            case CliVerb.ExportData:
            {
                var rules = result.GetValue(RulesOption) ?? "";
                IReadOnlyList<string> ids = [];
                if (rules.Length > 0)
                {
                    if (GoJsonSyntax.Check(rules) is { } error) return CliParse.Fail($"rules [] unmarshal error {error}");
                    using var document = GoJsonLimits.Parse(System.Text.Encoding.UTF8.GetBytes(rules));
                    var root = document.RootElement;
                    if (root.ValueKind != JsonValueKind.Array && root.ValueKind != JsonValueKind.Null)
                        return CliParse.Fail($"rules [] unmarshal error json: cannot unmarshal {GoJsonError.KindOf(root.ValueKind)} into Go value of type []string");
                    if (root.ValueKind == JsonValueKind.Array
                        && root.EnumerateArray().FirstOrDefault(e => e.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) is { ValueKind: not JsonValueKind.Undefined } wrong)
                        return CliParse.Fail($"rules [] unmarshal error json: cannot unmarshal {GoJsonError.KindOf(wrong.ValueKind)} into Go value of type string");
                    if (root.ValueKind == JsonValueKind.Null) return CliParse.Ok(command with { Data = DataOptions.None with { File = command.Operands[0] } });
                    ids = document.RootElement.EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
                }
                return CliParse.Ok(command with { Data = DataOptions.None with { File = command.Operands[0], Rules = ids } });
            }
            case CliVerb.ExportRuleset:
                return CliParse.Ok(command with { Data = DataOptions.None with { File = command.Operands[0] } });
            case CliVerb.Manage:
            {
                if (Flag(result, StopOption) is not { } stop) return CliParse.Fail("Expect s flag to be a boolean value.");
                var (request, error) = Management[result.CommandResult.Command](command.Operands.ToArray(), stop);
                return request is null ? CliParse.Fail(error!) : CliParse.Ok(command with { Management = request });
            }
            default:
                return CliParse.Ok(command);
        }
    }

    /// <summary>
    /// <c>-s</c> and <c>-p</c>: absent is false, a bare flag is true, else <c>true</c> or <c>false</c> as eKuiper's client
    /// takes them (which requires one of the two words every time); null for any other value.
    /// </summary>
    private static bool? Flag(ParseResult result, Option<string?> option)
    {
        if (result.GetResult(option) is not { } given || given.Implicit) return false;
        return given.Tokens.Count == 0 ? true : given.Tokens[0].Value switch { "true" => true, "false" => false, _ => null };
    }
}
