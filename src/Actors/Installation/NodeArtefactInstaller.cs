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
/// Node-local ask (never crosses nodes, never persisted): bring this node's data dir in line with what the cluster
/// stores now. Answered with <see cref="ArtefactsReconciled"/> when a pass that started after the ask has ended, so
/// that everything stored before the ask is installed (or has failed) on this node.
/// </summary>
/// <param name="InstallOnly">
/// Install what is missing, remove nothing: asked in the middle of an import (the stager, before it reads
/// <c>file://</c>), where a full import has replaced the uploads but not yet the kinds that may read them.
/// </param>
public sealed record ReconcileArtefacts(bool InstallOnly = false) : INoSerializationVerificationNeeded
{
    public static readonly ReconcileArtefacts Instance = new();

    public static readonly ReconcileArtefacts InstallMissing = new(InstallOnly: true);
}

/// <summary>The outcome of a pass on this node.</summary>
/// <param name="Failures">Per kind, the stored items (by bundle key) that are not installed here, and why.</param>
/// <param name="Error">Why the pass itself failed (the store or a partition did not answer); null when it ran.</param>
public sealed record ArtefactsReconciled(IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> Failures, string? Error)
    : INoSerializationVerificationNeeded
{
    public static ArtefactsReconciled Failed(string error) => new(new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>(), error);
}

/// <summary>
/// One per node: brings this node's data dir in line with the artefacts the cluster stores. It reconciles when
/// the node starts (a node that joins later, or lost its data dir, installs what it misses), when an import
/// announces a change, when the HTTP edge asks before replying (<see cref="ReconcileArtefacts"/>), and
/// periodically; it reports each artefact's state on this node to the artefact store. Passes never overlap:
/// a request during a pass is served by the next one.
/// </summary>
public sealed class NodeArtefactInstaller : ReceiveActor, IWithTimers
{
    public const string Name = "artefact-installer";

    private sealed record Reconcile
    {
        public static readonly Reconcile Instance = new();
    }

    private sealed record Reconciled(IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> Failures)
        : INoSerializationVerificationNeeded;

    private sealed record PassFailed(Exception Cause) : INoSerializationVerificationNeeded;

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

    /// <summary>The next pass also removes what is no longer stored (every trigger but an install-only ask).</summary>
    private bool _removeOnNextPass;

    /// <summary>Who waits for the pass that is running.</summary>
    private List<IActorRef> _waitingForThisPass = [];

    /// <summary>Who asked while a pass was running: that pass may have read the partitions before their change.</summary>
    private List<IActorRef> _waitingForNextPass = [];

    public NodeArtefactInstaller(ArtefactInstaller installer, ArtefactStore store, PartitionReader reader, ArtefactPolicy policy,
        string node, IActorRef? pubSub, TimeSpan interval)
    {
        (_installer, _store, _reader, _policy, _node, _pubSub, _interval) = (installer, store, reader, policy, node, pubSub, interval);

        Receive<Reconcile>(_ => Start(remove: true));
        Receive<ArtefactsChanged>(_ => Start(remove: true));
        Receive<ReconcileArtefacts>(ask =>
        {
            (_running ? _waitingForNextPass : _waitingForThisPass).Add(Sender);
            Start(remove: !ask.InstallOnly);
        });
        Receive<SubscribeAck>(_ => { });
        Receive<Reconciled>(reconciled => Finished(new ArtefactsReconciled(reconciled.Failures, null)));
        Receive<PassFailed>(failed =>
        {
            _log.Warning(failed.Cause, "Reconciling artefacts failed; trying again at the next change or tick");
            Finished(ArtefactsReconciled.Failed(failed.Cause.GetBaseException().Message));
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

    private void Start(bool remove)
    {
        _removeOnNextPass |= remove;
        if (_running)
        {
            _again = true;
            return;
        }
        _running = true;
        var removing = _removeOnNextPass;
        _removeOnNextPass = false;
        ReconcileAsync(removing).PipeTo(Self, success: failures => new Reconciled(failures), failure: cause => new PassFailed(cause));
    }

    private void Finished(ArtefactsReconciled outcome)
    {
        foreach (var waiting in _waitingForThisPass) waiting.Tell(outcome);
        _waitingForThisPass = _waitingForNextPass;
        _waitingForNextPass = [];
        _running = false;
        if (!_again) return;
        _again = false;
        Start(remove: false);
    }

    private async Task<IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>>> ReconcileAsync(bool removeUnstored)
    {
        var wanted = new Dictionary<(ArtefactKind, string), (ResourceKind Kind, string Name, ArtefactRecord Record)>();
        foreach (var kind in ResourceKinds.Artefacts)
            foreach (var (name, json) in await _reader.ReadKindAsync(kind, CancellationToken.None))
                if (ArtefactRecord.Parse(json) is { } record)
                    wanted[(kind.ToArtefactKind(), record.InstallKey)] = (kind, name, record);

        var failures = new Dictionary<ResourceKind, Dictionary<string, string>>();
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
            if (error is not null)
            {
                _log.Warning("Installing {0} {1} failed: {2}", kind.BundleKey(), name, error);
                (failures.TryGetValue(kind, out var ofKind) ? ofKind : failures[kind] = new(StringComparer.Ordinal))[name] = error;
            }
            await ReportAsync(artefactKind, kind, installKey, record.ContentHash, error);
        }

        foreach (var installed in removeUnstored ? _installer.List() : [])
        {
            if (wanted.ContainsKey((installed.Kind, installed.InstallKey))) continue;
            _installer.Uninstall(installed.Kind, installed.InstallKey);
            _reported.Remove((installed.Kind, installed.InstallKey));
            var kind = installed.Kind.ToResourceKind();
            await BestEffortAsync(() => _store.RemoveInstallStatusAsync(_node, kind.BundleKey(), installed.InstallKey, CancellationToken.None));
        }
        return failures.ToDictionary(f => f.Key, f => (IReadOnlyDictionary<string, string>)f.Value);
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
        if (await BestEffortAsync(() => _store.SetInstallStatusAsync(_node, kind.BundleKey(), installKey, contentHash, error, CancellationToken.None)))
            _reported[(artefactKind, installKey)] = state;
    }

    /// <summary>
    /// The install report is for the read endpoints: a store that does not take it must not undo a pass whose
    /// files are in place. It is written again at the next pass.
    /// </summary>
    private async Task<bool> BestEffortAsync(Func<Task> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            _log.Warning(e, "Recording this node's install state failed; it is written again at the next pass");
            return false;
        }
    }
}
