using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Node;
using Kuiper.Node.Http;

var builder = WebApplication.CreateBuilder(args);

var settings = builder.Configuration.GetSection(KuiperSettings.Section).Get<KuiperSettings>() ?? new KuiperSettings();
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton<NodeExit>();
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(NodeDefaults.HttpUrl);

builder.Services.AddAkka(ClusterSettings.SystemName, akka => akka
    .AddHocon(NodeDefaults.LoadHocon(), HoconAddMode.Prepend)
    .WithKuiperSerialization()
    .WithKuiperCluster(settings.Cluster)
    .WithKuiperPersistence(settings.Persistence, settings.DataDir)
    .WithResourcePartitions()
    .WithImportCoordinator(settings.Import));

var app = builder.Build();
app.MapGet("/ping", () => Results.Ok());
app.MapDataImportExport();
app.MapFallback(() => Results.Text("404 page not found\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));

await app.RunAsync();
return Environment.ExitCode;
