using System.Diagnostics;
using Kuiper.Tests.Harness;

namespace Kuiper.Tests.Cli;

/// <summary>What one run of the built executable as a client printed and returned.</summary>
public sealed record CliProcessRun(int ExitCode, string Out, string Err)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Err}";
}

/// <summary>Runs <c>dotnet Kuiper.Node.dll &lt;verb&gt; ...</c> as a user would, in its own working folder.</summary>
public static class CliProcess
{
    public static Task<CliProcessRun> RunAsync(NodeProcess node, string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, [.. args, "--node", node.BaseAddress.ToString()]);

    public static Task<CliProcessRun> RunAsync(string workingDirectory, params string[] args) => RunWithTokenAsync(workingDirectory, null, args);

    /// <param name="token">the KUIPER_TOKEN the command sees; null: none</param>
    public static async Task<CliProcessRun> RunWithTokenAsync(string workingDirectory, string? token, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(NodeBuild.DllPath);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("KUIPER_TOKEN");
        if (token is not null) info.Environment["KUIPER_TOKEN"] = token;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // never leave a hung client (or a node started by mistake) behind
            throw;
        }
        return new CliProcessRun(process.ExitCode, await output, await error);
    }
}
