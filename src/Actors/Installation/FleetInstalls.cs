using Akka.Actor;
using Akka.Cluster;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Installation;

/// <summary>
/// Whether every member has installed (or removed) an artefact, from the reports each node's installer writes beside
/// the journal: what a single-artefact write waits for before it answers, within its bound. Members that are not Up
/// (joining, leaving, down) or not reachable are not waited for; they install at their next pass.
/// </summary>
/// <summary>Null <paramref name="Error"/>: settled on every Up member; <paramref name="Pending"/>: a member had not reported within the bound.</summary>
public sealed record FleetInstallOutcome(string? Error, bool Pending);

public sealed class FleetInstalls(ActorSystem system, ArtefactStore store)
{
    /// <summary>Reports are written within one install pass; a short poll keeps the reply close to the last node's.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Settled once every Up member reports <paramref name="contentHash"/> installed; else which member did not, and why.</summary>
    public Task<FleetInstallOutcome> InstalledAsync(ResourceKind kind, string installKey, string contentHash, TimeSpan bound, CancellationToken cancellationToken) =>
        WaitAsync(kind, installKey, bound, cancellationToken, (member, install) => install switch
        {
            { Error: { } error } => (true, $"stored, but not installed on {member}: {error}"),
            { } done when done.ContentHash == contentHash => (true, null),
            _ => (false, $"stored, but not installed on {member} within {bound}"),
        });

    /// <summary>Settled once no Up member reports the artefact installed any more.</summary>
    public Task<FleetInstallOutcome> RemovedAsync(ResourceKind kind, string installKey, TimeSpan bound, CancellationToken cancellationToken) =>
        WaitAsync(kind, installKey, bound, cancellationToken, (member, install) => install is null
            ? (true, null)
            : (false, $"removed from the cluster, but not yet from {member} within {bound}"));

    /// <param name="judge">per member and its report (null: none): whether it is settled, and the error to answer if any</param>
    private async Task<FleetInstallOutcome> WaitAsync(ResourceKind kind, string installKey, TimeSpan bound, CancellationToken cancellationToken,
        Func<string, NodeInstall?, (bool Settled, string? Error)> judge)
    {
        var began = System.Diagnostics.Stopwatch.GetTimestamp();
        while (true)
        {
            var reports = (await store.InstallsAsync(kind.BundleKey(), installKey, cancellationToken)).ToDictionary(i => i.Node, StringComparer.Ordinal);
            // A member this node cannot reach is not waited for either: it installs when it is back, at its next pass.
            var state = Cluster.Get(system).State;
            var members = state.Members.Where(m => m.Status == MemberStatus.Up && !state.Unreachable.Contains(m)).Select(m => m.Address.ToString());
            string? pending = null;
            foreach (var member in members.Order(StringComparer.Ordinal))
            {
                var (settled, error) = judge(member, reports.GetValueOrDefault(member));
                if (settled && error is not null) return new FleetInstallOutcome(error, Pending: false);
                if (!settled) pending ??= error;
            }
            if (pending is null) return new FleetInstallOutcome(null, Pending: false);
            if (System.Diagnostics.Stopwatch.GetElapsedTime(began) >= bound) return new FleetInstallOutcome(pending, Pending: true);
            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
