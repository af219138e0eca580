using Kuiper.Domain.Resources;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Kuiper.Actors.Membership;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Releases;
using Kuiper.Messages.Resources;

namespace Kuiper.Node.Inspection;

/// <summary>
/// The Akka queries behind the inspection endpoints: cluster membership from <see cref="Cluster.State"/>, sharding
/// from the region actors' own queries (<see cref="GetCurrentRegions"/>, <see cref="GetClusterShardingStats"/>,
/// <see cref="GetShardRegionState"/>, <see cref="GetEntityLocation"/>).
/// </summary>
public sealed class ClusterInspector(ActorSystem system)
{
    /// <summary>How long a region (and, for cluster-wide stats, every region it asks) may take to answer.</summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(10);

    private Cluster Cluster => Cluster.Get(system);

    private ClusterSharding Sharding => ClusterSharding.Get(system);

    public ClusterMembersView Members()
    {
        var state = Cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        var byAge = state.Members.OrderBy(m => m, Member.AgeOrdering).ToList();
        // Akka keeps singletons on the oldest member that is up or leaving (its hand-over is under way).
        var oldest = byAge.FirstOrDefault(m => m.Status is MemberStatus.Up or MemberStatus.Leaving && m.HasRole(Kuiper.Actors.Hosting.ClusterSettings.Role));
        var members = byAge
            .Select(m => new MemberView(
                m.Address.ToString(),
                m.Roles.Where(r => !NodeLabels.IsLabel(r)).Order(StringComparer.Ordinal).ToArray(),
                m.Status.ToString(),
                !unreachable.Contains(m.UniqueAddress),
                m.AppVersion.Version,
                NodeLabels.Of(m.Roles)))
            .ToArray();
        return new ClusterMembersView(Cluster.SelfAddress.ToString(), ThisRelease.Informational, state.Leader?.ToString(), members,
            oldest?.Address.ToString());
    }

    /// <summary>
    /// The member at <paramref name="address"/>, as this node sees the membership. The protocol is not compared: with
    /// remoting over TLS members are <c>akka.ssl.tcp://</c>, and operators may keep writing <c>akka.tcp://</c>.
    /// </summary>
    public Member? FindMember(Address address) => Cluster.State.Members.FirstOrDefault(m =>
        m.Address.System == address.System && m.Address.Host == address.Host && m.Address.Port == address.Port);

    public void Leave(Address address) => Cluster.Leave(address);

    public void Down(Address address) => Cluster.Down(address);

    /// <summary>Downs every member this node sees as unreachable and not already down; returns them.</summary>
    public IReadOnlyList<Address> DownUnreachable()
    {
        var targets = Cluster.State.Unreachable
            .Where(m => m.Status is not (MemberStatus.Down or MemberStatus.Removed))
            .Select(m => m.Address)
            .OrderBy(a => a, Member.AddressOrdering)
            .ToArray();
        foreach (var address in targets) Cluster.Down(address);
        return targets;
    }

    /// <summary>The region types started on this node, resource kinds in bundle order first.</summary>
    public IReadOnlyList<string> RegionTypes()
    {
        var order = ResourceKinds.All.Select(k => k.RegionName()).ToList();
        return Sharding.ShardTypeNames
            .OrderBy(name => order.IndexOf(name) is var i && i >= 0 ? i : int.MaxValue)
            .ThenBy(name => name, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>True when a region of this type runs here; <see cref="ClusterSharding.ShardRegion"/> throws otherwise.</summary>
    public bool HasRegion(string type) => Sharding.ShardTypeNames.Contains(type);

    public async Task<RegionsView> RegionsAsync(CancellationToken cancellationToken)
    {
        var regions = await Task.WhenAll(RegionTypes().Select(async type =>
        {
            var nodes = await CurrentRegionsAsync(type, cancellationToken);
            return new RegionView(type, nodes.Select(a => a.ToString()).ToArray());
        }));
        return new RegionsView(regions);
    }

    /// <summary>
    /// Cluster-wide stats through the shard coordinator. Akka answers with no regions at all when any region misses
    /// the timeout, so every registered region is listed, those without stats as not answered.
    /// </summary>
    public async Task<RegionStatsView> RegionStatsAsync(string type, CancellationToken cancellationToken)
    {
        var region = Sharding.ShardRegion(type);
        var statsTask = region.Ask<ClusterShardingStats>(
            new GetClusterShardingStats(QueryTimeout), QueryTimeout + TimeSpan.FromSeconds(5), cancellationToken);
        var registered = await CurrentRegionsAsync(type, cancellationToken);
        var stats = await statsTask;

        var nodes = registered.Concat(stats.Regions.Keys).Distinct()
            .OrderBy(a => a, Member.AddressOrdering)
            .Select(address => stats.Regions.TryGetValue(address, out var regionStats)
                ? new NodeShardsView(
                    address.ToString(),
                    true,
                    regionStats.Stats.OrderBy(s => s.Key, ShardIdComparer.Instance)
                        .Select(s => new ShardCountView(s.Key, s.Value)).ToArray(),
                    regionStats.Failed.Order(ShardIdComparer.Instance).ToArray())
                : new NodeShardsView(address.ToString(), false, [], []))
            .ToArray();
        return new RegionStatsView(type, nodes);
    }

    /// <summary>The shards and entity ids of this node's region.</summary>
    public async Task<ShardStatsView> ShardStatsAsync(string type, CancellationToken cancellationToken)
    {
        var state = await Sharding.ShardRegion(type)
            .Ask<CurrentShardRegionState>(GetShardRegionState.Instance, QueryTimeout, cancellationToken);
        var shards = state.Shards
            .OrderBy(s => s.ShardId, ShardIdComparer.Instance)
            .Select(s => new ShardView(s.ShardId, s.EntityIds.Order(StringComparer.Ordinal).ToArray()))
            .ToArray();
        return new ShardStatsView(type, Cluster.SelfAddress.ToString(), shards, state.Failed.Order(ShardIdComparer.Instance).ToArray());
    }

    /// <summary>
    /// Where one entity lives. The local region knows the home of the shards it hosts or has sent to; for any other
    /// shard it reports "not allocated", so the cluster-wide stats are consulted before saying so.
    /// </summary>
    public async Task<EntityLocationView> LocateAsync(string type, string entityId, string shardId, CancellationToken cancellationToken)
    {
        var region = Sharding.ShardRegion(type);
        var location = await region.Ask<EntityLocation>(
            new GetEntityLocation(entityId, QueryTimeout), QueryTimeout + TimeSpan.FromSeconds(5), cancellationToken);
        if (!location.ShardRegion.Equals(Address.AllSystems))
            return new EntityLocationView(type, entityId, shardId, location.ShardRegion.ToString(), location.EntityRef.HasValue);

        var stats = await region.Ask<ClusterShardingStats>(
            new GetClusterShardingStats(QueryTimeout), QueryTimeout + TimeSpan.FromSeconds(5), cancellationToken);
        foreach (var (address, regionStats) in stats.Regions)
        {
            // One partition entity per shard (PartitionMessageExtractor): a live entity in the shard is this entity.
            if (regionStats.Stats.TryGetValue(shardId, out var count))
                return new EntityLocationView(type, entityId, shardId, address.ToString(), count > 0);
        }
        return new EntityLocationView(type, entityId, shardId, null, false);
    }

    /// <summary>The shard of a partition entity id (<c>p00</c>..<c>p15</c>), computed by the regions' own extractor.</summary>
    public static bool TryShardOf(string entityId, out string shardId)
    {
        shardId = "";
        if (entityId.Length != 3 || entityId[0] != 'p' || !char.IsAsciiDigit(entityId[1]) || !char.IsAsciiDigit(entityId[2]))
            return false;
        if (PartitionScheme.ParseEntityId(entityId) >= PartitionScheme.PartitionCount) return false;
        shardId = new PartitionMessageExtractor().ShardId(entityId, messageHint: null);
        return true;
    }

    private async Task<IReadOnlyList<Address>> CurrentRegionsAsync(string type, CancellationToken cancellationToken)
    {
        var current = await Sharding.ShardRegion(type)
            .Ask<CurrentRegions>(GetCurrentRegions.Instance, QueryTimeout, cancellationToken);
        return current.Regions.OrderBy(a => a, Member.AddressOrdering).ToArray();
    }
}

/// <summary>Shard ids are partition numbers: "2" before "10".</summary>
public sealed class ShardIdComparer : IComparer<string>
{
    public static readonly ShardIdComparer Instance = new();

    public int Compare(string? x, string? y) =>
        int.TryParse(x, out var a) && int.TryParse(y, out var b) ? a.CompareTo(b) : string.CompareOrdinal(x, y);
}
