using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Installation;
using Kuiper.Actors.Partitions;
using Kuiper.Actors.Metrics;
using Kuiper.Actors.Releases;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Resources;
using Kuiper.Messages.Partitions;

namespace Kuiper.Node.Metrics;

/// <summary>Settings of <c>/metrics</c> (<c>Kuiper:Metrics</c>).</summary>
public sealed class MetricsSettings
{
    public const string Section = "Kuiper:Metrics";

    /// <summary>How often the gauges that need a cluster query (resources, partitions, installs) are read again.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The fleet's state as gauges. Membership is read at each scrape (it is in memory); what needs a query (resources
/// stored, partitions hosted, this node's installs) is read every <see cref="MetricsSettings.RefreshInterval"/> and
/// soon after an import through this node, so a scrape never waits on the cluster and never loads it.
/// </summary>
public sealed class FleetGauges : BackgroundService
{
    private static readonly string[] MemberStatuses =
        Enum.GetValues<MemberStatus>().Select(s => s.ToString().ToLowerInvariant()).ToArray();

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly IServiceProvider _services;
    private readonly MetricsSettings _settings;
    private readonly ILogger<FleetGauges> _log;
    private readonly Channel<bool> _refresh = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile FleetSnapshot _snapshot = FleetSnapshot.Empty;
    private volatile ActorSystem? _system;
    private PartitionReader? _reader;

    public FleetGauges(IServiceProvider services, MetricsSettings settings, ILogger<FleetGauges> log)
    {
        (_services, _settings, _log) = (services, settings, log);
        var meter = KuiperMeter.Meter;
        meter.CreateObservableGauge<long>("kuiper.resources.stored", () => _snapshot.Stored,
            description: "resources held by the running partitions this node hosts, by kind (summed over the nodes: the cluster's)");
        meter.CreateObservableGauge<long>("kuiper.partitions.hosted", () => _snapshot.Partitions, description: "partitions (shards) hosted by this node, by kind");
        meter.CreateObservableGauge<long>("kuiper.entities.hosted", () => _snapshot.Entities, description: "live partition entities on this node, by kind");
        meter.CreateObservableGauge<long>("kuiper.artefacts.installs", () => _snapshot.Installs,
            description: "artefacts the cluster stores, by kind and install state on this node (installed, failed, pending)");
        meter.CreateObservableGauge<long>("kuiper.cluster.members", Members, description: "cluster members as this node sees them, by status");
        meter.CreateObservableGauge<long>("kuiper.cluster.unreachable", Unreachable, description: "members this node sees as unreachable");
        // During a rolling upgrade: how many members run each release, as this node sees them.
        meter.CreateObservableGauge<long>("kuiper.cluster.versions", Versions, description: "cluster members by the release (app version) they run");
        meter.CreateObservableGauge<long>("kuiper.build.info", () => new Measurement<long>(1,
                new KeyValuePair<string, object?>("version", ThisRelease.Version), new KeyValuePair<string, object?>("commit", ThisRelease.Commit)),
            description: "always 1: the release and commit this node runs");
        // The node's labels once, as kube-state-metrics shows a node's: a series of its own, not a label on every series.
        var labels = NodeInfoTags(services.GetRequiredService<KuiperSettings>().Node.Labels);
        meter.CreateObservableGauge<long>("kuiper.node.info", () => new Measurement<long>(1, labels),
            description: "always 1: this node's labels (Kuiper:Node:Labels), each as label_<key>");
    }

    /// <summary>
    /// <c>label_&lt;key&gt;</c> per label, its key made a Prometheus label name (<c>a-z A-Z 0-9 _</c>): <c>topology.kubernetes.io/zone</c>
    /// becomes <c>label_topology_kubernetes_io_zone</c>.
    /// </summary>
    public static KeyValuePair<string, object?>[] NodeInfoTags(IReadOnlyDictionary<string, string> labels) =>
        labels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new KeyValuePair<string, object?>("label_" + string.Concat(l.Key.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')), l.Value))
            .ToArray();

    /// <summary>Asks for a refresh now (after an import); a refresh already asked for covers it.</summary>
    public void RefreshSoon() => _refresh.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The actor system is the Akka hosted service's: read it once every hosted service has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (_services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => started.TrySetResult()))
            await started.Task.WaitAsync(stoppingToken);
        _system = _services.GetRequiredService<ActorSystem>();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                _snapshot = await ReadAsync(_system, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The previous values stay; a node still joining or a journal outage is seen in other series.
                _log.LogDebug(e, "The fleet gauges could not be read; the previous values stay");
            }
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            wait.CancelAfter(_settings.RefreshInterval);
            try
            {
                await _refresh.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    private async Task<FleetSnapshot> ReadAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        // Bounded as the endpoints' reads are; built here so that metrics need nothing from the HTTP edge.
        var reader = _reader ??= new PartitionReader(
            PartitionRegions.Of(system), _services.GetRequiredService<KuiperSettings>().Patience().Partitions, bounded: true);
        var store = _services.GetRequiredService<ArtefactStore>();
        var self = Cluster.Get(system).SelfAddress.ToString();
        var sharding = ClusterSharding.Get(system);

        var stored = new List<Measurement<long>>();
        var partitions = new List<Measurement<long>>();
        var entities = new List<Measurement<long>>();
        var installs = new List<Measurement<long>>();
        foreach (var kind in ResourceKinds.All)
        {
            var kindTag = new KeyValuePair<string, object?>("kind", kind.BundleKey());
            var regionRef = sharding.ShardRegion(kind.RegionName());
            var region = await regionRef.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Patience, cancellationToken);
            partitions.Add(new(region.Shards.Count, kindTag));
            entities.Add(new(region.Shards.Sum(s => s.EntityIds.Count), kindTag));

            // Only the partitions already running here are asked: a scrape must not start the others (each start is a
            // journal recovery). Summed over the nodes, this is what the cluster holds in its running partitions.
            long held = 0;
            foreach (var entityId in region.Shards.SelectMany(s => s.EntityIds))
            {
                var contents = await regionRef.Ask<PartitionContents>(
                    new GetPartitionContents(kind, PartitionScheme.ParseEntityId(entityId)), Patience, cancellationToken);
                held += contents.Resources.Count;
            }
            stored.Add(new(held, kindTag));

            if (!kind.IsArtefact()) continue;
            // The installer reads every artefact partition at each pass anyway: reading them here starts nothing new.
            var resources = await reader.ReadKindAsync(kind, cancellationToken);
            long installed = 0, failed = 0, pending = 0;
            foreach (var definition in resources.Values)
            {
                if (ArtefactRecord.Parse(definition) is not { } record) continue;
                var here = (await store.InstallsAsync(kind.BundleKey(), record.InstallKey, cancellationToken)).FirstOrDefault(i => i.Node == self);
                if (here is null || (here.Error is null && here.ContentHash != record.ContentHash)) pending++;
                else if (here.Error is not null) failed++;
                else installed++;
            }
            installs.Add(new(installed, kindTag, new("state", "installed")));
            installs.Add(new(failed, kindTag, new("state", "failed")));
            installs.Add(new(pending, kindTag, new("state", "pending")));
        }
        return new FleetSnapshot([.. stored], [.. partitions], [.. entities], [.. installs]);
    }

    private IEnumerable<Measurement<long>> Members()
    {
        if (_system is not { } system) return [];
        var members = Cluster.Get(system).State.Members;
        return MemberStatuses.Select(status => new Measurement<long>(
            members.Count(m => m.Status.ToString().Equals(status, StringComparison.OrdinalIgnoreCase)), new KeyValuePair<string, object?>("status", status)));
    }

    private IEnumerable<Measurement<long>> Versions() =>
        _system is { } system
            ? Cluster.Get(system).State.Members.GroupBy(m => m.AppVersion.Version)
                .Select(g => new Measurement<long>(g.Count(), new KeyValuePair<string, object?>("version", g.Key)))
            : [];

    private IEnumerable<Measurement<long>> Unreachable() =>
        _system is { } system ? [new Measurement<long>(Cluster.Get(system).State.Unreachable.Count)] : [];

    private sealed record FleetSnapshot(
        IEnumerable<Measurement<long>> Stored,
        IEnumerable<Measurement<long>> Partitions,
        IEnumerable<Measurement<long>> Entities,
        IEnumerable<Measurement<long>> Installs)
    {
        public static readonly FleetSnapshot Empty = new([], [], [], []);
    }
}
