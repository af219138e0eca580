using Akka.Util;

namespace Kuiper.Actors.Releases;

/// <summary>
/// The formats (serializer manifests) added after the first release, each with the release that added it. Such a
/// format is written, to the journal or to another node, only once every member runs that release or a newer one
/// (<see cref="MemberReleases"/>); until then the sender keeps to the earlier form, and the serializer refuses the new
/// one loudly rather than hand an older node bytes it cannot read. The rule is in docs/releases.md; the samples in
/// <c>compat/formats/</c> and the compatibility tests hold it (a manifest first sampled after the previous release must
/// be listed here, with that release).
/// </summary>
public static class FormatIntroductions
{
    /// <summary>Manifest, and the release every member must run before it is written. Empty: 0.2.0 added no format.</summary>
    public static readonly IReadOnlyDictionary<string, AppVersion> Since = new Dictionary<string, AppVersion>();

    /// <summary>
    /// Import reports that record a REST change (<c>ImportReport.Change</c>, 0.3.0): the manifest is the same, but an
    /// earlier release would take such a record for an import, so the coordinator writes one only once every member runs this.
    /// </summary>
    public static readonly AppVersion ChangeRecords = AppVersion.Create("0.3.0");

    /// <summary>
    /// Secrets sealed inside stored batches and snapshots (0.3.0): the manifests are the same, but an earlier release
    /// would take <c>enc:v1:...</c> for the password itself, so they are stored as given until every member runs this.
    /// </summary>
    public static readonly AppVersion SealedSecrets = AppVersion.Create("0.3.0");
}
