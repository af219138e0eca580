using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kuiper.Bench;

/// <summary>
/// A fresh node process (<c>dotnet Kuiper.Node.dll</c>, which runs the node in that very process, so its pid is the
/// node's) on a free loopback HTTP port and an empty data folder; more settings through <c>extraArgs</c>
/// (the command line's last value of a key wins). Killed when disposed, or by <see cref="Cleanup"/>.
/// </summary>
public sealed class NodeUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _sinceStart;
    private readonly string _dataDir;
    private readonly IDisposable _cleanup;

    private NodeUnderTest(string name, Process process, Stopwatch sinceStart, string dataDir, Uri address)
    {
        Name = name;
        _process = process;
        _sinceStart = sinceStart;
        _dataDir = dataDir;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        _cleanup = Cleanup.Register($"node {name} (pid {process.Id})", () => { Kill(); DeleteDataDir(); });
    }

    public string Name { get; }
    public Uri Address { get; }
    public HttpClient Client { get; }
    public int Pid => _process.Id;

    /// <summary>The CPU time the process has used so far, user and system.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Settings every node of this run gets, before its own (e.g. a secrets key file).</summary>
    public static string[] CommonArgs { get; set; } = [];

    /// <summary>Starts the process and returns at once; the clock of <see cref="WaitForPingAsync"/> starts just before.</summary>
    public static NodeUnderTest Launch(string nodeDll, string name, params string[] extraArgs)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "kuiper-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { nodeDll, "--urls", address.ToString().TrimEnd('/'), $"--Kuiper:DataDir={dataDir}",
                     "--Kuiper:Cluster:Port=0", "--Logging:LogLevel:Default=Warning" }.Concat(CommonArgs).Concat(extraArgs))
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";

        var sinceStart = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{name}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new NodeUnderTest(name, process, sinceStart, dataDir, address);
    }

    /// <summary>A node that answers imports: HTTP up and the import coordinator reachable.</summary>
    public static async Task<NodeUnderTest> StartAsync(string nodeDll, string name, params string[] extraArgs)
    {
        var node = Launch(nodeDll, name, extraArgs);
        try
        {
            await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls GET /ping every 20 ms; returns the time from Process.Start to its first 200.</summary>
    public async Task<TimeSpan> WaitForPingAsync(TimeSpan within)
    {
        using var probe = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        await PollAsync(within, "answer /ping", async () =>
        {
            using var response = await probe.GetAsync("/ping");
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromMilliseconds(20));
        return _sinceStart.Elapsed;
    }

    /// <summary>Ready for imports: the status goes through the coordinator singleton, so it answers once this node is an Up member.</summary>
    public Task WaitUntilReadyAsync(TimeSpan within) => PollAsync(within, "become ready", async () =>
    {
        using var response = await Client.GetAsync("/data/import/status");
        return response.IsSuccessStatusCode;
    }, TimeSpan.FromMilliseconds(200));

    private async Task PollAsync(TimeSpan within, string what, Func<Task<bool>> attempt, TimeSpan pause)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"node {Name} exited with {_process.ExitCode}");
            try
            {
                if (await attempt()) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(pause);
        }
        throw new TimeoutException($"node {Name} did not {what} within {within.TotalSeconds:F0} s");
    }

    /// <summary>VmRSS (resident now) and VmHWM (the resident peak) from /proc/PID/status.</summary>
    public MemoryUse Memory()
    {
        double rss = double.NaN, hwm = double.NaN;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line) / 1024;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kilobytes(line) / 1024;
        }
        return new MemoryUse(rss, hwm);

        static double Kilobytes(string line) =>
            double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(true);
        }
        catch (InvalidOperationException) { }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
        _cleanup.Dispose();
        _process.Dispose();
        Client.Dispose();
        DeleteDataDir();
    }

    private void DeleteDataDir()
    {
        try { Directory.Delete(_dataDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Resident memory of a node in MiB: now, and the peak since it started.</summary>
public readonly record struct MemoryUse(double RssMb, double HwmMb)
{
    public override string ToString() => $"rss={RssMb:F0} MB hwm={HwmMb:F0} MB";
}
