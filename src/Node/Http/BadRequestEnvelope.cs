using Kuiper.Actors.Hosting;
using Microsoft.AspNetCore.Http.Features;

namespace Kuiper.Node.Http;

/// <summary>
/// A body that is too large (413) or badly framed (400) is found while a handler reads it; unhandled, the client would
/// get a bare status, a 500, or a reset connection. This answers with eKuiper's envelope, and reads and discards the
/// rest of a refused body (for <see cref="DrainTime"/> at most) so that a client still sending it reads the answer.
/// </summary>
public sealed class BadRequestEnvelope(RequestDelegate next, KuiperSettings settings)
{
    /// <summary>How long the rest of a refused body is read and discarded before the connection is closed.</summary>
    public static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            var tooLarge = e.StatusCode == StatusCodes.Status413PayloadTooLarge;
            var message = tooLarge
                ? $"request body too large: the limit is {settings.Import.MaxRequestBytes} bytes (Kuiper:Import:MaxRequestBytes)"
                : $"Invalid body: {e.Message}";
            context.Response.Clear();
            await ErrorEnvelope.Result(message, status: e.StatusCode).ExecuteAsync(context);
            if (tooLarge) await DrainAsync(context);
        }
    }

    /// <summary>Our own 413: Kestrel's limit is lifted per request (see <see cref="RequestBody"/>).</summary>
    public static BadHttpRequestException TooLarge() =>
        new("Request body too large.", StatusCodes.Status413PayloadTooLarge);

    private static async Task DrainAsync(HttpContext context)
    {
        await context.Response.Body.FlushAsync();
        // A client that waits for "100 Continue" has its answer and sends no body.
        if (context.Request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase)) return;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(DrainTime);
        var discard = new byte[64 * 1024];
        try
        {
            while (await context.Request.Body.ReadAsync(discard, deadline.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            context.Abort(); // the answer is out; a client still sending after this long is cut off
        }
    }
}
