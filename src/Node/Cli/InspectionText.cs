using System.Text.Json;
using Kuiper.Node.Inspection;

namespace Kuiper.Node.Cli;

/// <summary>What the client verbs print: tables a person reads at a glance, or <c>--json</c>.</summary>
public static class InspectionText
{
    /// <summary><c>cluster show --json</c>: exactly <c>{"leader", "members": [{"address", "roles", "status", "reachable", "appVersion"}]}</c>.</summary>
    public static string ShowJson(ClusterMembersView view) =>
        // Exactly the contract's members (docs/configuration.md#cluster-verbs): labels are in the table and in GET /cluster/members.
        JsonSerializer.Serialize(new
        {
            leader = view.Leader,
            members = view.Members.Select(m => new { address = m.Address, roles = m.Roles, status = m.Status, reachable = m.Reachable, appVersion = m.AppVersion }),
        }, InspectionJson.Printed) + "\n";

    public static string Json<T>(T view) => JsonSerializer.Serialize(view, InspectionJson.Printed) + "\n";

    public static string Show(ClusterMembersView view)
    {
        // Oldest first; SINGLETONS marks where they run: the member a rolling upgrade replaces last.
        var table = new TextTable("ADDRESS", "STATUS", "REACHABLE", "LEADER", "SINGLETONS", "ROLES", "APP VERSION", "LABELS");
        foreach (var m in view.Members)
            table.Add(m.Address, m.Status, YesNo(m.Reachable), m.Address == view.Leader ? "yes" : "", m.Address == view.Oldest ? "yes" : "",
                string.Join(",", m.Roles), m.AppVersion, string.Join(",", (m.Labels ?? new Dictionary<string, string>()).Select(l => $"{l.Key}={l.Value}")));
        var text = table.ToString();
        return view.Leader is null ? text + "no leader yet\n" : text;
    }

    public static string Membership(MembershipActionView view) => view.Action switch
    {
        "leave" => $"asked {view.Addresses[0]} to leave the cluster; follow it with 'cluster show'\n",
        "down" => $"marked {view.Addresses[0]} as down\n",
        _ when view.Addresses.Count == 0 => "no unreachable members\n",
        _ => $"marked {view.Addresses.Count} unreachable member(s) as down:\n"
             + string.Concat(view.Addresses.Select(a => $"  {a}\n")),
    };

    public static string Rotation(SecretRotationView view) =>
        (view.Key is null ? "every stored secret is stored as given: " : $"every stored secret is sealed with key {view.Key}: ")
        + $"{view.JournalRows} journal row(s) and {view.Snapshots} snapshot(s) rewritten; "
        + (view.Retired.Count == 0 ? "no key retired\n" : $"retired {string.Join(", ", view.Retired)}\n");

    public static string Regions(RegionsView view)
    {
        var table = new TextTable("TYPE", "NODES", "ADDRESSES").AlignRight(1);
        foreach (var r in view.Regions)
            table.Add(r.Type, Count(r.Nodes.Count), r.Nodes.Count == 0 ? "(none registered yet)" : string.Join(", ", r.Nodes));
        return table.ToString();
    }

    public static string RegionStats(RegionStatsView view)
    {
        if (view.Nodes.Count == 0) return $"region {view.Type}\nno regions registered with the shard coordinator yet\n";
        var table = new TextTable("NODE", "SHARDS", "ENTITIES", "SHARD IDS").AlignRight(1, 2);
        foreach (var n in view.Nodes)
        {
            if (!n.Answered)
            {
                table.Add(n.Address, "?", "?", "(no reply in time)");
                continue;
            }
            var ids = string.Join(",", n.Shards.Select(s => s.ShardId));
            if (n.FailedShards.Count > 0) ids += $" (no reply: {string.Join(",", n.FailedShards)})";
            table.Add(n.Address, Count(n.Shards.Count), Count(n.EntityCount), ids);
        }
        var answered = view.Nodes.Where(n => n.Answered).ToArray();
        table.Add("TOTAL", Count(answered.Sum(n => n.Shards.Count)), Count(answered.Sum(n => n.EntityCount)), "");
        return $"region {view.Type}\n" + table;
    }

    public static string ShardStats(ShardStatsView view)
    {
        var header = $"region {view.Type} on {view.Node}\n";
        if (view.Shards.Count == 0 && view.FailedShards.Count == 0) return header + "no shards on this node\n";
        var table = new TextTable("SHARD", "ENTITIES", "ENTITY IDS").AlignRight(1);
        foreach (var s in view.Shards) table.Add(s.ShardId, Count(s.EntityIds.Count), string.Join(",", s.EntityIds));
        foreach (var failed in view.FailedShards) table.Add(failed, "?", "(no reply in time)");
        return header + table;
    }

    public static string Locate(EntityLocationView view) =>
        new TextTable("TYPE", "ENTITY", "SHARD", "NODE", "RUNNING")
            .Add(view.Type, view.EntityId, view.ShardId, view.Node ?? "(shard not allocated)", YesNo(view.Running))
            .ToString();

    private static string YesNo(bool value) => value ? "yes" : "no";

    private static string Count(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
