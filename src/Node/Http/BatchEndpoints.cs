using System.Text;
using Kuiper.Domain.Batches;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's <c>POST /batch/req</c>: each inner request <c>{"method","path","body"}</c> runs, in order, through this
/// node's own pipeline in-process (routing, the token check with the outer request's headers, the guards, the
/// endpoint), and the answers come back as <c>[{"code":200,"response":"..."}]</c>. At most
/// <see cref="MaxRequests"/> inner requests, and none to <c>/batch/req</c> itself.
/// </summary>
public static class BatchEndpoints
{
    public const int MaxRequests = 100;
    private const string Path = "/batch/req";
    private const string GlobalEndpointRouteBuilderKey = "__GlobalEndpointRouteBuilder";

    /// <summary>
    /// Must come before the node's other middleware: it takes the pipeline that follows it (all of the node's
    /// middleware and endpoints) and puts routing in front, which is what an inner request runs through.
    /// </summary>
    public static WebApplication UseBatchRequests(this WebApplication app)
    {
        var pipeline = new InnerPipeline();
        IApplicationBuilder builder = app;
        builder.Use(next =>
        {
            // The app's own routing (its endpoints), then the rest of the app's pipeline. UseRouting matches the app's
            // endpoints when the builder names the app under this key, as ASP.NET names it for the app's own routing
            // (BatchRequestTests fail if that ever changes: every inner request would be a 404).
            var inner = builder.New();
            inner.Properties[GlobalEndpointRouteBuilderKey] = app;
            inner.UseRouting();
            inner.Run(next);
            pipeline.Run = inner.Build();
            return next;
        });
        app.MapPost(Path, (HttpContext context, CancellationToken ct) => BatchAsync(context, pipeline, ct));
        return app;
    }

    private sealed class InnerPipeline
    {
        public RequestDelegate? Run { get; set; }
    }

    private static async Task<IResult> BatchAsync(HttpContext context, InnerPipeline pipeline, CancellationToken ct)
    {
        var (items, error) = BatchRequests.Decode(await RequestBody.ReadAsync(context.Request, ct));
        if (items is null) return ErrorEnvelope.Result(error!);
        if (items.Count > MaxRequests)
            return ErrorEnvelope.Result($"a batch holds at most {MaxRequests} requests, this one holds {items.Count}");

        var answers = new List<(int, string, string)>(items.Count);
        foreach (var item in items)
            answers.Add(await AnswerAsync(context, pipeline.Run!, item, ct));
        return PlainReplies.Json(BatchRequests.Reply(answers));
    }

    private static async Task<(int Code, string Response, string Error)> AnswerAsync(
        HttpContext outer, RequestDelegate run, BatchItem? item, CancellationToken ct)
    {
        // eKuiper dereferences a null element and panics; here that element alone fails.
        if (item is null) return (0, "", "the request is null");
        var plan = BatchRequests.Plan(item);
        if (plan.Error is { } error) return (0, "", error);
        // gorilla/mux redirects an unclean path to its clean form, with no body.
        if (plan.RedirectTo is not null) return (StatusCodes.Status301MovedPermanently, "", "");
        var target = plan.Target!;
        if (string.Equals(target.Path.TrimEnd('/'), Path, StringComparison.OrdinalIgnoreCase))
            return (StatusCodes.Status400BadRequest, Envelope("a batch request cannot hold another batch request"), "");

        await using var scope = outer.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        DefaultHttpContext inner;
        MemoryStream responseBody;
        try
        {
            inner = InnerContext(outer, target, scope.ServiceProvider, ct, out responseBody);
            await run(inner);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // What the server answers for a handler that throws: 500, no body.
            return (StatusCodes.Status500InternalServerError, "", "");
        }
        return (inner.Response.StatusCode, Encoding.UTF8.GetString(responseBody.GetBuffer(), 0, (int)responseBody.Length), "");
    }

    /// <summary>
    /// The inner request: the outer request's headers (so its <c>Authorization</c>, as eKuiper copies them), its
    /// connection and scheme, the item's method, path, query and body; the answer goes to <paramref name="responseBody"/>.
    /// </summary>
    private static DefaultHttpContext InnerContext(HttpContext outer, BatchTarget target, IServiceProvider services,
        CancellationToken ct, out MemoryStream responseBody)
    {
        var inner = new DefaultHttpContext { RequestServices = services, RequestAborted = ct };
        var request = inner.Request;
        foreach (var (name, values) in outer.Request.Headers)
            if (!IsFraming(name)) request.Headers[name] = values;
        request.Method = target.Method;
        request.Scheme = outer.Request.Scheme;
        request.Host = outer.Request.Host;
        request.Protocol = outer.Request.Protocol;
        request.Path = new PathString(target.Path);
        request.QueryString = target.Query.Length > 0 ? new QueryString("?" + target.Query) : QueryString.Empty;
        var body = Encoding.UTF8.GetBytes(target.Body);
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        inner.Connection.RemoteIpAddress = outer.Connection.RemoteIpAddress;
        inner.Connection.RemotePort = outer.Connection.RemotePort;
        inner.Connection.LocalIpAddress = outer.Connection.LocalIpAddress;
        inner.Connection.LocalPort = outer.Connection.LocalPort;
        responseBody = new MemoryStream();
        inner.Response.Body = responseBody;
        return inner;
    }

    private static bool IsFraming(string header) =>
        header.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
        header.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
        header.Equals("Expect", StringComparison.OrdinalIgnoreCase);

    private static string Envelope(string message) =>
        $"{{\"error\":{ErrorEnvelope.Undefined},\"message\":{Kuiper.Domain.GoCompat.GoQuote.Quote(message)}}}\n";
}
