using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kuiper.Tests.Harness;

/// <summary>
/// A real Kuiper node: the built <c>Kuiper.Node.dll</c> in its own process, on free loopback ports, with its
/// own data folder. Killing it is a real <c>kill -9</c>; starting it again on the same folder is a restart.
/// A node may also run on another address behind a command prefix (<see cref="PrepareIn"/>): the partition tests start
/// it with <c>ip netns exec NS</c> in a network namespace of its own. It runs the current build unless told to run another
/// (<see cref="RunWith"/>: the previous release, for the upgrade tests); <see cref="StopGracefullyAsync"/> stops it as an
/// operator's service manager does (SIGTERM), and <see cref="StartAgainAsync"/> after <see cref="RunWith"/> is an upgrade.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _dllPath;

    private NodeProcess(string dataDir, int httpPort, IReadOnlyList<string> extraArgs, string host = "127.0.0.1",
        IReadOnlyList<string>? commandPrefix = null)
    {
        DataDir = dataDir;
        HttpPort = httpPort;
        RemotingPort = FreeTcpPort();
        ExtraArgs = extraArgs;
        Host = host;
        CommandPrefix = commandPrefix ?? [];
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(3) };
    }

    public string DataDir { get; }
    public int HttpPort { get; }

    /// <summary>Chosen once, so that a restart comes back at the same address, as a deployed node does (settings may name another).</summary>
    public int RemotingPort { get; }
    public IReadOnlyList<string> ExtraArgs { get; private set; }

    /// <summary>The address HTTP listens on (and the tests call): loopback unless prepared with <see cref="PrepareIn"/>.</summary>
    public string Host { get; }

    /// <summary>What runs <c>dotnet</c>, e.g. <c>ip netns exec NS</c>; empty: dotnet itself. The prefix must exec, not fork.</summary>
    public IReadOnlyList<string> CommandPrefix { get; }

    public Uri BaseAddress => new($"http://{Host}:{HttpPort}");
    public HttpClient Client { get; }
    public string Output { get { lock (_output) return _output.ToString(); } }
    public Process Process => _process ?? throw new InvalidOperationException("not started");

    /// <summary>The <c>Kuiper.Node.dll</c> the next start runs: the current build unless <see cref="RunWith"/> named another.</summary>
    public string DllPath => _dllPath ?? NodeBuild.DllPath;

    /// <summary>
    /// Runs <paramref name="dllPath"/> (another build of the node, e.g. <see cref="PreviousRelease"/>'s) from the next start on;
    /// null: the current build again. Same data folder, ports and settings, so a stop and a start after it is an upgrade.
    /// </summary>
    public NodeProcess RunWith(string? dllPath)
    {
        _dllPath = dllPath;
        return this;
    }

    /// <summary>
    /// Sets <paramref name="key"/> (e.g. <c>Kuiper:Security:SecretsKeyFile</c>) for the next start, in place of any value the
    /// settings gave it: an operator's edit of one setting before a restart.
    /// </summary>
    public NodeProcess WithSetting(string key, string value)
    {
        ExtraArgs = [.. ExtraArgs.Where(arg => !arg.StartsWith($"--{key}=", StringComparison.Ordinal)), $"--{key}={value}"];
        return this;
    }

    public static async Task<NodeProcess> StartAsync(string? dataDir = null, params string[] extraArgs)
    {
        var node = Prepare(dataDir, extraArgs);
        await node.StartAgainAsync();
        return node;
    }

    /// <summary>A node not started yet: set it up (<see cref="Authorize"/>), then <see cref="StartAgainAsync"/>.</summary>
    public static NodeProcess Prepare(string? dataDir = null, params string[] extraArgs) =>
        PrepareOn(FreeTcpPort(), dataDir, extraArgs);

    /// <summary>As <see cref="Prepare"/>, with the plain HTTP port chosen by the caller (who may name it in Kestrel's settings).</summary>
    public static NodeProcess PrepareOn(int httpPort, string? dataDir, params string[] extraArgs) =>
        new(dataDir ?? NewDataDir(), httpPort, extraArgs);

    /// <summary>
    /// As <see cref="PrepareOn"/>, listening on <paramref name="host"/> and started through <paramref name="commandPrefix"/>
    /// (which must exec the command, as <c>ip netns exec</c> does, so that the process killed is the node itself).
    /// </summary>
    public static NodeProcess PrepareIn(string host, int httpPort, IReadOnlyList<string> commandPrefix, string? dataDir,
        params string[] extraArgs) =>
        new(dataDir ?? NewDataDir(), httpPort, extraArgs, host, commandPrefix);

    /// <summary>Sends <paramref name="authorization"/> as the Authorization header of every request of <see cref="Client"/>.</summary>
    public NodeProcess Authorize(string authorization)
    {
        Client.DefaultRequestHeaders.Remove("Authorization");
        Client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        return this;
    }

    public static string NewDataDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "kuiper-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port free now and never handed out before in this test run: the kernel gives a released port again at once, so
    /// a node's HTTP and remoting ports were once the same (CI: "address already in use", the node exited).
    /// </summary>
    public static int FreeTcpPort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
                if (HandedOut.Add(port)) return port;
        }
    }

    /// <summary>
    /// Starts the process (again) and waits until it answers HTTP and its coordinator is reachable; with
    /// <paramref name="waitUntilReady"/> false, returns at once (a node that is not meant to join, or to live long).
    /// </summary>
    public async Task StartAgainAsync(bool waitUntilReady = true)
    {
        var info = new ProcessStartInfo(CommandPrefix.Count > 0 ? CommandPrefix[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DataDir,
        };
        if (CommandPrefix.Count > 0)
        {
            foreach (var arg in CommandPrefix.Skip(1)) info.ArgumentList.Add(arg);
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(DllPath);
        foreach (var arg in new[]
                 {
                     "--urls", BaseAddress.ToString().TrimEnd('/'),
                     $"--Kuiper:DataDir={DataDir}",
                     $"--Kuiper:Cluster:Port={RemotingPort}",
                     "--Logging:LogLevel:Default=Warning",
                 }.Concat(ExtraArgs))
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        Append($"--- harness: starting {DllPath} ---");
        _process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (waitUntilReady) await WaitUntilReadyAsync();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
            WriteToLogFile(line);
        }
    }

    /// <summary>Where <c>scripts/test.sh</c> collects every node's output for <c>scripts/scan-test-logs.sh</c>; unset: nowhere.</summary>
    public const string LogDirVariable = "KUIPER_TEST_LOG_DIR";

    private static int _logFiles;
    private StreamWriter? _logFile;
    private bool _logFileClosed;

    /// <summary>
    /// Each line also goes to this process's file in <see cref="LogDirVariable"/>'s folder as it arrives, so that a node
    /// never disposed (a test host that crashed) still leaves its output. Called under the output's lock. A folder that
    /// cannot be written leaves the rest of this node's output out of the scan; it never fails the test.
    /// </summary>
    private void WriteToLogFile(string line)
    {
        if (_logFileClosed || Environment.GetEnvironmentVariable(LogDirVariable) is not { Length: > 0 } folder) return;
        try
        {
            if (_logFile is null)
            {
                Directory.CreateDirectory(folder);
                var name = $"node-{Interlocked.Increment(ref _logFiles):0000}-{Path.GetFileName(DataDir.TrimEnd(Path.DirectorySeparatorChar))}.log";
                _logFile = new StreamWriter(new FileStream(Path.Combine(folder, name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
            }
            _logFile.WriteLine(line);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            _logFileClosed = true;
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
                throw new InvalidOperationException($"node exited with {_process.ExitCode}:\n{Output}");
            try
            {
                // Ready: an Up member whose journal answers; then the status goes through the coordinator singleton.
                using var ready = await Client.GetAsync("/healthz/ready");
                if (ready.IsSuccessStatusCode)
                {
                    using var response = await Client.GetAsync("/data/import/status");
                    if (response.IsSuccessStatusCode) return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"node on {BaseAddress} not ready after 90s:\n{Output}");
    }

    /// <summary>
    /// A start that must fail (a setting the node refuses): it exits before it is ready. The exit code, once everything
    /// the process printed is in <see cref="Output"/>.
    /// </summary>
    public async Task<int> FailsToStartAsync()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => StartAgainAsync());
        await WaitForExitAsync(TimeSpan.FromSeconds(30));
        // The overload without a timeout also waits for the redirected output to reach its end.
        Process.WaitForExit();
        return Process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// SIGTERM, as a service manager stops the node (the host shuts down, the member leaves the cluster), then waits up to
    /// <paramref name="within"/> for it to exit; returns its exit code. A node still running then is killed (-9) and this
    /// throws with its output: a stop that hangs is a fault of the node, not something to wait out.
    /// </summary>
    public async Task<int> StopGracefullyAsync(TimeSpan within)
    {
        var process = Process;
        if (process.HasExited) return process.ExitCode;
        using (var kill = System.Diagnostics.Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString()]) { UseShellExecute = false })
                          ?? throw new InvalidOperationException("kill did not start"))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"node on {BaseAddress} did not exit within {within.TotalSeconds:0}s of SIGTERM; killed (-9):\n{Output}");
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await Process.WaitForExitAsync(cts.Token);
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Client.Dispose();
        lock (_output)
        {
            // Lines the killed process still sends are not worth a second file.
            _logFileClosed = true;
            _logFile?.Dispose();
            _logFile = null;
        }
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Where the node's build output is: beside the solution, in the same configuration as the tests.</summary>
public static class NodeBuild
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";

    public static string DllPath { get; } = Path.Combine(RepoRoot, "src", "Node", "bin", Configuration, "net10.0", "Kuiper.Node.dll");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Kuiper.Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException("Kuiper.Actors.sln not found above " + AppContext.BaseDirectory);
    }
}
