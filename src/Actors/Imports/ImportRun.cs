using Akka.Actor;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Runs one import plan, stage after stage, on the node of its <see cref="LeasedImport"/>, and tells it the
/// <see cref="ImportResult"/>. Lives as long as the import.
/// </summary>
public sealed class ImportRun : ReceiveActor, IWithTimers
{
    private static readonly ResourceKind[] RuleSources = [ResourceKind.Streams, ResourceKind.Tables];

    /// <summary>The error of an item a cancelled import did not reach (its async task counts the items that were done).</summary>
    public const string CancelledError = "not imported: the import was cancelled";

    private readonly ImportPlan _plan;
    private readonly PartitionFanOut _fanOut;
    private readonly CoordinatorSettings _settings;
    private readonly ErrorTable _errors = new();
    private readonly PartitionReader _reader;
    private readonly ArtefactStager? _stager;
    private IReadOnlyList<ApplyBatch> _currentStage = [];
    private int _stage = -1;

    /// <summary>Why the journal refused a batch of this import; then no later stage is sent.</summary>
    private string? _journalFailure;

    /// <summary>
    /// The check pass (atomic and dry-run imports): every batch is decided exactly as it would be applied, and
    /// nothing changes. An atomic import whose check found no error then runs the same plan again for real.
    /// </summary>
    private bool _checking;

    /// <summary>What the check pass found each kind would gain, change, lose and keep (a dry run's plan).</summary>
    private readonly Dictionary<ResourceKind, (List<string> Added, List<string> Changed, List<string> Removed, List<string> Unchanged)> _changes = new();

    /// <summary>Items answered so far in this pass, and in all (a check pass and an apply pass count apart).</summary>
    private int _done;

    private readonly int _total;
    private readonly Dictionary<string, int> _sentItems = new(StringComparer.Ordinal);

    /// <summary>An artefact kind gained, changed or lost an item (so every node has files to install or remove).</summary>
    private bool _artefactsChanged;

    /// <summary>Some write of this import was (or may have been) taken: the import can no longer be answered 503.</summary>
    private bool _applied;

    /// <summary>The journal position of each partition this import wrote to, by persistence id.</summary>
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);

    /// <summary>Cancelled on request: no later stage is sent.</summary>
    private bool _cancelled;

    /// <summary>Artefacts staged by the check pass, reused by the apply pass (fetched once).</summary>
    private readonly Dictionary<ResourceKind, StagedArtefacts> _staged = new();

    private sealed record ArtefactsStaged(IReadOnlyDictionary<ResourceKind, StagedArtefacts> ByKind);

    private sealed record StagingFailed(string Reason);

    private sealed record SourcesFound(IReadOnlySet<string> Names);

    private sealed record SourcesUnknown(string Reason);

    /// <param name="stager">fetches and checks artefacts; null where artefacts are not staged (actor tests)</param>
    public ImportRun(ImportPlan plan, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null)
    {
        _plan = plan;
        _settings = settings;
        _reader = new PartitionReader(regions, settings.Partitions);
        _stager = stager;
        _fanOut = new PartitionFanOut(regions, Self, settings);
        _total = plan.Stages.SelectMany(s => s).Sum(b => b.Items.Count);
        Receive<GetImportProgress>(_ => Sender.Tell(new ImportProgress(_plan.ImportId, true, StageName(), _done, _total)));
        Receive<CancelImport>(_ =>
        {
            _cancelled = true;
            Sender.Tell(new ImportCancelAnswer(_plan.ImportId, true));
        });

        Receive<BatchApplied>(applied =>
        {
            if (!_fanOut.Answered(applied.BatchId)) return;
            _done += _sentItems.GetValueOrDefault(applied.BatchId);
            _errors.Add(applied.Kind, applied.Errors);
            _journalFailure ??= applied.JournalFailure;
            // Taken by the journal with at least one item stored (an empty batch clears its partition): 503 is no longer true.
            var sent = _sentItems.GetValueOrDefault(applied.BatchId);
            if (!_checking && applied.JournalFailure is null && (sent == 0 || applied.Errors.Count < sent)) _applied = true;
            // A write the journal failed leaves the partition where it was, at a position its answer does not say.
            if (!_checking && applied.JournalFailure is null)
                _positions[PartitionScheme.PersistenceId(applied.Kind, applied.Partition)] = applied.SequenceNr;
            if (!_checking && applied.Kind.IsArtefact() && applied.Changes is { } c && (c.Added.Count + c.Changed.Count + c.Removed.Count) > 0)
                _artefactsChanged = true;
            if (applied.Changes is { } changes) AddChanges(applied.Kind, changes);
            if (_fanOut.Pending == 0) NextStage();
        });
        Receive<SourcesFound>(found => SendStage(new ValidationContext(found.Names, Upsert: true)));
        Receive<SourcesUnknown>(unknown =>
        {
            // Rules checked against a partial list could be refused wrongly: none of them is applied.
            var why = $"not imported: the streams and tables it reads could not be read ({unknown.Reason})";
            foreach (var batch in _currentStage.Where(b => b.Kind == ResourceKind.Rules))
                _errors.Add(batch.Kind, batch.Items.ToDictionary(i => i.Name, _ => why, StringComparer.Ordinal));
            _currentStage = _currentStage.Where(b => b.Kind != ResourceKind.Rules).ToList();
            SendStage(ValidationContext.None);
        });
        Receive<ArtefactsStaged>(staged =>
        {
            foreach (var (kind, result) in staged.ByKind) _staged[kind] = result;
            _currentStage = _currentStage.Select(batch => staged.ByKind.TryGetValue(batch.Kind, out var result)
                ? batch with
                {
                    Items = batch.Items.Where(i => result.Records.ContainsKey(i.Name))
                        .Select(i => i with { Definition = result.Records[i.Name] }).ToList(),
                }
                : batch).ToList();
            if (_checking || _plan.Apply == ImportApply.Always)
                foreach (var (kind, result) in staged.ByKind) _errors.Add(kind, result.Errors);
            SendStage(ValidationContext.None);
        });
        Receive<StagingFailed>(failed =>
        {
            // Nothing of these kinds is stored; a full import still sends the (now empty) batches that clear them.
            foreach (var batch in _currentStage.Where(b => b.Kind.IsArtefact()))
                _errors.Add(batch.Kind, batch.Items.ToDictionary(i => i.Name, _ => $"staging failed: {failed.Reason}", StringComparer.Ordinal));
            _currentStage = _currentStage.Select(b => b.Kind.IsArtefact() ? b with { Items = [] } : b).ToList();
            SendStage(ValidationContext.None);
        });
        Receive<Akka.Cluster.ClusterEvent.CurrentClusterState>(_ => { });
        Receive<Akka.Cluster.ClusterEvent.MemberRemoved>(_ =>
            Timers.StartSingleTimer("resend-after-removal", PartitionFanOut.RetryTick.Instance, _afterRemoval));
        Receive<PartitionFanOut.RetryTick>(_ =>
        {
            var exhausted = _fanOut.Retry();
            foreach (var command in exhausted)
            {
                var batch = (ApplyBatch)command;
                var why = $"not confirmed: partition {batch.Kind.RegionName()}-{PartitionScheme.EntityId(batch.Partition)} " +
                          $"did not answer within {_settings.GiveUpAfter.TotalSeconds:0}s; the item may or may not be stored";
                _errors.Add(batch.Kind, batch.Items.ToDictionary(i => i.Name, _ => why, StringComparer.Ordinal));
                // Unanswered is not unapplied: the write may have been taken.
                if (!_checking) _applied = true;
            }
            // Only a stage whose last batches just gave up ends here; a stage still being prepared has sent nothing yet.
            if (exhausted.Count > 0 && _fanOut.Pending == 0) NextStage();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private TimeSpan _afterRemoval;

    protected override void PostStop()
    {
        if (_afterRemoval > TimeSpan.Zero) Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    public static Props Props(ImportPlan plan, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null) =>
        Akka.Actor.Props.Create(() => new ImportRun(plan, regions, settings, stager));

    protected override void PreStart()
    {
        _fanOut.StartRetrying(Timers);
        // A batch sent to a member that became unreachable waits for its partition to start elsewhere: once the member is
        // removed, the batch is sent again at once, not at the next retry interval. The shard regions have then forgotten
        // the removed member's shards: they hold the batch until the coordinator gives the shard a new home.
        if (Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider })
        {
            _afterRemoval = TimeSpan.FromMilliseconds(500);
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, typeof(Akka.Cluster.ClusterEvent.MemberRemoved));
        }
        _checking = _plan.Apply != ImportApply.Always;
        NextStage();
    }

    private void NextStage()
    {
        _stage++;
        if (_cancelled && _stage < _plan.Stages.Count)
        {
            foreach (var batch in _plan.Stages.Skip(_stage).SelectMany(s => s))
                _errors.Add(batch.Kind, batch.Items.ToDictionary(i => i.Name, _ => CancelledError, StringComparer.Ordinal));
            _stage = _plan.Stages.Count;
            _checking = false;
        }
        if (_journalFailure is not null)
        {
            // The database is down: what is left would fail the same way, so it is reported, not sent.
            foreach (var batch in _plan.Stages.Skip(_stage).SelectMany(s => s))
                _errors.Add(batch.Kind, batch.Items.ToDictionary(i => i.Name, _ => $"not imported: {_journalFailure}", StringComparer.Ordinal));
            _stage = _plan.Stages.Count;
        }
        if (_stage >= _plan.Stages.Count && _checking && _plan.Apply == ImportApply.OnlyIfAllSucceed && _errors.IsEmpty)
        {
            // Every item passed: apply the same plan; the checks it repeats give the same answers.
            _checking = false;
            _stage = 0;
            _done = 0;
            _changes.Clear();
        }
        if (_stage >= _plan.Stages.Count)
        {
            var errors = _errors.ToReadOnly();
            var report = new ImportReport(_plan.ImportId, _plan.Mode, DateTimeOffset.UtcNow, errors, _plan.Origin, Counts(errors), _plan.Apply,
                _cancelled);
            Context.Parent.Tell(new ImportResult(report, _journalFailure, _plan.Apply == ImportApply.Never ? Changes() : null, _positions,
                _artefactsChanged, _applied));
            Context.Stop(Self);
            return;
        }
        var stage = _currentStage = _plan.Stages[_stage];
        if (!_checking && stage.Any(b => _staged.ContainsKey(b.Kind)))
        {
            // Staged by the check pass already.
            Self.Tell(new ArtefactsStaged(stage.Select(b => b.Kind).Distinct().Where(_staged.ContainsKey).ToDictionary(k => k, k => _staged[k])));
            return;
        }
        if (_stager is not null && stage.Any(b => b.Kind.IsArtefact() && b.Items.Count > 0))
        {
            StageArtefacts(stage, _stager);
            return;
        }
        if (_plan.Mode == ImportMode.Partial && stage.Any(b => b.Kind == ResourceKind.Rules && b.Operation != BatchOperation.Delete))
        {
            LookUpSources();
            return;
        }
        SendStage(ValidationContext.None);
    }

    /// <summary>
    /// An upserted rule must read streams and tables that exist: collect their names (stored, and imported by
    /// the stages before) before the rules stage.
    /// </summary>
    private void LookUpSources()
    {
        var lookup = _plan.SourcesToCheck is { } names
            ? _reader.WhichExistAsync(RuleSources, names, CancellationToken.None)
            : _reader.NamesAsync(RuleSources, CancellationToken.None);
        lookup.PipeTo(Self, success: names => new SourcesFound(_checking ? CheckedSources(names) : names),
            failure: e => new SourcesUnknown(e.Message));
    }

    private string StageName()
    {
        if (_stage < 0 || _stage >= _plan.Stages.Count) return "";
        var kinds = string.Join(",", _plan.Stages[_stage].Select(b => b.Kind).Distinct().Select(k => k.BundleKey()));
        return _checking ? "checking " + kinds : kinds;
    }

    /// <summary>Per kind: items stored (or, for a dry run, that would be), refused, and removed.</summary>
    private IReadOnlyDictionary<ResourceKind, ImportCounts> Counts(IReadOnlyDictionary<ResourceKind, IReadOnlyDictionary<string, string>> errors) =>
        ResourceKinds.All.ToDictionary(kind => kind, kind =>
        {
            var failed = errors.GetValueOrDefault(kind)?.Count ?? 0;
            var sent = _plan.Stages.SelectMany(s => s).Where(b => b.Kind == kind).Sum(b => b.Items.Count);
            var removed = _changes.TryGetValue(kind, out var c) ? c.Removed.Distinct().Count() : 0;
            return new ImportCounts(Math.Max(0, sent - failed), failed, removed);
        });

    private void AddChanges(ResourceKind kind, BatchChanges changes)
    {
        if (!_changes.TryGetValue(kind, out var all)) _changes[kind] = all = ([], [], [], []);
        all.Added.AddRange(changes.Added);
        all.Changed.AddRange(changes.Changed);
        all.Removed.AddRange(changes.Removed);
        all.Unchanged.AddRange(changes.Unchanged);
    }

    /// <summary>Every kind's changes, names sorted; artefacts a partial import keeps as they are count as unchanged.</summary>
    private IReadOnlyDictionary<ResourceKind, BatchChanges> Changes()
    {
        foreach (var (kind, staged) in _staged)
            if (staged.Skipped.Count > 0) AddChanges(kind, new BatchChanges([], [], [], staged.Skipped.ToList()));
        static List<string> Sorted(List<string> names) => names.Distinct().Order(StringComparer.Ordinal).ToList();
        return ResourceKinds.All.ToDictionary(kind => kind, kind => _changes.TryGetValue(kind, out var c)
            ? new BatchChanges(Sorted(c.Added), Sorted(c.Changed), Sorted(c.Removed), Sorted(c.Unchanged))
            : new BatchChanges([], [], [], []));
    }

    /// <summary>
    /// In the check pass nothing of this import is stored yet: the streams and tables it carries that passed their
    /// checks count as existing, as they would once applied.
    /// </summary>
    private IReadOnlySet<string> CheckedSources(IReadOnlySet<string> stored)
    {
        var names = new HashSet<string>(stored, StringComparer.Ordinal);
        foreach (var batch in _plan.Stages.Take(_stage).SelectMany(s => s).Where(b => RuleSources.Contains(b.Kind)))
            foreach (var item in batch.Items)
                if (!_errors.Has(batch.Kind, item.Name)) names.Add(item.Name);
        return names;
    }

    /// <summary>Fetch and check the artefacts of this stage off the actor's thread; the result comes back as a message.</summary>
    private void StageArtefacts(IReadOnlyList<ApplyBatch> stage, ArtefactStager stager)
    {
        var partial = _plan.Mode == ImportMode.Partial;
        var storeBlobs = _plan.Apply != ImportApply.Never;
        var kinds = stage.Where(b => b.Kind.IsArtefact()).GroupBy(b => b.Kind)
            .Select(g => (Kind: g.Key, Items: (IReadOnlyList<ResourceItem>)g.SelectMany(b => b.Items).ToList()))
            .Where(k => k.Items.Count > 0).ToList();
        Task.Run(async () =>
        {
            var byKind = new Dictionary<ResourceKind, StagedArtefacts>();
            foreach (var (kind, items) in kinds)
            {
                var existing = partial
                    ? await _reader.ReadKindAsync(kind, CancellationToken.None)
                    : new Dictionary<string, string>();
                byKind[kind] = await stager.StageAsync(kind, items, existing, partial, CancellationToken.None, storeBlobs);
            }
            return (object)new ArtefactsStaged(byKind);
        }).PipeTo(Self, failure: e => new StagingFailed(e.Message));
    }

    private void SendStage(ValidationContext context)
    {
        var others = new ValidationContext(null, Upsert: _plan.Mode == ImportMode.Partial);
        foreach (var batch in _currentStage)
        {
            var sent = batch with { Context = batch.Kind == ResourceKind.Rules ? context : others };
            if (_checking) sent = sent with { BatchId = batch.BatchId + "/check", CheckOnly = true };
            _sentItems[sent.BatchId] = sent.Items.Count;
            _fanOut.Send(sent.BatchId, sent);
        }
        if (_fanOut.Pending == 0) NextStage();
    }
}
