using Akka.Actor;
using Kuiper.Actors.Partitions;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Imports;

/// <summary>Reads every partition of every stored kind and answers the requester with one bundle.</summary>
public sealed class ExportRun : ReceiveActor, IWithTimers
{
    private readonly PartitionRegions _regions;
    private readonly IActorRef _replyTo;
    private readonly CoordinatorSettings _settings;
    private readonly PartitionFanOut _fanOut;
    private readonly Dictionary<ResourceKind, Dictionary<string, string>> _sections = new();

    public ExportRun(PartitionRegions regions, IActorRef replyTo, CoordinatorSettings settings)
    {
        _regions = regions;
        _replyTo = replyTo;
        _settings = settings;
        _fanOut = new PartitionFanOut(regions, Self, settings);

        Receive<PartitionContents>(contents =>
        {
            if (!_fanOut.Answered(Key(contents.Kind, contents.Partition))) return;
            var section = _sections[contents.Kind];
            foreach (var (name, definition) in contents.Resources) section[name] = definition;
            if (_fanOut.Pending == 0) Finish();
        });
        Receive<PartitionFanOut.RetryTick>(_ =>
        {
            var exhausted = _fanOut.Retry();
            if (exhausted.Count == 0) return;
            var missing = exhausted[0];
            _replyTo.Tell(new Status.Failure(new TimeoutException(
                $"partition {missing.Kind.RegionName()}-{PartitionScheme.EntityId(missing.Partition)} did not answer")));
            Context.Parent.Tell(ExportRunFinished.Instance);
            Context.Stop(Self);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PartitionRegions regions, IActorRef replyTo, CoordinatorSettings settings) =>
        Akka.Actor.Props.Create(() => new ExportRun(regions, replyTo, settings));

    private static string Key(ResourceKind kind, int partition) => $"{kind}/{partition}";

    protected override void PreStart()
    {
        _fanOut.StartRetrying(Timers);
        foreach (var kind in _regions.Served)
        {
            _sections[kind] = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var p = 0; p < PartitionScheme.PartitionCount; p++)
                _fanOut.Send(Key(kind, p), new GetPartitionContents(kind, p));
        }
        if (_fanOut.Pending == 0) Finish();
    }

    private void Finish()
    {
        var bundle = new Bundle(_sections.ToDictionary(s => s.Key, s => (IReadOnlyDictionary<string, string>)s.Value));
        _replyTo.Tell(new ExportSnapshot(bundle));
        Context.Parent.Tell(ExportRunFinished.Instance);
        Context.Stop(Self);
    }
}

/// <summary>Local: an export run is over (answered or failed).</summary>
public sealed record ExportRunFinished
{
    public static readonly ExportRunFinished Instance = new();
}
