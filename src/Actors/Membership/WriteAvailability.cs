using Akka.Cluster;

namespace Kuiper.Actors.Membership;

/// <summary>
/// Whether this node can take a write now, from its own view of the cluster. A write needs the coordinator and the
/// partitions it touches, wherever they run: while a member is unreachable, some of them may be out of reach until the
/// split brain resolver removes it. A node on the losing side of a partition (fewer than half the members, or half
/// without the oldest address, as keep-majority decides) is <see cref="CutOff"/>: it will be downed, and its writes
/// would only wait and fail.
/// </summary>
public static class WriteAvailability
{
    /// <summary>Null when writes can be taken now; otherwise why not, in words for an operator.</summary>
    public static string? WhyNot(ClusterEvent.CurrentClusterState state, Member self) =>
        CutOff(state, self) ?? (state.Unreachable.Count > 0
            ? $"{string.Join(", ", state.Unreachable.Select(m => m.Address))} unreachable: writes to what it holds wait until it is back or removed"
            : null);

    /// <summary>Null unless this node is cut off from the cluster (or not an Up member of it): then why, in words for an operator.</summary>
    public static string? CutOff(ClusterEvent.CurrentClusterState state, Member self)
    {
        if (self.Status != MemberStatus.Up)
            return $"this node is not an Up member of the cluster (it is {self.Status})";
        if (state.Unreachable.Count == 0) return null;
        var members = state.Members.Where(m => m.Status is MemberStatus.Up or MemberStatus.Leaving).ToList();
        var reachable = members.Where(m => !state.Unreachable.Contains(m)).ToList();
        var onWinningSide = reachable.Count * 2 > members.Count ||
                            (reachable.Count * 2 == members.Count && reachable.Contains(members.MinBy(m => m.Address, Member.AddressOrdering)!));
        return onWinningSide
            ? null
            : $"this node is cut off from the cluster: it reaches {reachable.Count} of {members.Count} members";
    }
}
