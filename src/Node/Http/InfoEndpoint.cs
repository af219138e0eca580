using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Kuiper.Actors.Releases;

namespace Kuiper.Node.Http;

/// <summary>eKuiper's <c>GET /</c> (and POST): version (this release's, <see cref="ThisRelease"/>), platform, uptime, CPU and memory of this node.</summary>
public static class InfoEndpoint
{
    public static IEndpointConventionBuilder MapInfo(this IEndpointRouteBuilder app) =>
        app.MapMethods("/", ["GET", "POST"], () => PlainReplies.Json(JsonSerializer.Serialize(new
        {
            version = ThisRelease.Version,
            os = RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux" : RuntimeInformation.OSDescription.ToLowerInvariant(),
            arch = RuntimeInformation.OSArchitecture switch
            {
                Architecture.X64 => "amd64",
                Architecture.Arm64 => "arm64",
                Architecture.Arm => "arm",
                var other => other.ToString().ToLowerInvariant(),
            },
            upTimeSeconds = (long)(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds,
            cpuUsage = CpuUsage(),
            memoryUsed = Environment.WorkingSet.ToString(),
            memoryTotal = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes.ToString(),
        })));

    /// <summary>
    /// As eKuiper's gopsutil <c>CPUPercent</c>: the process's CPU time (user and system, all cores) over the time since
    /// it started, in percent (over 100 when it kept more than one core busy), written <c>%.2f%%</c>.
    /// </summary>
    private static string CpuUsage()
    {
        using var process = Process.GetCurrentProcess();
        var lived = (DateTime.Now - process.StartTime).TotalSeconds;
        var percent = lived <= 0 ? 0 : 100 * process.TotalProcessorTime.TotalSeconds / lived;
        return percent.ToString("F2", System.Globalization.CultureInfo.InvariantCulture) + "%";
    }
}
