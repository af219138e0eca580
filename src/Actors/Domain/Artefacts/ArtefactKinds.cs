using Kuiper.Messages.Resources;

namespace Kuiper.Domain.Artefacts;

/// <summary>The bundle kinds that carry files, and their artefact kind.</summary>
public static class ArtefactKinds
{
    public static readonly IReadOnlyDictionary<ResourceKind, ArtefactKind> ByResource = new Dictionary<ResourceKind, ArtefactKind>
    {
        [ResourceKind.NativePlugins] = ArtefactKind.NativePlugin,
        [ResourceKind.PortablePlugins] = ArtefactKind.PortablePlugin,
        [ResourceKind.Service] = ArtefactKind.Service,
        [ResourceKind.Schema] = ArtefactKind.Schema,
        [ResourceKind.Uploads] = ArtefactKind.Upload,
        [ResourceKind.Scripts] = ArtefactKind.Script,
    };

    public static bool IsArtefact(this ResourceKind kind) => ByResource.ContainsKey(kind);

    /// <summary>
    /// On a partial import these are installed only when absent (an existing one is left as it is, silently);
    /// a service that exists is an error; uploads and scripts are overwritten.
    /// </summary>
    public static bool InstallOnlyIfAbsent(this ResourceKind kind) =>
        kind is ResourceKind.NativePlugins or ResourceKind.PortablePlugins or ResourceKind.Schema;
}
