using System.Security.Cryptography;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Imports;
using Kuiper.Messages.Imports;
using Microsoft.Extensions.Primitives;

namespace Kuiper.Node.Http;

/// <summary>
/// The <c>Idempotency-Key</c> request header on imports (ours): the first request with a key runs; a retry with the
/// same key and the same request gets the first answer again (status, headers, body) from any node, for
/// <c>Kuiper:Import:IdempotencyRetention</c>; a retry while the first runs is 409; the same key with another request
/// is 422. An answer that applied nothing (503) or a client that went away gives the key back, so a retry runs.
/// Keys live beside the import records, at the coordinator: they survive restarts and coordinator moves.
/// </summary>
public sealed class IdempotentImports(KuiperSettings settings, CoordinatorClient coordinator)
    : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    private const int MaxKeyLength = 255;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values)) return await next(context);
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > MaxKeyLength)
            return ErrorEnvelope.Result($"the {Header} header must be one value of 1 to {MaxKeyLength} characters");

        var fingerprint = await FingerprintAsync(http.Request, http.RequestAborted);
        var claim = await coordinator.ClaimKeyAsync(new ClaimImportKey(key, fingerprint, settings.Import.RequestTimeout * 2), http.RequestAborted);
        switch (claim.State)
        {
            case ImportKeyState.Answered:
                return Replay(http, claim.Answer!);
            case ImportKeyState.Running:
                return ErrorEnvelope.Result($"an import with {Header} {key} is still running; retry later for its answer",
                    status: StatusCodes.Status409Conflict);
            case ImportKeyState.Mismatch:
                return ErrorEnvelope.Result($"{Header} {key} was used for a different request (method, path, query or body); use a new key",
                    status: StatusCodes.Status422UnprocessableEntity);
        }

        IdempotentAnswer? answer = null;
        try
        {
            var result = await next(context);
            if (result is not IResult executable) return result;
            answer = await CaptureAsync(http, executable, key, fingerprint);
            return Replay(http, answer, replayed: false);
        }
        finally
        {
            // 503 means nothing was applied: the key is given back, and so it is when the client went away or it threw.
            var keep = answer is { Status: not StatusCodes.Status503ServiceUnavailable } ? answer : null;
            try
            {
                await coordinator.SettleKeyAsync(new SettleImportKey(key, fingerprint, keep), CancellationToken.None);
            }
            catch (CoordinatorUnavailableException)
            {
                // Its claim expires on its own; a retry before then is told 409.
            }
        }
    }

    /// <summary>SHA-256 of the method, path, query and body; the body is buffered so that the endpoint reads it again.</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0) hash.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <summary>The endpoint's answer, executed against a response of its own so that it can be kept and replayed.</summary>
    private static async Task<IdempotentAnswer> CaptureAsync(HttpContext http, IResult result, string key, string fingerprint)
    {
        var headers = http.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var body = new MemoryStream();
        var captured = new DefaultHttpContext { RequestServices = http.RequestServices, Response = { Body = body } };
        await result.ExecuteAsync(captured);
        foreach (var (name, value) in captured.Response.Headers)
            if (!string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase) && !string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
                headers[name] = value.ToString();
        return new IdempotentAnswer(key, fingerprint, DateTimeOffset.UtcNow, captured.Response.StatusCode, captured.Response.ContentType,
            body.ToArray(), headers);
    }

    private static IResult Replay(HttpContext http, IdempotentAnswer answer, bool replayed = true)
    {
        foreach (var (name, value) in answer.Headers) http.Response.Headers[name] = new StringValues(value);
        if (replayed) http.Response.Headers[ReplayedHeader] = "true";
        return new KeptAnswer(answer);
    }

    /// <summary>A kept answer written as it was first written: status, content type and bytes.</summary>
    private sealed class KeptAnswer(IdempotentAnswer answer) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = answer.Status;
            if (answer.ContentType is { } contentType) response.ContentType = contentType;
            response.ContentLength = answer.Body.Length;
            return response.Body.WriteAsync(answer.Body).AsTask();
        }
    }
}

public static class IdempotentImportsExtensions
{
    /// <summary>Imports on this route honour the <c>Idempotency-Key</c> header.</summary>
    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder route) => route.AddEndpointFilter<IdempotentImports>();
}
