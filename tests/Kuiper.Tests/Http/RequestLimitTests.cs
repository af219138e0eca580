using System.Net;
using System.Text;
using Kuiper.Tests.Harness;
using Xunit.Abstractions;

namespace Kuiper.Tests.Http;

/// <summary>
/// Large bodies under the default limit (512 MiB): a 200 MB invalid body is refused with Go's text while the node's
/// peak resident memory (VmHWM) grows by about the body once, not several times over.
/// </summary>
[Collection(NodeProcessCollection.Name)]
[FullTier("starts node processes")]
public sealed class RequestLimitTests(ITestOutputHelper output)
{
    private const int BodyBytes = 200 * 1024 * 1024;

    [Theory]
    [InlineData("unterminated body", "{\"content\":\"", "", 2.0, "Invalid body: Error decoding json: unexpected EOF")]
    [InlineData("invalid bundle in a valid body", "{\"content\":\"{\\\"streams\\\":{\\\"a\\\":\\\"", "\\\"}\"}", 3.0, "configuration unmarshal with error unexpected end of JSON input")]
    public async Task A_200_MB_invalid_body_is_refused_and_held_about_once(string what, string prefix, string suffix, double bodiesAtMost, string message)
    {
        await using var node = await NodeProcess.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await node.Client.ImportAsync("{}")).Status); // warm
        var before = PeakResidentBytes(node);

        var body = new byte[prefix.Length + BodyBytes + suffix.Length];
        Encoding.ASCII.GetBytes(prefix).CopyTo(body, 0);
        body.AsSpan(prefix.Length, BodyBytes).Fill((byte)'a');
        Encoding.ASCII.GetBytes(suffix).CopyTo(body, prefix.Length + BodyBytes);
        using var content = new ByteArrayContent(body);
        var reply = await Reply.From(await node.Client.PostAsync("/data/import", content));

        var grown = PeakResidentBytes(node) - before;
        output.WriteLine($"{what}: peak resident memory grew by {grown / 1048576} MiB for a {BodyBytes / 1048576} MiB body");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal($"{{\"error\":1000,\"message\":\"{message}\"}}\n", reply.Body);
        Assert.True(grown < bodiesAtMost * BodyBytes, $"{what}: grew by {grown / 1048576} MiB, more than {bodiesAtMost} bodies");
    }

    /// <summary>VmHWM of the node process: the most resident memory it has ever had.</summary>
    private static long PeakResidentBytes(NodeProcess node)
    {
        foreach (var line in File.ReadLines($"/proc/{node.Process.Id}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        throw new InvalidOperationException("no VmHWM");
    }
}
