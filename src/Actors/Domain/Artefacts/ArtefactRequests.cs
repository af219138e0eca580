using System.Text.Json;
using Kuiper.Domain.Artefacts.Plugins;
using Kuiper.Domain.Artefacts.Schemas;
using Kuiper.Domain.GoCompat;

namespace Kuiper.Domain.Artefacts;

/// <summary>A plugin create or update body, eKuiper's <c>plugin.IOPlugin</c> (or <c>plugin.FuncPlugin</c> for functions).</summary>
public sealed record PluginRequest(string Name, string File, IReadOnlyList<string> ShellParas, IReadOnlyList<string> Functions)
{
    /// <summary>The bundle item an import carries for this plugin (Go's marshal of the struct, empty lists left out).</summary>
    public string ItemJson() => GoMarshal.Object(w =>
    {
        w.WriteString("name", Name);
        w.WriteString("file", File);
        if (ShellParas.Count > 0) GoMarshal.Strings(w, "shellParas", ShellParas);
        if (Functions.Count > 0) GoMarshal.Strings(w, "functions", Functions);
    });
}

/// <summary>A service create or update body, eKuiper's <c>service.ServiceCreationRequest</c>.</summary>
public sealed record ServiceRequest(string Name, string File)
{
    public string ItemJson() => GoMarshal.Object(w =>
    {
        w.WriteString("name", Name);
        w.WriteString("file", File);
    });
}

/// <summary>A schema body, eKuiper's <c>schema.Info</c>.</summary>
public sealed record SchemaRequest(string Type, string Name, string Content, string File, string SoFile, string Version)
{
    /// <summary>The bundle key of a schema: <c>&lt;type&gt;_&lt;name&gt;</c>.</summary>
    public string Key => $"{Type}_{Name}";

    /// <summary>eKuiper's <c>Info.Validate</c>, which the REST endpoints (not the import) call; null when valid.</summary>
    public string? Validate()
    {
        if (Name.Length == 0) return "name is required";
        if (Content.Length > 0 && File.Length > 0) return "cannot specify both content and file";
        if (!SchemaChecker.IsKnownType(Type)) return $"unsupported schema type {Type}";
        if (Type == "protobuf" && Content.Length == 0 && File.Length == 0) return "must specify content or file";
        if (Type == "custom" && SoFile.Length == 0) return "soFile is required";
        return null;
    }

    /// <summary>Go's marshal of <c>schema.Info</c>: the empty optional fields left out.</summary>
    public string ItemJson() => GoMarshal.Object(w =>
    {
        w.WriteString("type", Type);
        w.WriteString("name", Name);
        if (Content.Length > 0) w.WriteString("content", Content);
        if (File.Length > 0) w.WriteString("file", File);
        if (SoFile.Length > 0) w.WriteString("soFile", SoFile);
        if (Version.Length > 0) w.WriteString("version", Version);
    });
}

/// <summary>
/// The request bodies of eKuiper's plugin, service and schema endpoints, decoded as its handlers decode them:
/// <c>json.NewDecoder(r.Body).Decode(&amp;v)</c> reads the first JSON value only, and a failure is Go's error text
/// (<c>EOF</c> for an empty body, <c>json: cannot unmarshal ...</c> for a wrong type).
/// </summary>
public static class ArtefactRequests
{
    private static readonly GoShape FunctionListShape = GoShape.StructOf("server.functionList", ("functions", GoShape.SliceOf(GoShape.String)));

    private static readonly GoShape ServiceShape = GoShape.StructOf("service.ServiceCreationRequest",
        ("name", GoShape.String), ("file", GoShape.String));

    private static readonly GoShape SchemaShape = GoShape.StructOf("schema.Info",
        ("type", GoShape.String), ("name", GoShape.String), ("content", GoShape.String),
        ("file", GoShape.String), ("soFile", GoShape.String), ("version", GoShape.String));

    /// <summary>A plugin body; <paramref name="functionPlugin"/> reads <c>functions</c> too, as eKuiper's FuncPlugin does.</summary>
    public static (PluginRequest? Request, string? Error) Plugin(ReadOnlyMemory<byte> body, bool functionPlugin)
    {
        var (document, error) = Decode(body, functionPlugin ? PluginDescriptor.FuncPluginShape : PluginDescriptor.IoPluginShape);
        if (document is null) return (null, error);
        using (document)
        {
            var root = document.RootElement;
            return (new PluginRequest(GoRead.String(root, "name"), GoRead.String(root, "file"), GoRead.Strings(root, "shellParas"),
                functionPlugin ? GoRead.Strings(root, "functions") : []), null);
        }
    }

    /// <summary>The body of <c>POST /plugins/functions/{name}/register</c>: <c>{"functions":[...]}</c>.</summary>
    public static (IReadOnlyList<string>? Functions, string? Error) FunctionList(ReadOnlyMemory<byte> body)
    {
        var (document, error) = Decode(body, FunctionListShape);
        if (document is null) return (null, error);
        using (document) return (GoRead.Strings(document.RootElement, "functions"), null);
    }

    public static (ServiceRequest? Request, string? Error) Service(ReadOnlyMemory<byte> body)
    {
        var (document, error) = Decode(body, ServiceShape);
        if (document is null) return (null, error);
        using (document) return (new ServiceRequest(GoRead.String(document.RootElement, "name"), GoRead.String(document.RootElement, "file")), null);
    }

    /// <summary>
    /// A schema body decoded over what the path says (<paramref name="type"/>, and <paramref name="name"/> for a PUT),
    /// as eKuiper decodes into a pre-filled <c>schema.Info</c>: a field in the body overrides the path's.
    /// </summary>
    public static (SchemaRequest? Request, string? Error) Schema(ReadOnlyMemory<byte> body, string type, string name = "")
    {
        var (document, error) = Decode(body, SchemaShape);
        if (document is null) return (null, error);
        using (document)
        {
            var root = document.RootElement;
            return (new SchemaRequest(GoRead.String(root, "type", type), GoRead.String(root, "name", name), GoRead.String(root, "content"),
                GoRead.String(root, "file"), GoRead.String(root, "soFile"), GoRead.String(root, "version")), null);
        }
    }

    private static (JsonDocument? Document, string? Error) Decode(ReadOnlyMemory<byte> body, GoShape shape)
    {
        if (GoJsonSyntax.CheckDecode(body.Span) is { } syntax) return (null, syntax);
        var document = GoJsonLimits.ParseFirstValue(body);
        if (shape.Check(document.RootElement) is { } typeError)
        {
            document.Dispose();
            return (null, typeError);
        }
        return (document, null);
    }
}
