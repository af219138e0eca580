using System.Diagnostics;
using System.Net;

namespace Kuiper.Tests.Harness;

/// <summary>curl as users run it against a node (scripts/install-test-deps.sh installs it).</summary>
public static class Curl
{
    /// <summary>Runs <c>curl -s args... url</c>; the reply's status and body.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> RunAsync(Uri url, params string[] args)
    {
        var start = new ProcessStartInfo("curl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-s", "-w", "\n%{http_code}" }.Concat(args).Append(url.ToString())) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("curl did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"curl exited {process.ExitCode}: {errors}");
        var cut = output.LastIndexOf('\n');
        return ((HttpStatusCode)int.Parse(output[(cut + 1)..]), output[..cut]);
    }
}
