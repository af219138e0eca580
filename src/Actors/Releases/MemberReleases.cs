using Akka.Actor;
using Akka.Cluster;
using Akka.Util;

namespace Kuiper.Actors.Releases;

/// <summary>
/// Which releases the cluster's members run, as this node sees the membership: the app version each joined with. A
/// member counts from the moment it asks to join until it is removed, so a node of an older release that is joining,
/// leaving or down still holds a new format back.
/// </summary>
public static class MemberReleases
{
    /// <summary>A member (this node included) that runs a release older than <paramref name="release"/>; null when none does.</summary>
    public static Member? OlderThan(ActorSystem system, AppVersion release)
    {
        // Outside a cluster (a tool, a single actor test) this node is the only reader.
        if (((ExtendedActorSystem)system).Provider is not ClusterActorRefProvider) return null;
        var cluster = Cluster.Get(system);
        return cluster.State.Members.Append(cluster.SelfMember)
            .FirstOrDefault(m => m.Status != MemberStatus.Removed && m.AppVersion.CompareTo(release) < 0);
    }

    /// <summary>Whether every member runs <paramref name="release"/> or newer: a format it added may be written.</summary>
    public static bool EveryMemberRuns(ActorSystem system, AppVersion release) => OlderThan(system, release) is null;
}
