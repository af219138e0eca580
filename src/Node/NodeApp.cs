using Akka.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Kuiper.Actors.Hosting;
using Kuiper.Actors.Installation;
using Kuiper.Node.Http;
using Kuiper.Node.Inspection;
using Kuiper.Node.Logging;
using Kuiper.Node.Metrics;
using Kuiper.Node.Provisioning;
using Kuiper.Node.Security;

namespace Kuiper.Node;

/// <summary>
/// The node: its services, its middleware and every route it maps. Built here (not started) so that tests can list
/// the routes the node really maps (the OpenAPI document must cover each one).
/// </summary>
public static class NodeApp
{
    public static WebApplication Build(string[] args)
    {
        // Settings files ship beside the binary; relative paths in settings (DataDir) stay relative to the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.UseWorkingDirectoryForCertificatePaths();
        builder.Logging.AddSecretMaskingConsole();

        var settings = builder.Configuration.GetSection(KuiperSettings.Section).Get<KuiperSettings>() ?? new KuiperSettings();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton<NodeExit>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<ResourceStore>();
        builder.Services.AddSingleton<LocalArtefacts>();
        builder.Services.AddSingleton<FleetInstalls>();
        builder.Services.AddSingleton<ArtefactWrites>();
        // A key file that cannot be read stops the node here, naming the file.
        builder.Services.AddSingleton(new ExportSecrets(settings, settings.SecretKeyRing()));
        builder.Services.AddSingleton(services =>
        {
            var client = CoordinatorHostingExtensions.CoordinatorClient(services.GetRequiredService<Akka.Actor.ActorSystem>(), settings);
            // What the fleet's gauges show is read again soon after an import.
            client.Imported += services.GetRequiredService<FleetGauges>().RefreshSoon;
            return client;
        });
        builder.Services.AddSingleton<AsyncImportStop>();
        builder.Services.AddSingleton(new ArtefactStore(settings.Persistence, settings.DataDir));
        builder.Services.AddHealthChecks();
        builder.Services.AddKuiperMetrics(builder.Configuration);
        builder.Services.AddKuiperOpenApi();
        builder.Services.AddKuiperAuthentication(settings);
        // eKuiper's port unless --urls or Kestrel's own endpoints (HTTPS: Kestrel:Endpoints:Https:Url and :Certificate) say otherwise.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
            builder.WebHost.UseUrls(NodeDefaults.HttpUrl);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.Import.MaxRequestBytes);

        builder.Services.AddAkka(ClusterSettings.SystemName, akka => akka
            .AddHocon(NodeDefaults.LoadHocon(), HoconAddMode.Prepend)
            .WithKuiperNode(settings)
            .WithLogsThroughHost());
        builder.Services.AddStartupProvisioning();

        var app = builder.Build();
        // First: an inner request of POST /batch/req runs through all of the middleware below, as eKuiper's runs through its router.
        app.UseBatchRequests();
        app.UseHeapTrimming();
        // A body over MaxRequestBytes (413) or badly framed (400) is answered with eKuiper's envelope, not a bare status.
        app.UseMiddleware<BadRequestEnvelope>();
        app.UseMiddleware<UnavailableEnvelope>();
        // Go's router answers an unknown path with this text; a known path with the wrong method stays a bare 405.
        app.UseStatusCodePages(async context =>
        {
            if (context.HttpContext.Response.StatusCode == StatusCodes.Status404NotFound)
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("404 page not found\n");
            }
        });

        // The console's files are static and hold no data: served before the token check (docs/decisions.md#authentication).
        app.UseKuiperConsole();
        app.UseKuiperAuthentication();
        app.UseMiddleware<CutOffGuard>();

        // Open with authentication on: eKuiper's / and /ping, and the probes orchestrators call (docs/decisions.md#authentication).
        app.MapGet("/ping", () => Results.Ok()).AllowAnonymous();
        app.MapInfo().AllowAnonymous();
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = check => check.Tags.Contains(HealthTags.Live) }).AllowAnonymous();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthReplies.WithReasons,
        }).AllowAnonymous();
        app.MapDataImportExport();
        app.MapImportHistory();
        app.MapRuleset();
        app.MapYamlImportExport();
        app.MapAsyncImport();
        app.MapStreamsAndTables();
        app.MapRules();
        app.MapConfigs();
        app.MapPlugins();
        app.MapServices();
        app.MapSchemas();
        app.MapUploads();
        app.MapScripts();
        app.MapConnections();
        app.MapClusterInspection();
        app.MapSecretRotation();
        app.MapKuiperMetrics();
        app.MapKuiperOpenApi();
        return app;
    }
}
