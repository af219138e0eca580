using Kuiper.Domain.GoCompat;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's error reply: <c>{"error":&lt;code&gt;,"message":&lt;Go %q&gt;}</c> and a newline, as Go's
/// <c>http.Error</c> writes it (plain text content type, nosniff).
/// </summary>
public static class ErrorEnvelope
{
    public const int Undefined = 1000;
    public const int NotFound = 1002;

    public static IResult Result(string message, int code = Undefined, int status = StatusCodes.Status400BadRequest) =>
        new EnvelopeResult(status, $"{{\"error\":{code},\"message\":{GoQuote.Quote(message)}}}\n");

    /// <summary>The envelope with one more member (ours; eKuiper's clients read <c>error</c> and <c>message</c> only).</summary>
    public static IResult Result(string message, string extraName, string extraJson, int code = Undefined, int status = StatusCodes.Status400BadRequest) =>
        new EnvelopeResult(status, $"{{\"error\":{code},\"message\":{GoQuote.Quote(message)},{GoQuote.Quote(extraName)}:{extraJson}}}\n");

    private sealed class EnvelopeResult(int status, string body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/plain; charset=utf-8";
            response.Headers.XContentTypeOptions = "nosniff";
            // Framed by length, as Go's server frames a short reply: a client has it whole at once.
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            response.ContentLength = bytes.Length;
            return response.Body.WriteAsync(bytes).AsTask();
        }
    }
}
