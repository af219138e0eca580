using Akka.Actor;
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
    private sealed record RetryTick
    {
        public static readonly RetryTick Instance = new();
    }

    private readonly ImportPlan _plan;
    private readonly PartitionFanOut _fanOut;
    private readonly CoordinatorSettings _settings;
    private readonly ErrorTable _errors = new();
    private int _stage = -1;

    public ImportRun(ImportPlan plan, PartitionRegions regions, CoordinatorSettings settings)
    {
        _plan = plan;
        _settings = settings;
        _fanOut = new PartitionFanOut(regions, Self, settings);
        foreach (var (kind, refused) in plan.Refused) _errors.Add(kind, refused);

        Receive<BatchApplied>(applied =>
        {
            if (!_fanOut.Answered(applied.BatchId)) return;
            _errors.Add(applied.Kind, applied.Errors);
            if (_fanOut.Pending == 0) NextStage();
        });
        Receive<RetryTick>(_ =>
        {
            foreach (var command in _fanOut.Retry())
            {
                var batch = (ApplyBatch)command;
                var why = $"not confirmed: partition {batch.Kind.RegionName()}-{PartitionScheme.EntityId(batch.Partition)} " +
                          $"did not answer within {_settings.GiveUpAfter.TotalSeconds:0}s; the item may or may not be stored";
                _errors.Add(batch.Kind, batch.Items.ToDictionary(i => i.Name, _ => why, StringComparer.Ordinal));
            }
            if (_fanOut.Pending == 0) NextStage();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ImportPlan plan, PartitionRegions regions, CoordinatorSettings settings) =>
        Akka.Actor.Props.Create(() => new ImportRun(plan, regions, settings));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("retry", RetryTick.Instance, _settings.BatchRetryInterval);
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
        foreach (var batch in _plan.Stages[_stage]) _fanOut.Send(batch.BatchId, batch);
    }
}

/// <summary>Local: an import run's report, for its coordinator.</summary>
public sealed record ImportRunFinished(ImportReport Report);
