using Kuiper.Domain.Placement;

namespace Kuiper.Actors.Membership;

/// <summary>
/// A node's labels travel as its member roles (<c>label:site=plant-a</c>): fixed for the life of the process, as labels
/// are, and known to every member through the cluster's own gossip, so that any node can tell where a rule lands.
/// </summary>
public static class NodeLabels
{
    public const string RolePrefix = "label:";

    /// <summary>The roles that carry <paramref name="labels"/>; a bad key or value throws, naming it (the node does not start).</summary>
    public static string[] Roles(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var (key, value) in labels)
        {
            if (LabelSyntax.KeyError(key) is { } keyError)
                throw new InvalidOperationException($"Kuiper:Node:Labels:{key}: the key is not a label key: {keyError}");
            if (LabelSyntax.ValueError(value) is { } valueError)
                throw new InvalidOperationException($"Kuiper:Node:Labels:{key}: \"{value}\" is not a label value: {valueError}");
        }
        return labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{RolePrefix}{l.Key}={l.Value}").ToArray();
    }

    /// <summary>The labels a member's roles carry, sorted by key.</summary>
    public static IReadOnlyDictionary<string, string> Of(IEnumerable<string> roles)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var role in roles)
        {
            if (!role.StartsWith(RolePrefix, StringComparison.Ordinal)) continue;
            var equals = role.IndexOf('=', RolePrefix.Length);
            if (equals > RolePrefix.Length) labels[role[RolePrefix.Length..equals]] = role[(equals + 1)..];
        }
        return labels;
    }

    /// <summary>Whether <paramref name="role"/> carries a label (and is shown as one, not among the roles).</summary>
    public static bool IsLabel(string role) => role.StartsWith(RolePrefix, StringComparison.Ordinal);
}
