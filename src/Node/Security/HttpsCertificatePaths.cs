namespace Kuiper.Node.Security;

/// <summary>HTTPS for the HTTP edge is Kestrel's own configuration (<c>Kestrel:Endpoints:Https:Url</c>, <c>:Certificate:Path</c>).</summary>
public static class HttpsCertificatePaths
{
    /// <summary>
    /// Kestrel reads a relative certificate path against the content root, which is the binary's folder here; every
    /// other path setting of the node is relative to the working directory, so these are made so too.
    /// </summary>
    public static ConfigurationManager UseWorkingDirectoryForCertificatePaths(this ConfigurationManager configuration)
    {
        var certificates = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint.GetSection("Certificate"))
            .Concat(configuration.GetSection("Kestrel:Certificates").GetChildren());
        var absolute = new Dictionary<string, string?>();
        foreach (var certificate in certificates)
            foreach (var key in new[] { "Path", "KeyPath" })
                if (certificate[key] is { Length: > 0 } path && !Path.IsPathRooted(path))
                    absolute[certificate.GetSection(key).Path] = Path.GetFullPath(path);
        if (absolute.Count > 0) configuration.AddInMemoryCollection(absolute);
        return configuration;
    }
}
