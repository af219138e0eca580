using System.Reflection;
using Akka.Util;

namespace Kuiper.Actors.Releases;

/// <summary>
/// The release this build is: the semantic version of <c>Directory.Build.props</c> and the commit it was built from.
/// It is the node's version everywhere it shows (<c>GET /</c>, <c>cluster show</c>, the console, <c>/metrics</c>) and
/// the cluster's <c>app-version</c>, by which members tell releases apart during a rolling upgrade.
/// </summary>
public static class ThisRelease
{
    /// <summary>The SDK's informational version: the version, <c>+</c>, the commit, e.g. <c>0.2.0+5ef88f1c…</c>.</summary>
    public static string Informational { get; } =
        typeof(ThisRelease).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ThisRelease).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";

    /// <summary>The semantic version, e.g. <c>0.2.0</c>.</summary>
    public static string Version { get; } = Informational.Split('+')[0];

    /// <summary>The commit the build was made from (the SDK appends it to the informational version); empty outside git.</summary>
    public static string Commit { get; } = Informational.Contains('+') ? Informational[(Informational.IndexOf('+') + 1)..] : "";

    /// <summary>The cluster's app version for this node.</summary>
    public static AppVersion AppVersion { get; } = AppVersion.Create(Version);
}
