using Kuiper.Actors.Metrics;
using OpenTelemetry.Metrics;

namespace Kuiper.Node.Metrics;

/// <summary>
/// <c>GET /metrics</c>: OpenTelemetry's Prometheus exporter over the node's BCL instruments (<see cref="KuiperMeter"/>)
/// and the runtime's own (GC, thread pool, JIT, exceptions).
/// </summary>
public static class MetricsHosting
{
    public const string Path = "/metrics";

    /// <summary>
    /// Tag combinations kept per metric, more are counted under OpenTelemetry's overflow point: the node's tags combine
    /// to a few dozen at most. Each stream preallocates its points: at the default 2,000, the 29 streams kept an idle
    /// node 16 MB larger (measured with bench/).
    /// </summary>
    public const int MaxPointsPerStream = 200;

    /// <summary>Seconds; OpenTelemetry's default buckets are meant for milliseconds.</summary>
    private static readonly double[] ImportBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly double[] JournalBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    public static IServiceCollection AddKuiperMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(configuration.GetSection(MetricsSettings.Section).Get<MetricsSettings>() ?? new MetricsSettings());
        services.AddSingleton<FleetGauges>();
        services.AddHostedService(provider => provider.GetRequiredService<FleetGauges>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(KuiperMeter.Name)
            .AddRuntimeInstrumentation()
            // One view for every instrument (two views matching one instrument would make two streams of it).
            .AddView(instrument => instrument.Name switch
            {
                "kuiper.import.duration" => new ExplicitBucketHistogramConfiguration { Boundaries = ImportBuckets, CardinalityLimit = MaxPointsPerStream },
                "kuiper.journal.write.duration" => new ExplicitBucketHistogramConfiguration { Boundaries = JournalBuckets, CardinalityLimit = MaxPointsPerStream },
                _ => new MetricStreamConfiguration { CardinalityLimit = MaxPointsPerStream },
            })
            // The exporter caches a scrape for 300 ms by default: a scrape right after an import must show it.
            .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static IEndpointConventionBuilder MapKuiperMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(Path);
}
