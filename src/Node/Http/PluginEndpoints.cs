using System.Text;
using System.Text.Json;
using Kuiper.Actors.Installation;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.GoCompat;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Http;

/// <summary>
/// eKuiper's native (<c>/plugins/{sources|sinks|functions}</c>, <c>/plugins/udfs</c>) and portable
/// (<c>/plugins/portables</c>) plugin endpoints. A write builds the bundle item an import carries and goes through
/// <see cref="ArtefactWrites"/>: fetched and checked as an import's, stored through the coordinator, installed on every
/// member before the reply. No plugin code is loaded or run here, so nothing ever needs a restart.
/// </summary>
public static class PluginEndpoints
{
    private static readonly string[] NativeTypes = ["sources", "sinks", "functions"];

    public static IEndpointRouteBuilder MapPlugins(this IEndpointRouteBuilder app)
    {
        // Literal segments win over {type} in ASP.NET's routing, as the earlier registrations win in eKuiper's.
        app.MapGet("/plugins/portables", (ResourceStore resources, ArtefactStore store, CancellationToken ct) =>
            ArtefactReads.AllDetailsAsync(ResourceKind.PortablePlugins, resources, store, ct));
        app.MapPost("/plugins/portables", CreatePortableAsync);
        app.MapGet("/plugins/portables/{name}", (string name, ResourceStore resources, ArtefactStore store, CancellationToken ct) =>
            ArtefactReads.OneAsync(ResourceKind.PortablePlugins, name,
                () => ArtefactReads.NotFound($"describe portable plugin {name} error: not found"), resources, store, ct));
        app.MapPut("/plugins/portables/{name}", UpdatePortableAsync);
        app.MapDelete("/plugins/portables/{name}", DeletePortableAsync);
        app.MapGet("/plugins/portables/{name}/status", PortableStatusAsync);
        app.MapGet("/plugins/udfs", ListFunctionsAsync);
        app.MapGet("/plugins/udfs/{name}", DescribeFunctionAsync);
        app.MapPost("/plugins/functions/{name}/register", RegisterFunctionsAsync);
        app.MapGet("/plugins/{type}", ListNativeAsync);
        app.MapPost("/plugins/{type}", CreateNativeAsync);
        app.MapGet("/plugins/{type}/{name}", DescribeNativeAsync);
        app.MapPut("/plugins/{type}/{name}", UpdateNativeAsync);
        app.MapDelete("/plugins/{type}/{name}", DeleteNativeAsync);
        return app;
    }

    // ---- native plugins ------------------------------------------------------------------------------------------

    /// <summary>eKuiper has a route per type; any other type is no route there, answered here with what is wrong.</summary>
    private static IResult InvalidType(string type) => ArtefactReads.NotFound($"invalid plugin type {type}");

    private static string CreateError(string type) => $"{type} plugins create command error";

    private static async Task<IResult> ListNativeAsync(string type, ResourceStore resources, CancellationToken ct)
    {
        if (!NativeTypes.Contains(type)) return InvalidType(type);
        var prefix = type + "_";
        return ArtefactReads.Names((await ArtefactReads.AllAsync(ResourceKind.NativePlugins, resources, ct))
            .Where(a => a.Record.InstallKey.StartsWith(prefix, StringComparison.Ordinal)).Select(a => a.Record.InstallKey[prefix.Length..]));
    }

    private static async Task<IResult> CreateNativeAsync(string type, HttpRequest request, ResourceStore resources, ArtefactWrites writes,
        CancellationToken ct)
    {
        if (!NativeTypes.Contains(type)) return InvalidType(type);
        var (plugin, decodeError) = ArtefactRequests.Plugin(await RequestBody.ReadAsync(request, ct), type == "functions");
        if (plugin is null) return ErrorEnvelope.Result($"Invalid body: Error decoding the {type} plugin json: {decodeError}");
        if (ResourceId.Check(plugin.Name) is { } idError) return ErrorEnvelope.Result(idError);

        var key = $"{type}_{plugin.Name}";
        if (await DuplicateAsync(ResourceKind.NativePlugins, key, plugin, resources, ct))
            return ErrorEnvelope.Result($"{CreateError(type)}: invalid name {plugin.Name}: duplicate");
        var written = await writes.StoreAsync(ResourceKind.NativePlugins, key, plugin.ItemJson(), ct, create: true);
        if (written.AlreadyStored) return ErrorEnvelope.Result($"{CreateError(type)}: invalid name {plugin.Name}: duplicate");
        return written.Succeeded
            ? PlainReplies.Text($"{type} plugin {plugin.Name} is created", StatusCodes.Status201Created)
            : written.Envelope(CreateError(type));
    }

    private static async Task<IResult> DescribeNativeAsync(string type, string name, ResourceStore resources, ArtefactStore store, CancellationToken ct)
    {
        if (!NativeTypes.Contains(type)) return InvalidType(type);
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        return await ArtefactReads.OneAsync(ResourceKind.NativePlugins, $"{type}_{name}",
            () => ArtefactReads.NotFound($"describe {type} plugin {name} error: not found"), resources, store, ct);
    }

    /// <summary>
    /// eKuiper deletes the plugin named in the path, then registers the body's. Here the body's is stored first and
    /// the old one removed after, so a refused body changes nothing.
    /// </summary>
    private static async Task<IResult> UpdateNativeAsync(string type, string name, HttpRequest request, ResourceStore resources,
        ArtefactWrites writes, CancellationToken ct)
    {
        if (!NativeTypes.Contains(type)) return InvalidType(type);
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var (plugin, decodeError) = ArtefactRequests.Plugin(await RequestBody.ReadAsync(request, ct), type == "functions");
        if (plugin is null) return ErrorEnvelope.Result($"Invalid body: Error decoding the {type} plugin json: {decodeError}");
        if (await ArtefactReads.FindAsync(ResourceKind.NativePlugins, $"{type}_{name}", resources, ct) is not { } old)
            return ArtefactReads.NotFound($"update {type} plugin {name} error, cannot delete old version: invalid name {name}: not exist");

        var key = $"{type}_{plugin.Name}";
        var renamed = key != old.Record.InstallKey;
        if (renamed && await DuplicateAsync(ResourceKind.NativePlugins, key, plugin, resources, ct))
            return ErrorEnvelope.Result($"{CreateError(type)}: invalid name {plugin.Name}: duplicate");
        var written = await writes.StoreAsync(ResourceKind.NativePlugins, renamed ? key : old.Key, plugin.ItemJson(), ct);
        if (!written.Succeeded) return written.Envelope(CreateError(type));
        if (renamed && (await writes.DeleteAsync(ResourceKind.NativePlugins, old.Key, ct)).Result is { Succeeded: false } removal)
            return removal.Envelope($"update {type} plugin {name} error, cannot delete old version");
        return PlainReplies.Text($"plugin {plugin.Name} is updated");
    }

    /// <summary>
    /// <c>?stop=1</c> (exactly <c>1</c>, as eKuiper reads it) makes eKuiper exit so that the deletion takes effect; a
    /// node runs no plugin code, so the deletion is in effect at once and the node keeps running: the reply says so.
    /// </summary>
    private static async Task<IResult> DeleteNativeAsync(string type, string name, HttpRequest request, ResourceStore resources,
        ArtefactWrites writes, CancellationToken ct)
    {
        if (!NativeTypes.Contains(type)) return InvalidType(type);
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var stop = request.Query["stop"].FirstOrDefault() == "1";
        var prefix = $"delete {type} plugin {name} error";
        var notFound = ArtefactReads.NotFound($"{prefix}: invalid name {name}: not exist");
        if (await ArtefactReads.FindAsync(ResourceKind.NativePlugins, $"{type}_{name}", resources, ct) is not { } found) return notFound;
        var (present, result) = await writes.DeleteAsync(ResourceKind.NativePlugins, found.Key, ct);
        if (!present) return notFound;
        if (!result.Succeeded) return result.Envelope(prefix);
        var said = $"{type} plugin {name} is deleted";
        if (stop) said += " and removed from every node; the node was not stopped: it runs no plugins, so nothing needs a restart";
        return PlainReplies.Text(GoHtml.EscapeString(said));
    }

    /// <summary>eKuiper checks the URI before the name's uniqueness: a duplicate with a bad URI is refused for its URI.</summary>
    private static async Task<bool> DuplicateAsync(ResourceKind kind, string installKey, PluginRequest plugin, ResourceStore resources, CancellationToken ct) =>
        GoUrl.IsValidUrl(plugin.File) && plugin.File.EndsWith(".zip", StringComparison.Ordinal)
        && await ArtefactReads.FindAsync(kind, installKey, resources, ct) is not null;

    // ---- functions of native function plugins ---------------------------------------------------------------------

    private static async Task<IReadOnlyList<(string Function, string Plugin)>> FunctionsAsync(ResourceStore resources, CancellationToken ct) =>
        (await ArtefactReads.AllAsync(ResourceKind.NativePlugins, resources, ct))
        .Where(a => a.Record.InstallKey.StartsWith("functions_", StringComparison.Ordinal))
        .SelectMany(a => a.Record.Functions.Select(f => (f, ArtefactReads.NameOf(ResourceKind.NativePlugins, a.Record.InstallKey))))
        .ToList();

    private static async Task<IResult> ListFunctionsAsync(ResourceStore resources, CancellationToken ct) =>
        ArtefactReads.Names((await FunctionsAsync(resources, ct)).Select(f => f.Function));

    private static async Task<IResult> DescribeFunctionAsync(string name, ResourceStore resources, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        var owner = (await FunctionsAsync(resources, ct)).FirstOrDefault(f => f.Function == name).Plugin;
        return owner is null
            ? ArtefactReads.NotFound($"describe function {name} error: not found")
            : PlainReplies.Json(JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = name, ["plugin"] = owner }));
    }

    /// <summary>
    /// The plugin's item is stored again with the new <c>functions</c>, checked against the bytes the cluster already
    /// holds for it (the URI is not fetched again).
    /// </summary>
    private static async Task<IResult> RegisterFunctionsAsync(string name, HttpRequest request, ResourceStore resources, ArtefactStore store,
        ArtefactWrites writes, CancellationToken ct)
    {
        if (ResourceId.Check(name) is { } idError) return ErrorEnvelope.Result(idError);
        if (await ArtefactReads.FindAsync(ResourceKind.NativePlugins, $"functions_{name}", resources, ct) is not { } found)
            return ArtefactReads.NotFound($"register functions plugin {name} error: not found");
        var (functions, decodeError) = ArtefactRequests.FunctionList(await RequestBody.ReadAsync(request, ct));
        // eKuiper formats the request body reader into this text (%s of a Go struct): its bytes are not reproducible.
        if (functions is null) return ErrorEnvelope.Result($"Invalid body: Error decoding the function list json: {decodeError}");
        var prefix = $"function plugins {name} regiser functions error"; // sic, eKuiper's text
        if (functions.Count == 0) return ErrorEnvelope.Result($"{prefix}: property 'functions' must not be empty");

        var (stored, _) = ArtefactRequests.Plugin(Encoding.UTF8.GetBytes(found.Record.Value), functionPlugin: true);
        if (stored is null) return ErrorEnvelope.Result($"{prefix}: the stored plugin cannot be read");
        var written = await writes.StoreAsync(ResourceKind.NativePlugins, found.Key, (stored with { Functions = functions }).ItemJson(), ct,
            await ArtefactReads.FetchedBytesAsync(found.Record, store, ct));
        return written.Succeeded ? PlainReplies.Text($"function plugin {name} function list is registered") : written.Envelope(prefix);
    }

    // ---- portable plugins ----------------------------------------------------------------------------------------

    private static async Task<IResult> CreatePortableAsync(HttpRequest request, ResourceStore resources, ArtefactWrites writes, CancellationToken ct)
    {
        const string prefix = "portable plugin create command error";
        var (plugin, decodeError) = ArtefactRequests.Plugin(await RequestBody.ReadAsync(request, ct), functionPlugin: false);
        if (plugin is null) return ErrorEnvelope.Result($"Invalid body: Error decoding the portable plugin json: {decodeError}");
        if (await DuplicateAsync(ResourceKind.PortablePlugins, plugin.Name, plugin, resources, ct))
            return ErrorEnvelope.Result($"{prefix}: invalid name {plugin.Name}: duplicate");
        var written = await writes.StoreAsync(ResourceKind.PortablePlugins, plugin.Name, plugin.ItemJson(), ct, create: true);
        if (written.AlreadyStored) return ErrorEnvelope.Result($"{prefix}: invalid name {plugin.Name}: duplicate");
        return written.Succeeded
            ? PlainReplies.Text($"portable plugin {plugin.Name} is created", StatusCodes.Status201Created)
            : written.Envelope(prefix);
    }

    /// <summary>As for native plugins, the body's plugin is stored first and the path's removed after when they differ.</summary>
    private static async Task<IResult> UpdatePortableAsync(string name, HttpRequest request, ResourceStore resources, ArtefactWrites writes,
        CancellationToken ct)
    {
        const string prefix = "portable plugin update command error";
        var (plugin, decodeError) = ArtefactRequests.Plugin(await RequestBody.ReadAsync(request, ct), functionPlugin: false);
        if (plugin is null) return ErrorEnvelope.Result($"Invalid body: Error decoding the portable plugin json: {decodeError}");
        var old = await ArtefactReads.FindAsync(ResourceKind.PortablePlugins, name, resources, ct);
        var renamed = plugin.Name != old?.Record.InstallKey;
        if (renamed && await DuplicateAsync(ResourceKind.PortablePlugins, plugin.Name, plugin, resources, ct))
            return ErrorEnvelope.Result($"{prefix}: invalid name {plugin.Name}: duplicate");
        var written = await writes.StoreAsync(ResourceKind.PortablePlugins, renamed ? plugin.Name : old!.Key, plugin.ItemJson(), ct);
        if (!written.Succeeded) return written.Envelope(prefix);
        // eKuiper only logs a failed removal of the old plugin.
        if (renamed && old is not null) await writes.DeleteAsync(ResourceKind.PortablePlugins, old.Key, ct);
        return PlainReplies.Text($"portable plugin {plugin.Name} is updated");
    }

    private static async Task<IResult> DeletePortableAsync(string name, ResourceStore resources, ArtefactWrites writes, CancellationToken ct)
    {
        var prefix = $"delete portable plugin {name} error";
        var notFound = ErrorEnvelope.Result($"{prefix}: portable plugin {name} is not found");
        if (await ArtefactReads.FindAsync(ResourceKind.PortablePlugins, name, resources, ct) is not { } found) return notFound;
        var (present, result) = await writes.DeleteAsync(ResourceKind.PortablePlugins, found.Key, ct);
        if (!present) return notFound;
        return result.Succeeded ? PlainReplies.Text($"portable plugin {name} is deleted") : result.Envelope(prefix);
    }

    /// <summary>
    /// eKuiper's status of the plugin's process. No process is started here: a stored plugin is <c>stop</c> with no
    /// rule referring to it, plus where it is installed (ours: <c>nodes</c>).
    /// </summary>
    private static async Task<IResult> PortableStatusAsync(string name, ResourceStore resources, ArtefactStore store, CancellationToken ct)
    {
        if (await ArtefactReads.FindAsync(ResourceKind.PortablePlugins, name, resources, ct) is not { } found)
            return ArtefactReads.NotFound($"portable plugin {name} not found: not found");
        var status = new
        {
            refCount = new Dictionary<string, int>(),
            status = "stop",
            errMsg = "",
            nodes = await ArtefactReads.NodesAsync(ResourceKind.PortablePlugins, found.Record, store, ct),
        };
        return PlainReplies.Json(JsonSerializer.Serialize(status, GoJsonLimits.Serializer));
    }
}
