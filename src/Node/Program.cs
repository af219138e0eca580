using Akka.Hosting;
using Kuiper.Actors.Hosting;
using Kuiper.Node;
using Kuiper.Node.Http;

if (Kuiper.Node.Cli.ClientVerbs.IsVerb(args)) return await Kuiper.Node.Cli.ClientVerbs.RunAsync(args);

// Settings files ship beside the binary; relative paths in settings (DataDir) stay relative to the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

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
var nodeExit = app.Services.GetRequiredService<NodeExit>();
// Go's router answers an unknown path with this text; a known path with the wrong method stays a bare 405.
app.UseStatusCodePages(async context =>
{
    if (context.HttpContext.Response.StatusCode == StatusCodes.Status404NotFound)
    {
        context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
        await context.HttpContext.Response.WriteAsync("404 page not found\n");
    }
});

app.MapGet("/ping", () => Results.Ok());
app.MapDataImportExport();
app.MapClusterInspection();
await app.RunAsync();
return nodeExit.RequestedExitCode ?? Environment.ExitCode;
