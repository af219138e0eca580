using System.Diagnostics;
using System.Net.Http.Headers;

namespace Kuiper.Bench;

public static class Stats
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// The <paramref name="percent"/>th percentile, interpolated between the two nearest ranks (as <see cref="Median"/> is
    /// at 50): with 7 runs, p90 lies 40% of the way from the 6th to the 7th.
    /// </summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        var sorted = values.Order().ToArray();
        var rank = percent / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (rank - below);
    }
}

/// <summary>One POST /data/import: how long it took, and what the node answered.</summary>
public readonly record struct ImportReply(int Status, double Ms, string Body)
{
    public bool Ok => Status is >= 200 and < 300;

    /// <summary>The start of the reply's body, on one line, for a line of output.</summary>
    public string Excerpt(int max = 300) => Body.Length <= max ? Body.Trim() : Body[..max].Trim() + "...";

    /// <summary>Posts the prepared body (bytes, so that nothing is encoded while the clock runs).</summary>
    public static async Task<ImportReply> PostAsync(HttpClient client, string path, byte[] body, CancellationToken ct = default)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var watch = Stopwatch.StartNew();
        using var response = await client.PostAsync(path, content, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return new ImportReply((int)response.StatusCode, watch.Elapsed.TotalMilliseconds, text);
    }

    public ImportReply EnsureOk(string what) =>
        Ok ? this : throw new InvalidOperationException($"{what} failed: {Status} {Excerpt(500)}");
}
