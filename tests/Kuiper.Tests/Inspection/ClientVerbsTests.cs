using Kuiper.Node.Cli;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Inspection;

/// <summary>Exit codes that need no node.</summary>
public sealed class ClientVerbsTests
{
    [Fact]
    public async Task A_usage_error_exits_2_and_prints_the_usage_to_stderr()
    {
        var run = await CliRunner.RunAsync(["cluster", "sharding", "locate", "rules"]);

        Assert.Equal(ClientVerbs.UsageError, run.ExitCode);
        Assert.Empty(run.Out);
        Assert.Contains("usage: cluster sharding locate <type> <entity-id>", run.Err);
        Assert.Contains("Usage: Kuiper.Node cluster <verb>", run.Err);
    }

    [Fact]
    public async Task Help_exits_0_and_prints_the_usage()
    {
        var run = await CliRunner.RunAsync(["cluster", "--help"]);

        Assert.Equal(ClientVerbs.Ok, run.ExitCode);
        Assert.Contains("cluster sharding region-stats <type>", run.Out);
    }

    [Fact]
    public async Task A_node_that_does_not_listen_exits_3()
    {
        // A port just released by the harness: nothing listens on it.
        var run = await CliRunner.RunAsync(["cluster", "show", "--node", $"http://127.0.0.1:{NodeProcess.FreeTcpPort()}"]);

        Assert.Equal(ClientVerbs.NodeUnreachable, run.ExitCode);
        Assert.Contains("cannot reach the node", run.Err);
    }
}
