using System.Text.Json;
using Kuiper.Node.Cli;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Inspection;

/// <summary>What one in-process run of a client verb printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Err)
{
    public JsonElement Json()
    {
        Assert.True(ExitCode == ClientVerbs.Ok, $"exit {ExitCode}: {Err}");
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }
}

public static class CliRunner
{
    /// <summary>Runs <c>Kuiper.Node cluster ...</c> in this process against <paramref name="node"/>.</summary>
    public static async Task<CliRun> RunAsync(NodeProcess node, params string[] args) =>
        await RunAsync(["cluster", .. args, "--node", node.BaseAddress.ToString()]);

    public static async Task<CliRun> RunAsync(string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await ClientVerbs.RunAsync(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>Asks again until <paramref name="done"/> holds: cluster changes take gossip rounds, on 2 busy cores seconds.</summary>
    public static async Task<CliRun> UntilAsync(NodeProcess node, Func<CliRun, bool> done, TimeSpan timeout, params string[] args)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var run = await RunAsync(node, args);
            if (done(run)) return run;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"'cluster {string.Join(' ', args)}' not as expected after {timeout}:\n{run}\n{node.Output}");
            await Task.Delay(500);
        }
    }
}
