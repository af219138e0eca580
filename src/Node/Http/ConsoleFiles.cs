using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Kuiper.Node.Http;

/// <summary>
/// The web console: static files shipped beside the binary (<c>Console/</c>), served under <c>/console/</c>
/// (<c>/</c> is eKuiper's info endpoint). The page holds no data, so it is served without a token; everything it
/// shows comes from the API, which asks for one when authentication is on (the page lets the user paste it).
/// </summary>
public static class ConsoleFiles
{
    public const string Path = "/console";

    /// <summary>Only this node's own files and API: no inline script, no other origin, not framed by another site.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static WebApplication UseKuiperConsole(this WebApplication app)
    {
        var folder = System.IO.Path.Combine(AppContext.BaseDirectory, "Console");
        if (!Directory.Exists(folder)) return app;
        var files = new PhysicalFileProvider(folder);
        // /console answers a redirect to /console/, which serves index.html.
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = Path, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = Path,
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                // A node upgrade ships new files: the browser asks again (a 304 when nothing changed).
                headers[HeaderNames.CacheControl] = "no-cache";
            },
        });
        return app;
    }
}
