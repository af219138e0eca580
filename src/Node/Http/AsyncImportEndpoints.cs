using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Kuiper.Actors.Transfers;
using Kuiper.Actors.AsyncImports;
using Kuiper.Domain.Bundles;
using Kuiper.Domain.GoCompat;
using Kuiper.Messages.Imports;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's async import API: <c>POST /async/data/import</c> registers a task and answers its id at once,
/// <c>GET /async/task/{id}</c> shows it (with our progress and stage), <c>POST /async/task/{id}/cancel</c> cancels it.
/// The tasks live in the cluster-wide <see cref="ImportTasks"/> singleton: any node answers for any task.
/// </summary>
public static class AsyncImportEndpoints
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapAsyncImport(this IEndpointRouteBuilder app)
    {
        app.MapPost("/async/data/import", RegisterAsync).Idempotent();
        app.MapGet("/async/task/{id}", GetAsync);
        app.MapPost("/async/task/{id}/cancel", CancelAsync);
        return app;
    }

    private static async Task<IResult> RegisterAsync(
        HttpRequest request, IRequiredActor<ImportTasks> tasks, AsyncImportStop stopAfter, ActorSystem system, CancellationToken cancellationToken)
    {
        var (mode, apply, stop) = QueryFlags.ImportOptions(request);
        // Only the JSON is decoded before the reply, as in eKuiper: the content or file checks run inside the task.
        var (body, bodyError) = ImportRequest.Decode(await RequestBody.ReadAsync(request, cancellationToken));
        if (bodyError is not null) return ErrorEnvelope.Result(bodyError);

        var register = new RegisterImportTask(body!.Content.ToArray(), body.File, mode, apply, stop, ImportOrigins.Of(request.HttpContext, system));
        var answer = await HandOverAsync(tasks, system, register, cancellationToken);
        switch (answer)
        {
            case null:
                return NotAnswered();
            case ImportTaskRefused { Busy: true } refused:
                return ErrorEnvelope.Result(refused.Reason, status: StatusCodes.Status429TooManyRequests);
            case ImportTaskRefused refused:
                return ErrorEnvelope.Result(refused.Reason, status: StatusCodes.Status503ServiceUnavailable);
            case TransferRefused refused:
                // The request did not reach the tasks singleton's node (too large for it, or not taken): said at once.
                return ErrorEnvelope.Result(ImportReplies.NotDelivered(refused.Reason, refused.Answered), status: StatusCodes.Status503ServiceUnavailable);
        }
        var id = ((ImportTaskRegistered)answer).TaskId;
        // stop=1 as in the sync import: a full import that is applied; this node leaves once the task finishes.
        if (stop && mode == ImportMode.Full && apply != ImportApply.Never) stopAfter.Watch(id);
        return Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteEndObject();
        });
    }

    private static async Task<IResult> GetAsync(string id, IRequiredActor<ImportTasks> tasks, CancellationToken cancellationToken)
    {
        var answer = await AskAsync<ImportTaskAnswer>(tasks, new GetImportTask(id), cancellationToken);
        if (answer is null) return NotAnswered();
        return answer.Task is { } task ? Json(writer => Write(writer, task)) : NotFound(id);
    }

    private static async Task<IResult> CancelAsync(string id, IRequiredActor<ImportTasks> tasks, CancellationToken cancellationToken)
    {
        var answer = await AskAsync<ImportTaskCancelAnswer>(tasks, new CancelImportTask(id), cancellationToken);
        if (answer is null) return NotAnswered();
        return answer.Found ? Results.Text("cancel success", "text/plain", Encoding.UTF8) : NotFound(id);
    }

    /// <summary>eKuiper's task JSON, then ours: <c>progress</c> (items done of the total) and <c>stage</c>.</summary>
    public static void Write(Utf8JsonWriter writer, ImportTaskState task)
    {
        writer.WriteStartObject();
        writer.WriteString("id", task.TaskId);
        writer.WriteString("status", StatusName(task.Status));
        writer.WriteString("message", task.Message);
        writer.WriteNumber("createdTimestamp", task.CreatedTimestamp);
        writer.WriteNumber("updatedTimestamp", task.UpdatedTimestamp);
        writer.WriteStartObject("progress");
        writer.WriteNumber("done", task.Done);
        writer.WriteNumber("total", task.Total);
        writer.WriteEndObject();
        writer.WriteString("stage", task.Stage);
        writer.WriteEndObject();
    }

    public static string StatusName(ImportTaskStatus status) => status switch
    {
        ImportTaskStatus.Register => "register",
        ImportTaskStatus.Running => "running",
        ImportTaskStatus.Finish => "finish",
        ImportTaskStatus.Error => "error",
        _ => "cancel",
    };

    /// <summary>eKuiper's text for an unknown task (a plain error: status 400, code 1000).</summary>
    private static IResult NotFound(string id) => ErrorEnvelope.Result($"async task: {id} not found");

    private static IResult NotAnswered() => ErrorEnvelope.Result(
        $"the async import tasks did not answer within {AskTimeout.TotalSeconds:0}s; try again", status: StatusCodes.Status503ServiceUnavailable);

    /// <summary>
    /// The request (its content can be hundreds of MB) handed to the tasks singleton itself: as is on this node, in chunks
    /// to another. Null when it did not answer in time; a transfer that fails is answered 503 with its reason.
    /// </summary>
    private static async Task<Kuiper.Messages.IKuiperMessage?> HandOverAsync(IRequiredActor<ImportTasks> tasks, ActorSystem system,
        RegisterImportTask register, CancellationToken cancellationToken)
    {
        try
        {
            var actor = await MessageTransfer.LocateAsync(await tasks.GetAsync(cancellationToken), AskTimeout, cancellationToken);
            return await MessageTransfer.Get(system).AskAsync<Kuiper.Messages.IKuiperMessage>(actor, register, AskTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>The answer, or null when the tasks singleton did not answer in time (it is moving, or the journal is down).</summary>
    private static async Task<T?> AskAsync<T>(IRequiredActor<ImportTasks> tasks, object message, CancellationToken cancellationToken) where T : class
    {
        try
        {
            var actor = await tasks.GetAsync(cancellationToken);
            return await actor.Ask<T>(message, AskTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    private static IResult Json(Action<Utf8JsonWriter> write) =>
        Results.Text(GoJsonLimits.Write(write), "application/json", Encoding.UTF8);
}
