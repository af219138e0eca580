using System.Diagnostics;

namespace Kuiper.Tests.Artefacts;

/// <summary>
/// Archives made the way users make them: Python's <c>zipfile</c> and Debian's <c>zip</c> (Info-ZIP), run as
/// processes in a working folder (scripts/install-test-deps.sh installs both).
/// </summary>
public static class ArchiveTools
{
    /// <summary>Runs <c>python3 -c script args...</c> in <paramref name="workDir"/>.</summary>
    public static void Python(string workDir, string script, params string[] args) => Run("python3", workDir, ["-c", script, .. args]);

    /// <summary>Runs Info-ZIP's <c>zip args...</c> in <paramref name="workDir"/>.</summary>
    public static void Zip(string workDir, params string[] args) => Run("zip", workDir, args);

    /// <summary>
    /// A zip written by Python's <c>zipfile</c> from (name, content) pairs with <c>writestr</c>: no file-type bits,
    /// mode <c>0600</c> for files (what many build scripts produce).
    /// </summary>
    public static byte[] PythonWritestr(string workDir, params (string Name, string Content)[] entries)
    {
        var output = Path.Join(workDir, $"writestr-{Guid.NewGuid():N}.zip");
        var args = new List<string> { output };
        foreach (var (name, content) in entries) args.AddRange([name, content]);
        Python(workDir, """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
                pairs = sys.argv[2:]
                for name, content in zip(pairs[0::2], pairs[1::2]):
                    z.writestr(name, content)
            """, [.. args]);
        return File.ReadAllBytes(output);
    }

    private static void Run(string tool, string workDir, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1))) process.Kill(entireProcessTree: true);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {stdout.Result}{stderr.Result}");
    }
}
