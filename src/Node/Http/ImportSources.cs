using Kuiper.Actors.Hosting;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Bundles;

namespace Kuiper.Node.Http;

/// <summary>The synchronous import's <see cref="ImportSource"/>: this node's fetch settings, its installer caught up before a <c>file:</c> read.</summary>
public static class ImportSources
{
    public static ImportSource Of(KuiperSettings settings, LocalArtefacts local) =>
        new(new UriFetcher(settings.UploadsDir, settings.Security.AllowExternalFileAccess, settings.Security.EnablePrivateNet),
            // An upload another node received is read here: let this node's installer catch up first.
            async cancellationToken => await local.ReconcileAsync(cancellationToken));
}
