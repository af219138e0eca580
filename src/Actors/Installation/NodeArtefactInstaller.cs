using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Artefacts.Installing;
using Kuiper.Domain.Resources;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Artefacts;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Installation;

/// <summary>
/// One per node: brings this node's data dir in line with the artefacts the cluster stores. It reconciles when
/// the node starts (a node that joins later, or lost its data dir, installs what it misses), when an import
/// announces a change, and periodically; it reports each artefact's state on this node to the artefact store.
/// </summary>
public sealed class NodeArtefactInstaller : ReceiveActor, IWithTimers
{
    public const string Name = "artefact-installer";

    private sealed record Reconcile
    {
        public static readonly Reconcile Instance = new();
    }

    private sealed record Reconciled;

    private readonly ArtefactInstaller _installer;
    private readonly ArtefactStore _store;
    private readonly PartitionReader _reader;
    private readonly ArtefactPolicy _policy;
    private readonly string _node;
    private readonly IActorRef? _pubSub;
    private readonly TimeSpan _interval;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<(ArtefactKind, string), string> _reported = new();
    private bool _running;
    private bool _again;

    public NodeArtefactInstaller(ArtefactInstaller installer, ArtefactStore store, PartitionReader reader, ArtefactPolicy policy,
        string node, IActorRef? pubSub, TimeSpan interval)
    {
        (_installer, _store, _reader, _policy, _node, _pubSub, _interval) = (installer, store, reader, policy, node, pubSub, interval);

        Receive<Reconcile>(_ => Start());
        Receive<ArtefactsChanged>(_ => Start());
        Receive<SubscribeAck>(_ => { });
        Receive<Reconciled>(_ =>
        {
            _running = false;
            if (!_again) return;
            _again = false;
            Start();
        });
        Receive<Status.Failure>(failure =>
        {
            _log.Warning(failure.Cause, "Reconciling artefacts failed; trying again at the next change or tick");
            _running = false;
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ArtefactInstaller installer, ArtefactStore store, PartitionReader reader, ArtefactPolicy policy,
        string node, IActorRef? pubSub, TimeSpan interval) =>
        Akka.Actor.Props.Create(() => new NodeArtefactInstaller(installer, store, reader, policy, node, pubSub, interval));

    protected override void PreStart()
    {
        _pubSub?.Tell(new Subscribe(ArtefactsChanged.Topic, Self));
        Timers.StartPeriodicTimer("reconcile", Reconcile.Instance, _interval);
        Self.Tell(Reconcile.Instance);
    }

    private void Start()
    {
        if (_running)
        {
            _again = true;
            return;
        }
        _running = true;
        ReconcileAsync().PipeTo(Self, success: () => new Reconciled());
    }

    private async Task ReconcileAsync()
    {
        var wanted = new Dictionary<(ArtefactKind, string), (ResourceKind Kind, string Name, ArtefactRecord Record)>();
        foreach (var kind in ResourceKinds.Artefacts)
            foreach (var (name, json) in await _reader.ReadKindAsync(kind, CancellationToken.None))
                if (ArtefactRecord.Parse(json) is { } record)
                    wanted[(kind.ToArtefactKind(), record.InstallKey)] = (kind, name, record);

        foreach (var ((artefactKind, installKey), (kind, name, record)) in wanted)
        {
            // Installed with the same content, and its files are still there (a data dir can lose them).
            if (_installer.Find(artefactKind, installKey) is { } have && have.ContentHash == record.ContentHash
                && have.Files.All(f => File.Exists(Path.Combine(_installer.DataDir, f))))
            {
                await ReportAsync(artefactKind, kind, installKey, record.ContentHash, null);
                continue;
            }
            var error = await InstallAsync(artefactKind, name, record);
            if (error is not null) _log.Warning("Installing {0} {1} failed: {2}", kind.BundleKey(), name, error);
            await ReportAsync(artefactKind, kind, installKey, record.ContentHash, error);
        }

        foreach (var installed in _installer.List())
        {
            if (wanted.ContainsKey((installed.Kind, installed.InstallKey))) continue;
            _installer.Uninstall(installed.Kind, installed.InstallKey);
            _reported.Remove((installed.Kind, installed.InstallKey));
            var kind = installed.Kind.ToResourceKind();
            await _store.RemoveInstallStatusAsync(_node, kind.BundleKey(), installed.InstallKey, CancellationToken.None);
        }
    }

    /// <summary>Checks the stored value again against the stored bytes (the same check the import made) and installs it.</summary>
    private async Task<string?> InstallAsync(ArtefactKind artefactKind, string name, ArtefactRecord record)
    {
        var fetched = new Dictionary<string, FetchResult>(StringComparer.Ordinal);
        foreach (var (uri, sha) in record.Fetched)
            fetched[uri] = await _store.GetBlobAsync(sha, CancellationToken.None) is { } bytes
                ? FetchResult.Ok(bytes)
                : FetchResult.Fail($"content {sha} of {uri} is missing from the artefact store");
        var result = ArtefactChecks.For(artefactKind, _policy).Check(name, record.Value, InstalledSet.Empty, fetched);
        if (result.Plan is not { } plan) return result.Error;
        return (await _installer.InstallAsync(plan)).Error;
    }

    private async Task ReportAsync(ArtefactKind artefactKind, ResourceKind kind, string installKey, string contentHash, string? error)
    {
        var state = error ?? contentHash;
        if (_reported.TryGetValue((artefactKind, installKey), out var last) && last == state) return;
        await _store.SetInstallStatusAsync(_node, kind.BundleKey(), installKey, contentHash, error, CancellationToken.None);
        _reported[(artefactKind, installKey)] = state;
    }
}
