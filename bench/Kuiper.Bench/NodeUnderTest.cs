using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Kuiper.Bench;

/// <summary>A fresh node process on free loopback ports and an empty data folder.</summary>
public sealed class NodeUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dataDir;

    private NodeUnderTest(Process process, string dataDir, HttpClient client)
    {
        _process = process;
        _dataDir = dataDir;
        Client = client;
    }

    public HttpClient Client { get; }

    public static async Task<NodeUnderTest> StartAsync(string nodeDll)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "kuiper-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { nodeDll, "--urls", $"http://127.0.0.1:{port}", $"--Kuiper:DataDir={dataDir}",
                     "--Kuiper:Cluster:Port=0", "--Logging:LogLevel:Default=Warning" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.GetAsync("/data/import/status")).IsSuccessStatusCode) return new NodeUnderTest(process, dataDir, client);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        process.Kill(true);
        throw new TimeoutException("node did not become ready");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(true);
        await _process.WaitForExitAsync();
        Client.Dispose();
        try { Directory.Delete(_dataDir, true); } catch (IOException) { }
    }
}
