using System.Text.Json;
using Kuiper.Actors.Installation;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's external service endpoints (<c>/services</c>, <c>/services/functions</c>). A write builds the bundle item
/// an import carries (<c>{"name","file"}</c>) and goes through <see cref="ArtefactWrites"/>.
/// </summary>
public static class ServiceEndpoints
{
    // eKuiper's text, its "%s" never formatted.
    private const string DecodeError = "Invalid body: Error decoding the %s service request payload";

    public static IEndpointRouteBuilder MapServices(this IEndpointRouteBuilder app)
    {
        app.MapGet("/services", async (ResourceStore resources, CancellationToken ct) =>
            ArtefactReads.Names((await ArtefactReads.AllAsync(ResourceKind.Service, resources, ct)).Select(a => a.Record.InstallKey)));
        app.MapPost("/services", CreateAsync);
        app.MapGet("/services/functions", ListFunctionsAsync);
        app.MapGet("/services/functions/{name}", DescribeFunctionAsync);
        app.MapGet("/services/{name}", DescribeAsync);
        app.MapPut("/services/{name}", UpdateAsync);
        app.MapDelete("/services/{name}", DeleteAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ResourceStore resources, ArtefactWrites writes, CancellationToken ct)
    {
        const string prefix = "service create command error";
        var (service, decodeError) = ArtefactRequests.Service(await RequestBody.ReadAsync(request, ct));
        if (service is null) return ErrorEnvelope.Result($"{DecodeError}: {decodeError}");
        if (ResourceId.Check(service.Name) is { } idError) return ErrorEnvelope.Result(idError);
        if (await ArtefactReads.FindAsync(ResourceKind.Service, service.Name, resources, ct) is not null)
            return ErrorEnvelope.Result($"{prefix}: service {service.Name} exist");
        var written = await writes.StoreAsync(ResourceKind.Service, service.Name, service.ItemJson(), ct, create: true);
        if (written.AlreadyStored) return ErrorEnvelope.Result($"{prefix}: service {service.Name} exist");
        return written.Succeeded
            ? PlainReplies.Text($"service {service.Name} is created", StatusCodes.Status201Created)
            : written.Envelope(prefix);
    }

    private static async Task<IResult> DescribeAsync(string name, ResourceStore resources, ArtefactStore store, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        return await ArtefactReads.OneAsync(ResourceKind.Service, name,
            () => ArtefactReads.NotFound($"describe service {name} error: not found"), resources, store, ct);
    }

    /// <summary>eKuiper deletes the service, then creates it from the body under the path's name.</summary>
    private static async Task<IResult> UpdateAsync(string name, HttpRequest request, ResourceStore resources, ArtefactWrites writes,
        CancellationToken ct)
    {
        const string prefix = "service update command error";
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var (service, decodeError) = ArtefactRequests.Service(await RequestBody.ReadAsync(request, ct));
        if (service is null) return ErrorEnvelope.Result($"{DecodeError}: {decodeError}");
        if (await ArtefactReads.FindAsync(ResourceKind.Service, name, resources, ct) is not { } old)
            return ArtefactReads.NotFound($"{prefix}: {name} is not found");
        var written = await writes.StoreAsync(ResourceKind.Service, old.Key, (service with { Name = name }).ItemJson(), ct);
        return written.Succeeded ? PlainReplies.Text($"service {name} is updated") : written.Envelope(prefix);
    }

    private static async Task<IResult> DeleteAsync(string name, ResourceStore resources, ArtefactWrites writes, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var prefix = $"delete service {name} error";
        var notFound = ArtefactReads.NotFound($"{prefix}: {name} is not found");
        if (await ArtefactReads.FindAsync(ResourceKind.Service, name, resources, ct) is not { } found) return notFound;
        var (present, result) = await writes.DeleteAsync(ResourceKind.Service, found.Key, ct);
        if (!present) return notFound;
        return result.Succeeded ? PlainReplies.Text($"service {name} is deleted") : result.Envelope(prefix);
    }

    /// <summary>
    /// eKuiper's function containers, from what the node knows of a service: the functions its descriptor names. The
    /// interface, address and method of a function come from its .proto file, which is not parsed here: left out.
    /// </summary>
    private static async Task<IReadOnlyList<ServiceFunction>> FunctionsAsync(ResourceStore resources, CancellationToken ct) =>
        (await ArtefactReads.AllAsync(ResourceKind.Service, resources, ct))
        .SelectMany(a => a.Record.Functions.Select(f => new ServiceFunction(f, a.Record.InstallKey)))
        .OrderBy(f => f.FuncName, StringComparer.Ordinal).ToList();

    private static async Task<IResult> ListFunctionsAsync(ResourceStore resources, CancellationToken ct) =>
        PlainReplies.Json(JsonSerializer.Serialize(await FunctionsAsync(resources, ct), GoJsonLimits.Serializer));

    private static async Task<IResult> DescribeFunctionAsync(string name, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        return (await FunctionsAsync(resources, ct)).FirstOrDefault(f => f.FuncName == name) is { } function
            ? PlainReplies.Json(JsonSerializer.Serialize(function, GoJsonLimits.Serializer))
            : ArtefactReads.NotFound($"describe function {name} error: not found");
    }

    /// <summary>eKuiper's <c>functionContainer</c> fields (no JSON tags, so Go's field names) that the node knows.</summary>
    private sealed record ServiceFunction(string FuncName, string ServiceName);
}
