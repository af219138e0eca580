namespace Kuiper.Node.Cli;

/// <summary>
/// <c>Kuiper.Node cluster ...</c>, <c>import ...</c>, <c>export ...</c>, <c>getstatus ...</c>: the executable as a client of a
/// running node over its REST API: the cluster inspection endpoints (in place of Petabridge.Cmd's <c>pbm cluster</c>
/// verbs) and eKuiper's data verbs (in place of eKuiper's <c>kuiper</c> client).
/// </summary>
public static class ClientVerbs
{
    public const int Ok = 0;
    public const int NodeError = 1;
    public const int UsageError = 2;
    public const int NodeUnreachable = 3;

    /// <summary>An import stored some items and refused others (they are printed; <c>getstatus import</c> lists them).</summary>
    public const int PartialFailure = 4;

    /// <summary>How long one call to the node may take; the node's own sharding queries time out sooner.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Imports and exports: the node answers an import when it is done, after up to Kuiper:Import:RequestTimeout (5 min).</summary>
    public static readonly TimeSpan DataRequestTimeout = TimeSpan.FromMinutes(15);

    /// <summary>The token sent when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "KUIPER_TOKEN";

    /// <summary>True when the arguments are a client verb rather than a node's start-up settings.</summary>
    public static bool IsVerb(string[] args) => args.Length > 0 && CliParser.FirstWords.Contains(args[0]);

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error, SpinnerProgress.ForConsole());

    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, error, NoProgress.Instance, cancellationToken);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IProgressDisplay progress,
        CancellationToken cancellationToken = default)
    {
        var parse = CliParser.Parse(args);
        if (parse.Help)
        {
            await output.WriteLineAsync(CliParser.Usage);
            return Ok;
        }
        if (parse.Command is not { } command)
        {
            await error.WriteLineAsync($"error: {parse.Error}");
            await error.WriteLineAsync();
            await error.WriteLineAsync(CliParser.Usage);
            return UsageError;
        }

        var baseAddress = command.Node.AbsoluteUri.EndsWith('/') ? command.Node : new Uri(command.Node.AbsoluteUri + "/");
        var isData = command.Verb >= CliVerb.ImportData;
        // Creating a plugin or service fetches and installs it on every node before the node answers; a rotation
        // rewrites the whole journal.
        var longRequest = isData || command.Verb is CliVerb.Manage or CliVerb.RotateSecrets;
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = longRequest ? DataRequestTimeout : RequestTimeout };
        // Sent as given, as eKuiper's clients send it (a bare token, or "Bearer <token>").
        var token = command.Token ?? Environment.GetEnvironmentVariable(TokenVariable);
        if (!string.IsNullOrWhiteSpace(token)) http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token.Trim());
        var client = new NodeClient(http);
        try
        {
            if (command.Management is { } management)
            {
                await output.WriteAsync(await ManagementVerbs.RunAsync(management, client, cancellationToken));
                return Ok;
            }
            if (isData) return await new DataVerbs(client, output, error, progress).RunAsync(command, cancellationToken);
            await output.WriteAsync(await ExecuteAsync(command, client, cancellationToken));
            return Ok;
        }
        catch (NodeErrorException e)
        {
            await error.WriteLineAsync(e.Message);
            return NodeError;
        }
        catch (NodeUnreachableException e)
        {
            await error.WriteLineAsync(e.Message);
            return NodeUnreachable;
        }
    }

    private static async Task<string> ExecuteAsync(CliCommand command, NodeClient client, CancellationToken ct)
    {
        var json = command.Json;
        var operands = command.Operands;
        switch (command.Verb)
        {
            case CliVerb.Show:
                var members = await client.MembersAsync(ct);
                return json ? InspectionText.ShowJson(members) : InspectionText.Show(members);
            case CliVerb.Leave:
                return Membership(await client.LeaveAsync(operands[0], ct), json);
            case CliVerb.Down:
                return Membership(await client.DownAsync(operands[0], ct), json);
            case CliVerb.DownUnreachable:
                return Membership(await client.DownUnreachableAsync(ct), json);
            case CliVerb.RotateSecrets:
                var rotation = await client.RotateSecretsAsync(ct);
                return json ? InspectionText.Json(rotation) : InspectionText.Rotation(rotation);
            case CliVerb.Regions:
                var regions = await client.RegionsAsync(ct);
                return json ? InspectionText.Json(regions) : InspectionText.Regions(regions);
            case CliVerb.RegionStats:
                var stats = await client.RegionStatsAsync(operands[0], ct);
                return json ? InspectionText.Json(stats) : InspectionText.RegionStats(stats);
            case CliVerb.ShardStats:
                var shards = await client.ShardStatsAsync(operands[0], ct);
                return json ? InspectionText.Json(shards) : InspectionText.ShardStats(shards);
            case CliVerb.Locate:
                var location = await client.LocateAsync(operands[0], operands[1], ct);
                return json ? InspectionText.Json(location) : InspectionText.Locate(location);
            default:
                throw new ArgumentOutOfRangeException(nameof(command), command.Verb, null);
        }
    }

    private static string Membership(Kuiper.Node.Inspection.MembershipActionView view, bool json) =>
        json ? InspectionText.Json(view) : InspectionText.Membership(view);
}
