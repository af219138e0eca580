using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Installation;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Archives;
using Kuiper.Domain.Artefacts.Uploads;
using Kuiper.Domain.GoCompat;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's upload endpoints: <c>POST /config/uploads</c> (JSON <c>{"name","content"|"file"}</c> or a multipart
/// <c>uploadFile</c>), <c>GET /config/uploads</c>, <c>DELETE /config/uploads/{name}</c>. An upload is stored like any
/// artefact (its bytes content-addressed beside the journal, a record in the uploads partitions), so every node,
/// a later one included, has it under <c>uploads/</c>; this node has it before it answers.
/// </summary>
public static class UploadEndpoints
{
    /// <summary>Room for multipart boundaries and part headers, or JSON escaping, beyond the file itself.</summary>
    private const long RequestOverhead = 1024 * 1024;

    private const string TooLarge = "http: request body too large";

    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder app)
    {
        app.MapPost("/config/uploads", UploadAsync);
        app.MapGet("/config/uploads", ListAsync);
        app.MapDelete("/config/uploads/{name}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> UploadAsync(HttpContext context, KuiperSettings settings, ArtefactWrites writes,
        CancellationToken ct)
    {
        var request = context.Request;
        var limit = settings.Import.MaxUploadBytes;
        // Kestrel stops reading past this, whatever the client announced: nothing larger is ever buffered.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = limit + RequestOverhead;

        var json = MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                   && string.Equals(type.MediaType, "application/json", StringComparison.OrdinalIgnoreCase);
        // A body announced as too large is refused before it is read (a client that waits for 100-continue never sends it).
        if (request.ContentLength > limit + RequestOverhead) return BodyTooLarge(json);
        try
        {
            return json ? await UploadJsonAsync(request, settings, writes, ct) : await UploadFormAsync(request, settings, writes, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return BodyTooLarge(json);
        }
    }

    private static IResult BodyTooLarge(bool json) =>
        ErrorEnvelope.Result($"{(json ? "Invalid body: Error decoding file json" : "Error parse the multi part form")}: {TooLarge}",
            status: StatusCodes.Status413PayloadTooLarge);

    private static async Task<IResult> UploadJsonAsync(HttpRequest request, KuiperSettings settings, ArtefactWrites writes, CancellationToken ct)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct);
        var (upload, error) = UploadRequest.Parse(body.GetBuffer().AsSpan(0, (int)body.Length));
        if (error is not null) return ErrorEnvelope.Result(error);
        if (upload!.File.Length == 0 && Encoding.UTF8.GetByteCount(upload.Content) > settings.Import.MaxUploadBytes)
            return ErrorEnvelope.Result($"Upload error: getFile has error: content is larger than {settings.Import.MaxUploadBytes} bytes",
                status: StatusCodes.Status413PayloadTooLarge);
        return await StoreAsync(upload, received: null, "Upload error: getFile has error", settings, writes, ct);
    }

    private static async Task<IResult> UploadFormAsync(HttpRequest request, KuiperSettings settings, ArtefactWrites writes, CancellationToken ct)
    {
        const string parseError = "Error parse the multi part form";
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !string.Equals(type.MediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return ErrorEnvelope.Result($"{parseError}: request Content-Type isn't multipart/form-data");

        IFormCollection form;
        try
        {
            // The file part is spooled to disk by ASP.NET as it arrives and cut off at the limit.
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = settings.Import.MaxUploadBytes }, ct);
        }
        catch (InvalidDataException e) when (e.Message.StartsWith("Multipart body length limit", StringComparison.Ordinal))
        {
            return ErrorEnvelope.Result($"{parseError}: {TooLarge}", status: StatusCodes.Status413PayloadTooLarge);
        }
        catch (InvalidDataException e)
        {
            return ErrorEnvelope.Result($"{parseError}: {e.Message}");
        }

        var file = form.Files.GetFile("uploadFile");
        if (file is null) return ErrorEnvelope.Result("Error Retrieving the File: http: no such file");
        if (UploadRequest.ReceivedName(file.FileName) is not { } name)
            return ErrorEnvelope.Result($"Error saving the file: invalid file name {GoQuote.Quote(file.FileName)}");

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(bytes, ct);
        var upload = UploadRequest.Received(name, settings.UploadsDir);
        return await StoreAsync(upload, new Dictionary<string, byte[]> { [upload.File] = bytes }, "Error saving the file", settings, writes, ct);
    }

    /// <summary>
    /// Checks and stages the upload on this node (its file:// is read here, as eKuiper reads it), stores the record
    /// through the coordinator, and answers once every node has the file.
    /// </summary>
    private static async Task<IResult> StoreAsync(UploadRequest upload, IReadOnlyDictionary<string, byte[]>? received, string prefix,
        KuiperSettings settings, ArtefactWrites writes, CancellationToken ct)
    {
        var written = await writes.StoreAsync(ResourceKind.Uploads, upload.Name, upload.Value, ct, received,
            settings.FetchOptions() with { MaxBytes = settings.Import.MaxUploadBytes });
        return written.Succeeded
            ? PlainReplies.Text(GoHtml.EscapeString($"{settings.UploadsDir}/{SafeZip.CleanPath(upload.Name)}"), StatusCodes.Status201Created)
            : written.Envelope(prefix);
    }

    /// <summary>The paths in this node's uploads folder, after it caught up with what other nodes received.</summary>
    private static async Task<IResult> ListAsync(KuiperSettings settings, LocalArtefacts local, CancellationToken ct)
    {
        await local.ReconcileAsync(ct);
        var folder = settings.UploadsDir;
        var paths = Directory.Exists(folder)
            ? new DirectoryInfo(folder).EnumerateFileSystemInfos().Select(i => i.Name).Order(StringComparer.Ordinal).Select(n => $"{folder}/{n}")
            : [];
        return PlainReplies.Json("[" + string.Join(',', paths.Select(GoJsonEncoder.Marshal)) + "]");
    }

    private static async Task<IResult> DeleteAsync(string name, KuiperSettings settings, ResourceStore resources, LocalArtefacts local, CancellationToken ct)
    {
        const string prefix = "Error deleting the file";
        if (name.Contains('/') || name.Contains('\\') || name == "." || SafeZip.CheckName(name) is not null)
            return ErrorEnvelope.Result($"{prefix}: removeat {name}: path escapes from parent");

        // Everything stored under that file name (an import may have used another bundle key for it).
        var stored = (await resources.ReadKindAsync(ResourceKind.Uploads, ct))
            .Where(r => r.Key == name || ArtefactRecord.Parse(r.Value)?.InstallKey == name).Select(r => r.Key).ToList();
        if (stored.Count > 0)
        {
            foreach (var key in stored)
                if (await resources.ChangeAsync(ResourceKind.Uploads, BatchOperation.Delete, key, "", ct) is { } error)
                    return ErrorEnvelope.Result($"{prefix}: {error}");
            local.AnnounceChange(Guid.NewGuid().ToString("N"));
            var outcome = await local.ReconcileAsync(ct);
            if (outcome.Error is { } passError) return ErrorEnvelope.Result($"{prefix}: removed from the cluster, not yet from this node: {passError}");
            return PlainReplies.Text("ok");
        }

        // A file put there by hand is this node's own: removed here only, as eKuiper would.
        var path = Path.Join(settings.UploadsDir, name);
        try
        {
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null) File.Delete(path);
            else if (Directory.Exists(path)) Directory.Delete(path);
            else return ErrorEnvelope.Result($"{prefix}: removeat {name}: no such file or directory");
        }
        catch (IOException) when (Directory.Exists(path))
        {
            return ErrorEnvelope.Result($"{prefix}: removeat {name}: directory not empty");
        }
        return PlainReplies.Text("ok");
    }
}
