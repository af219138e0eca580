using Kuiper.Domain.Artefacts;
using Akka.Actor;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Imports;

/// <summary>
/// Runs one import plan, stage after stage, and tells its parent the report. Lives as long as the import.
/// </summary>
public sealed class ImportRun : ReceiveActor, IWithTimers
{
    private readonly ImportPlan _plan;
    private readonly PartitionFanOut _fanOut;
    private readonly CoordinatorSettings _settings;
    private readonly ErrorTable _errors = new();
    private readonly PartitionRegions _regions;
    private readonly ArtefactStager? _stager;
    private HashSet<string>? _sources;
    private IReadOnlyList<ApplyBatch> _currentStage = [];
    private int _stage = -1;

    private sealed record ArtefactsStaged(IReadOnlyDictionary<ResourceKind, StagedArtefacts> ByKind);

    private sealed record StagingFailed(Exception Cause);

    public ImportRun(ImportPlan plan, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null)
    {
        _plan = plan;
        _settings = settings;
        _regions = regions;
        _stager = stager;
        _fanOut = new PartitionFanOut(regions, Self, settings);
        foreach (var (kind, refused) in plan.Refused) _errors.Add(kind, refused);

        Receive<BatchApplied>(applied =>
        {
            if (!_fanOut.Answered(applied.BatchId)) return;
            _errors.Add(applied.Kind, applied.Errors);
            if (_fanOut.Pending == 0) NextStage();
        });
        Receive<PartitionContents>(contents =>
        {
            if (_sources is null || !_fanOut.Answered(LookupKey(contents.Kind, contents.Partition))) return;
            _sources.UnionWith(contents.Resources.Keys);
            if (_fanOut.Pending == 0) SendStage(new ValidationContext(_sources, Upsert: true));
        });
        Receive<ArtefactsStaged>(staged =>
        {
            _currentStage = _currentStage.Select(batch => staged.ByKind.TryGetValue(batch.Kind, out var result)
                ? batch with
                {
                    Items = batch.Items.Where(i => result.Records.ContainsKey(i.Name))
                        .Select(i => i with { Definition = result.Records[i.Name] }).ToList(),
                }
                : batch).ToList();
            foreach (var (kind, result) in staged.ByKind) _errors.Add(kind, result.Errors);
            SendStage(ValidationContext.None);
        });
        Receive<StagingFailed>(failed =>
        {
            // Nothing of these kinds is stored; a full import still sends the (now empty) batches that clear them.
            foreach (var batch in _currentStage.Where(b => b.Kind.IsArtefact()))
                _errors.Add(batch.Kind, batch.Items.ToDictionary(i => i.Name, _ => $"staging failed: {failed.Cause.Message}", StringComparer.Ordinal));
            _currentStage = _currentStage.Select(b => b.Kind.IsArtefact() ? b with { Items = [] } : b).ToList();
            SendStage(ValidationContext.None);
        });
        Receive<PartitionFanOut.RetryTick>(_ =>
        {
            foreach (var command in _fanOut.Retry())
            {
                if (command is not ApplyBatch batch)
                {
                    // A stream or table partition did not say what it holds: check rules against what did answer.
                    if (_fanOut.Pending == 0 && _sources is not null) SendStage(new ValidationContext(_sources, Upsert: true));
                    continue;
                }
                var why = $"not confirmed: partition {batch.Kind.RegionName()}-{PartitionScheme.EntityId(batch.Partition)} " +
                          $"did not answer within {_settings.GiveUpAfter.TotalSeconds:0}s; the item may or may not be stored";
                _errors.Add(batch.Kind, batch.Items.ToDictionary(i => i.Name, _ => why, StringComparer.Ordinal));
            }
            if (_fanOut.Pending == 0) NextStage();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ImportPlan plan, PartitionRegions regions, CoordinatorSettings settings, ArtefactStager? stager = null) =>
        Akka.Actor.Props.Create(() => new ImportRun(plan, regions, settings, stager));

    protected override void PreStart()
    {
        _fanOut.StartRetrying(Timers);
        NextStage();
    }

    private void NextStage()
    {
        _stage++;
        if (_stage >= _plan.Stages.Count)
        {
            var report = new ImportReport(_plan.ImportId, _plan.Mode, DateTimeOffset.UtcNow, _errors.ToReadOnly());
            Context.Parent.Tell(new ImportRunFinished(report));
            Context.Stop(Self);
            return;
        }
        var stage = _currentStage = _plan.Stages[_stage];
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
        _sources = new HashSet<string>(StringComparer.Ordinal);
        foreach (var kind in new[] { ResourceKind.Streams, ResourceKind.Tables }.Where(_regions.Serves))
            for (var p = 0; p < PartitionScheme.PartitionCount; p++)
                _fanOut.Send(LookupKey(kind, p), new GetPartitionContents(kind, p));
        if (_fanOut.Pending == 0) SendStage(new ValidationContext(_sources, Upsert: true));
    }

    private static string LookupKey(ResourceKind kind, int partition) => $"lookup/{kind}/{partition}";

    /// <summary>Fetch and check the artefacts of this stage off the actor's thread; the result comes back as a message.</summary>
    private void StageArtefacts(IReadOnlyList<ApplyBatch> stage, ArtefactStager stager)
    {
        var partial = _plan.Mode == ImportMode.Partial;
        var reader = new PartitionReader(_regions, _settings.GiveUpAfter);
        var kinds = stage.Where(b => b.Kind.IsArtefact()).GroupBy(b => b.Kind)
            .Select(g => (Kind: g.Key, Items: (IReadOnlyList<ResourceItem>)g.SelectMany(b => b.Items).ToList()))
            .Where(k => k.Items.Count > 0).ToList();
        Task.Run(async () =>
        {
            var byKind = new Dictionary<ResourceKind, StagedArtefacts>();
            foreach (var (kind, items) in kinds)
            {
                var existing = partial
                    ? await reader.ReadKindAsync(kind, CancellationToken.None)
                    : new Dictionary<string, string>();
                byKind[kind] = await stager.StageAsync(kind, items, existing, partial, CancellationToken.None);
            }
            return (object)new ArtefactsStaged(byKind);
        }).PipeTo(Self, failure: e => new StagingFailed(e));
    }

    private void SendStage(ValidationContext context)
    {
        _sources = null;
        var others = new ValidationContext(null, Upsert: _plan.Mode == ImportMode.Partial);
        foreach (var batch in _currentStage)
        {
            var withContext = batch with { Context = batch.Kind == ResourceKind.Rules ? context : others };
            _fanOut.Send(batch.BatchId, withContext);
        }
    }
}

/// <summary>Local: an import run's report, for its coordinator.</summary>
public sealed record ImportRunFinished(ImportReport Report);
