using System.Diagnostics;
using System.Reflection;

namespace Kuiper.Tests.Harness;

/// <summary>
/// The previous release of the node, built from the commit named in <c>compat/previous-release</c> (one line, a full
/// commit id), for the upgrade tests. Built once per test run from the clone's own history in a temporary
/// <c>git worktree</c>, into <c>/tmp/kuiper-previous-release/&lt;commit&gt;/node</c>; a later run reuses that build
/// (a commit's build does not change), so only the first run on a machine pays for it.
/// </summary>
public static class PreviousRelease
{
    private static readonly Lazy<Task<string>> Build = new(BuildAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The full commit id in <c>compat/previous-release</c>.</summary>
    public static string Commit => RepositoryRelease.PreviousCommit;

    public static string ShortCommit => Commit[..7];

    /// <summary>Where a commit's build is kept between runs.</summary>
    public static string OutputDir => Path.Combine(Path.GetTempPath(), "kuiper-previous-release", Commit, "node");

    /// <summary>
    /// The previous release's <c>Kuiper.Node.dll</c>, building it first unless a finished build is there. Tests running
    /// at the same time share one build (one task).
    /// </summary>
    public static Task<string> NodeDllAsync() => Build.Value;

    /// <summary>The version a build of the node says it is (its assembly version, as <c>GET /</c> and the cluster's app version give it).</summary>
    public static string VersionOf(string dllPath) => AssemblyName.GetAssemblyName(dllPath).Version?.ToString(3) ?? "?";

    private static async Task<string> BuildAsync()
    {
        var commit = Commit;
        if (commit.Length != 40 || !commit.All(Uri.IsHexDigit))
            throw new InvalidOperationException($"{RepositoryRelease.PreviousCommitFile} must hold one full commit id (40 hex digits), not '{commit}'");
        var dll = Path.Combine(OutputDir, "Kuiper.Node.dll");
        if (File.Exists(dll)) return dll;

        var root = NodeBuild.RepoRoot;
        var (found, _) = await RunAsync("git", root, "cat-file", "-e", commit + "^{commit}");
        if (found != 0)
            throw new InvalidOperationException(
                $"the previous release {commit} (named in compat/previous-release) is not in this clone's history: " +
                "clone with full history (git clone without --depth, or git fetch --unshallow) to run the upgrade tests");

        // A build of our own beside the kept one, moved into place only once whole: a run stopped halfway, or another
        // test process building at the same time, never leaves a half build that a later run would take as finished.
        var parent = Path.GetDirectoryName(OutputDir)!;
        var work = Path.Combine(parent, "building-" + Guid.NewGuid().ToString("N")[..8]);
        var source = Path.Combine(work, "src");
        var output = Path.Combine(work, "node");
        Directory.CreateDirectory(work);
        try
        {
            await MustAsync("git", root, "worktree", "add", "--detach", source, commit);
            try
            {
                // -o puts the node's output (its dependencies and Console/ content included) outside the worktree that is removed
                // below. No build servers or reused nodes: one left running would hold this process's output pipes open.
                await MustAsync("dotnet", source, "build", Path.Combine("src", "Node", "Kuiper.Node.csproj"), "-c", "Release", "-o", output,
                    "-nologo", "-clp:ErrorsOnly", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-p:UseRazorBuildServer=false");
            }
            finally
            {
                await RunAsync("git", root, "worktree", "remove", "--force", source);
                await RunAsync("git", root, "worktree", "prune");
            }
            if (!File.Exists(Path.Combine(output, "Kuiper.Node.dll")))
                throw new InvalidOperationException($"the build of {commit} left no Kuiper.Node.dll in {output}");
            try
            {
                Directory.Move(output, OutputDir);
            }
            catch (IOException) when (File.Exists(dll))
            {
                // Another process finished the same build first: its copy is as good.
            }
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return dll;
    }

    private static async Task MustAsync(string file, string directory, params string[] args)
    {
        var (code, text) = await RunAsync(file, directory, args);
        if (code != 0)
            throw new InvalidOperationException($"building the previous release: `{file} {string.Join(' ', args)}` in {directory} exited with {code}:\n{text}");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string directory, params string[] args)
    {
        var info = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test host may carry the settings of the MSBuild that built it; the build of another tree must not inherit them.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(name);
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
