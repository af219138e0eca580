using System.Text.Encodings.Web;
using System.Text.Json;

namespace Kuiper.Node.Inspection;

// The JSON bodies of the /cluster endpoints. The client verbs read the same records, so the two cannot drift.

/// <summary><c>GET /cluster/members</c>: the membership as the node asked sees it.</summary>
/// <param name="Self">The remoting address of the node that answered.</param>
/// <param name="NodeVersion">The answering node's release and commit, e.g. <c>0.2.0+5ef88f1c…</c> (<see cref="Kuiper.Actors.Releases.ThisRelease.Informational"/>).</param>
/// <param name="Leader">The cluster leader, <c>null</c> while there is none.</param>
/// <param name="Members">Oldest first: the order in which members took part, the first being where the singletons run.</param>
/// <param name="Oldest">
/// The oldest member that is up: where the cluster singletons (the import coordinator, the task book) run. In a rolling
/// upgrade it is replaced last, so that they move once, onto a node of the new release.
/// </param>
public sealed record ClusterMembersView(string Self, string NodeVersion, string? Leader, IReadOnlyList<MemberView> Members, string? Oldest = null);

/// <param name="Status">Akka's <c>MemberStatus</c> name: <c>Joining</c>, <c>Up</c>, <c>Leaving</c>, <c>Exiting</c>, <c>Down</c>...</param>
/// <param name="Reachable">Whether the failure detectors of the node asked consider the member reachable.</param>
/// <param name="AppVersion">The version the member joined with (Akka's <c>akka.cluster.app-version</c>).</param>
/// <param name="Roles">Akka's roles, but for the ones that carry labels</param>
/// <param name="Labels">the member's labels (<c>Kuiper:Node:Labels</c>), sorted by key</param>
public sealed record MemberView(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable, string AppVersion,
    IReadOnlyDictionary<string, string>? Labels = null);

/// <summary>The body of <c>POST /cluster/leave</c> and <c>POST /cluster/down</c>.</summary>
public sealed record MembershipRequest(string? Address);

/// <summary>What a membership action was applied to: <c>leave</c>, <c>down</c> or <c>down-unreachable</c>.</summary>
public sealed record MembershipActionView(string Action, IReadOnlyList<string> Addresses);

/// <summary><c>GET /cluster/sharding/regions</c>.</summary>
public sealed record RegionsView(IReadOnlyList<RegionView> Regions);

/// <param name="Type">The region (entity type) name, e.g. <c>rules</c>.</param>
/// <param name="Nodes">The nodes with a region of this type registered at the shard coordinator.</param>
public sealed record RegionView(string Type, IReadOnlyList<string> Nodes);

/// <summary><c>GET /cluster/sharding/regions/{type}/stats</c>: shards and entities per node, cluster-wide.</summary>
public sealed record RegionStatsView(string Type, IReadOnlyList<NodeShardsView> Nodes);

/// <param name="Answered">False when the node's region did not reply in time; its counts are then unknown (zero).</param>
/// <param name="Shards">The shards hosted on the node, with their live entity counts, in shard order.</param>
/// <param name="FailedShards">Shards of the node that did not report in time.</param>
public sealed record NodeShardsView(
    string Address, bool Answered, IReadOnlyList<ShardCountView> Shards, IReadOnlyList<string> FailedShards)
{
    public int EntityCount => Shards.Sum(s => s.Entities);
}

public sealed record ShardCountView(string ShardId, int Entities);

/// <summary><c>GET /cluster/sharding/regions/{type}/shards</c>: the shards and entities of the node asked.</summary>
public sealed record ShardStatsView(string Type, string Node, IReadOnlyList<ShardView> Shards, IReadOnlyList<string> FailedShards);

public sealed record ShardView(string ShardId, IReadOnlyList<string> EntityIds);

/// <summary><c>GET /cluster/sharding/regions/{type}/entities/{id}</c>.</summary>
/// <param name="Node">The node whose region hosts the shard; <c>null</c> while the shard is not allocated.</param>
/// <param name="Running">Whether the entity actor is alive right now.</param>
public sealed record EntityLocationView(string Type, string EntityId, string ShardId, string? Node, bool Running);

/// <summary>What <c>POST /cluster/secrets/rotate</c> answers: the key every secret is sealed with now, what was rewritten, the keys retired.</summary>
public sealed record SecretRotationView(string? Key, int JournalRows, int Snapshots, IReadOnlyList<string> Retired);

public static class InspectionJson
{
    /// <summary>camelCase, as ASP.NET writes by default; used on both ends.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>What the client verbs print for <c>--json</c>: indented, and <c>+</c> or quotes as themselves (not HTML-escaped).</summary>
    public static readonly JsonSerializerOptions Printed = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
