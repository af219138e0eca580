using System.Text;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Artefacts.Plugins;

namespace Kuiper.Tests.Artefacts;

public sealed class PluginCheckerTests
{
    private const string Uri = "http://example.com/plugins/tdengine.zip";

    internal static CheckResult Check(IArtefactChecker checker, string key, string value, byte[]? zip, IInstalledArtefacts? installed = null, string uri = Uri)
    {
        installed ??= InstalledSet.Empty;
        var fetched = new Dictionary<string, FetchResult>();
        if (zip is not null) fetched[uri] = FetchResult.Ok(zip);
        var descriptor = checker.CheckDescriptor(key, value, installed);
        var result = checker.Check(key, value, installed, fetched);
        // The descriptor step never contradicts the full check.
        if (descriptor.Error is not null) Assert.Equal(descriptor.Error, result.Error);
        return result;
    }

    private static NativePluginChecker Native(bool scripts = false) => new(new ArtefactPolicy { AllowInstallScripts = scripts });

    private static PortablePluginChecker Portable(bool scripts = false) => new(new ArtefactPolicy { AllowInstallScripts = scripts });

    private static string Files(ArtefactPlan plan) => string.Join(" ", plan.Files.Select(f => f.Path));

    // ---- native ----

    [Fact]
    public void Native_sink_plan_puts_each_file_in_its_place()
    {
        var zip = new ZipBuilder()
            .File("tdengine@v1.2.0.so", "ELF")
            .File("tdengine.json", "{\"about\":{}}")
            .File("etc/tdengine.yaml", "a: 1")
            .File("README.md", "readme")
            .Build();

        var result = Check(Native(), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}","shellParas":[]}""", zip);

        Assert.Null(result.Error);
        var plan = result.Plan!;
        Assert.Equal(ArtefactKind.NativePlugin, plan.Kind);
        Assert.Equal("sinks_tdengine", plan.InstallKey);
        Assert.Equal("plugins/sinks/tdengine@v1.2.0.so sinks/tdengine.json sinks/tdengine/tdengine.yaml", Files(plan));
        Assert.Equal("v1.2.0", plan.Version);
        Assert.Equal($$"""{"name":"tdengine","file":"{{Uri}}"}""", plan.Descriptor);
        Assert.Equal(["tdengine"], plan.Provides.Sinks);
        Assert.Null(plan.InstallScript);
    }

    [Fact]
    public void Native_source_needs_its_yaml()
    {
        var zip = new ZipBuilder().File("random.so", "ELF").Build();
        var result = Check(Native(), "sources_random", $$"""{"name":"random","file":"{{Uri}}"}""", zip);
        Assert.Equal("fail to install plugin: invalid zip file: expectFiles: 3, got filenames:[plugins/sources/random.so], zipFiles: [random.so], yamlFileChecked:false, soFileChecked:true", result.Error);

        var complete = new ZipBuilder().File("Random.so", "ELF").File("random.yaml", "default: {}").Build();
        var plan = Check(Native(), "sources_random", $$"""{"name":"random","file":"{{Uri}}"}""", complete).Plan!;
        Assert.Equal("plugins/sources/Random.so sources/random.yaml", Files(plan));
    }

    [Fact]
    public void Native_so_must_carry_the_plugin_name()
    {
        var zip = new ZipBuilder().File("other.so", "ELF").File("lib/tdengine.so", "ELF").Build();
        var result = Check(Native(), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}"}""", zip);
        Assert.Equal("fail to install plugin: invalid zip file: expectFiles: 1, got filenames:[], zipFiles: [other.so lib/tdengine.so], yamlFileChecked:false, soFileChecked:false", result.Error);
    }

    [Fact]
    public void Native_two_so_files_are_one_too_many()
    {
        var zip = new ZipBuilder().File("tdengine.so", "1").File("tdengine@v2.so", "2").Build();
        var result = Check(Native(), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}"}""", zip);
        Assert.Equal("fail to install plugin: invalid zip file: expectFiles: 1, got filenames:[plugins/sinks/tdengine.so plugins/sinks/tdengine@v2.so], zipFiles: [tdengine.so tdengine@v2.so], yamlFileChecked:false, soFileChecked:true", result.Error);
    }

    [Theory]
    [InlineData("""{"name":"  ","file":"http://example.com/a.zip"}""", "invalid name : should not be empty")]
    [InlineData("""{"file":"http://example.com/a.zip"}""", "invalid name : should not be empty")]
    [InlineData("""{"name":"../x","file":"http://example.com/a.zip"}""", "id '../x' contains invalid characters: only alphanumeric, hyphens and underscores are allowed")]
    [InlineData("""{"name":"tdengine","file":"http://example.com/a.tar"}""", "invalid uri http://example.com/a.tar")]
    [InlineData("""{"name":"tdengine","file":"tdengine.zip"}""", "invalid uri tdengine.zip")]
    [InlineData("""{"name":"tdengine","file":"file://host/a.zip"}""", "invalid uri file://host/a.zip")]
    [InlineData("""{"name":"tdengine","file":"ftp://example.com/a.zip"}""", "invalid uri ftp://example.com/a.zip")]
    [InlineData("nnn", "invalid character 'n' in literal null (expecting 'u')")]
    [InlineData("x", "invalid character 'x' looking for beginning of value")]
    [InlineData("{\"name\":\"x\",\"file\":\"y\"", "unexpected end of JSON input")]
    [InlineData("""{"name":1}""", "json: cannot unmarshal number into Go struct field IOPlugin.name of type string")]
    [InlineData("""{"name":"x","shellParas":"a"}""", "json: cannot unmarshal string into Go struct field IOPlugin.shellParas of type []string")]
    [InlineData("""["x"]""", "json: cannot unmarshal array into Go value of type plugin.IOPlugin")]
    public void Native_descriptor_errors(string value, string expected)
    {
        var checker = Native();
        Assert.Equal(expected, checker.CheckDescriptor("sinks_tdengine", value, InstalledSet.Empty).Error);
        Assert.Equal(expected, Check(checker, "sinks_tdengine", value, null).Error);
    }

    [Fact]
    public void Deeply_nested_unknown_fields_are_ignored_like_go_does()
    {
        var value = "{\"name\":\"x\",\"file\":\"http://e.com/a.zip\",\"extra\":" + new string('[', 200) + new string(']', 200) + "}";
        var check = Native().CheckDescriptor("sinks_x", value, InstalledSet.Empty);
        Assert.Null(check.Error);
        Assert.Equal(["http://e.com/a.zip"], check.Fetches);
    }

    [Fact]
    public void Native_function_descriptor_is_a_FuncPlugin()
    {
        Assert.Equal("json: cannot unmarshal number into Go struct field FuncPlugin.functions of type string",
            Native().CheckDescriptor("functions_image", """{"name":"image","file":"http://e.com/a.zip","functions":[1]}""", InstalledSet.Empty).Error);
    }

    [Fact]
    public void Native_type_comes_from_the_key_prefix_and_unknown_means_sources()
    {
        Assert.Equal("sinks", NativePluginChecker.TypeOf("sinks_tdengine"));
        Assert.Equal("functions", NativePluginChecker.TypeOf("functions_my_func"));
        Assert.Equal("sources", NativePluginChecker.TypeOf("weird_x"));
        Assert.Equal("sources", NativePluginChecker.TypeOf("noprefix"));
    }

    [Fact]
    public void Native_duplicate_and_function_symbols_are_checked_against_what_is_installed()
    {
        var installed = new InstalledSet([
            new InstalledArtefact(ArtefactKind.NativePlugin, "sinks_tdengine", "{}", "h", [], null, new ArtefactProvides([], ["tdengine"], [])),
            new InstalledArtefact(ArtefactKind.NativePlugin, "functions_image", "{}", "h", [], null, new ArtefactProvides([], [], ["resize", "thumbnail"])),
        ]);
        Assert.Equal("invalid name tdengine: duplicate",
            Native().CheckDescriptor("sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}"}""", installed).Error);

        var zip = new ZipBuilder().File("geo.so", "ELF").Build();
        var clash = Check(Native(), "functions_geo", $$"""{"name":"geo","file":"{{Uri}}","functions":["distance","thumbnail"]}""", zip, installed);
        Assert.Equal("function name thumbnail already exists", clash.Error);

        var plan = Check(Native(), "functions_geo", $$"""{"name":"geo","file":"{{Uri}}","functions":["distance"]}""", zip, installed).Plan!;
        Assert.Equal(["distance"], plan.Provides.Functions);
        // eKuiper loses the list on export; we keep it so a re-import registers the same symbols.
        Assert.Equal($$"""{"name":"geo","file":"{{Uri}}","functions":["distance"]}""", plan.Descriptor);
    }

    [Fact]
    public void Native_shell_parameters_need_an_install_script()
    {
        var zip = new ZipBuilder().File("tdengine.so", "ELF").Build();
        var result = Check(Native(), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}","shellParas":["-v","1"]}""", zip);
        Assert.Equal("fail to install plugin: have shell parameters : [-v 1] but no install.sh file", result.Error);
    }

    [Fact]
    public void Native_install_script_never_runs_unless_allowed()
    {
        var zip = new ZipBuilder().File("tdengine.so", "ELF").File("install.sh", "echo hi").File("deps/lib.a", "x").Build();

        var asked = Check(Native(), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}","shellParas":["1"]}""", zip);
        Assert.Equal("fail to install plugin: install scripts are disabled on this node (Kuiper:Security:AllowInstallScripts)", asked.Error);

        var quiet = Check(Native(), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}"}""", zip).Plan!;
        Assert.Null(quiet.InstallScript);
        Assert.Equal("plugins/sinks/tdengine.so", Files(quiet));
        Assert.Equal(["install.sh of native plugin sinks_tdengine was not run: install scripts are disabled on this node (Kuiper:Security:AllowInstallScripts)"], quiet.Notes);

        var allowed = Check(Native(scripts: true), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}","shellParas":["1"]}""", zip).Plan!;
        Assert.Equal(["1"], allowed.InstallScript!.Arguments);
        Assert.Null(allowed.InstallScript.WorkingDirectory);
        Assert.Equal(["install.sh", "deps/lib.a"], allowed.InstallScript.ScratchFiles.Select(f => f.Path));
    }

    [Fact]
    public void Native_unsafe_archive_and_download_failure()
    {
        var slip = new ZipBuilder().File("tdengine.so", "ELF").File("../evil.so", "x").Build();
        Assert.Equal("fail to install plugin: zip entry \"../evil.so\" has a \"..\" segment",
            Check(Native(), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}"}""", slip).Error);

        var fetched = new Dictionary<string, FetchResult> { [Uri] = FetchResult.Fail("cannot download the file with status: 404 Not Found") };
        Assert.Equal($"fail to download file {Uri}: cannot download the file with status: 404 Not Found",
            Native().Check("sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}"}""", InstalledSet.Empty, fetched).Error);

        Assert.Equal("fail to install plugin: zip: not a valid zip file",
            Check(Native(), "sinks_tdengine", $$"""{"name":"tdengine","file":"{{Uri}}"}""", Encoding.UTF8.GetBytes("<html>")).Error);
    }

    // ---- portable ----

    private static byte[] PortableZip(string manifest, bool withExecutable = true, bool withYaml = true)
    {
        var builder = new ZipBuilder().File("pysam.json", manifest);
        if (withExecutable) builder.File("pysam.py", "print()", mode: 0x81ED);
        if (withYaml) builder.File("sources/pyjson.yaml", "default: {}");
        return builder.File("sinks/print.json", "{}").File("install.sh", "pip install x").Build();
    }

    private const string Manifest = """{"name":"pysam","version":"v1.0.0","language":"python","executable":"pysam.py","sources":["pyjson"],"sinks":["print"],"functions":["revert"]}""";

    [Fact]
    public void Portable_plan_installs_the_plugin_folder_and_metadata()
    {
        var result = Check(Portable(), "pysam", $$"""{"name":"pysam","file":"{{Uri}}","shellParas":[]}""", PortableZip(Manifest));

        Assert.Null(result.Error);
        var plan = result.Plan!;
        Assert.Equal("pysam", plan.InstallKey);
        Assert.Equal("plugins/portable/pysam/pysam.json plugins/portable/pysam/pysam.py sources/pyjson.yaml sinks/print.json plugins/portable/pysam/install.sh", Files(plan));
        Assert.Equal(0x1ED, plan.Files.Single(f => f.Path.EndsWith("pysam.py")).UnixMode);
        Assert.Equal($$"""{"name":"pysam","file":"{{Uri}}"}""", plan.Descriptor);
        Assert.Equal(new[] { "pyjson" }, plan.Provides.Sources);
        Assert.Equal(new[] { "print" }, plan.Provides.Sinks);
        Assert.Equal(new[] { "revert" }, plan.Provides.Functions);
        Assert.Equal("v1.0.0", plan.Version);
        Assert.Null(plan.InstallScript);
        Assert.Single(plan.Notes);
    }

    [Theory]
    [InlineData("""{"name":"other","language":"python","executable":"pysam.py","sources":["pyjson"]}""", "invalid plugin, expect name 'pysam' but got 'other'")]
    [InlineData("""{"executable":"pysam.py","sources":["pyjson"]}""", "invalid plugin, missing language")]
    [InlineData("""{"language":"python","sources":["pyjson"]}""", "invalid plugin, missing executable")]
    [InlineData("""{"language":"python","executable":"pysam.py"}""", "invalid plugin, must define at lease one source, sink or function")]
    [InlineData("""{"language":"java","executable":"pysam.py","sinks":["print"]}""", "invalid plugin, language 'java' is not supported")]
    [InlineData("""{"language":"python","executable":"./pysam.py","sinks":["print"]}""", "missing ./pysam.py")]
    [InlineData("""{"language":"python","executable":"pysam.py","sources":["pyjson","other"]}""", "missing sources/other.yaml")]
    [InlineData("""{"language":"python","executable":"pysam.py","sources":"pyjson"}""", "json: cannot unmarshal string into Go struct field PluginInfo.sources of type []string")]
    [InlineData("""{"language":"python","executable":"pysam.py","env":1}""", "json: cannot unmarshal number into Go struct field PluginInfo.env of type string")]
    [InlineData("""{"language":"python",""", "unexpected end of JSON input")]
    public void Portable_manifest_errors(string manifest, string expected)
    {
        var result = Check(Portable(), "pysam", $$"""{"name":"pysam","file":"{{Uri}}"}""", PortableZip(manifest));
        Assert.Equal("fail to install plugin: " + expected, result.Error);
    }

    [Fact]
    public void Portable_missing_manifest_counts_the_entries()
    {
        var zip = new ZipBuilder().File("a.py", "").File("b.json", "{}").Build();
        Assert.Equal("fail to install plugin: missing or invalid json file pysam.json, found 2 files in total",
            Check(Portable(), "pysam", $$"""{"name":"pysam","file":"{{Uri}}"}""", zip).Error);
    }

    [Fact]
    public void Portable_missing_executable_file()
    {
        var result = Check(Portable(), "pysam", $$"""{"name":"pysam","file":"{{Uri}}"}""", PortableZip(Manifest, withExecutable: false));
        Assert.Equal("fail to install plugin: missing pysam.py", result.Error);
    }

    [Fact]
    public void Portable_duplicate_and_install_script_policy()
    {
        var installed = new InstalledSet([new InstalledArtefact(ArtefactKind.PortablePlugin, "pysam", "{}", "h", [], null, ArtefactProvides.None)]);
        Assert.Equal("invalid name pysam: duplicate", Portable().CheckDescriptor("pysam", $$"""{"name":"pysam","file":"{{Uri}}"}""", installed).Error);

        Assert.Equal("fail to install plugin: install scripts are disabled on this node (Kuiper:Security:AllowInstallScripts)",
            Check(Portable(), "pysam", $$"""{"name":"pysam","file":"{{Uri}}","shellParas":["x"]}""", PortableZip(Manifest)).Error);

        var plan = Check(Portable(scripts: true), "pysam", $$"""{"name":"pysam","file":"{{Uri}}","shellParas":["x"]}""", PortableZip(Manifest)).Plan!;
        Assert.Equal("plugins/portable/pysam", plan.InstallScript!.WorkingDirectory);
        Assert.Equal(["x"], plan.InstallScript.Arguments);
        Assert.Equal($$"""{"name":"pysam","file":"{{Uri}}","shellParas":["x"]}""", plan.Descriptor);
    }

    [Fact]
    public void Portable_symlink_entry_is_refused()
    {
        var zip = new ZipBuilder().File("pysam.json", Manifest).Symlink("pysam.py", "/bin/sh").Build();
        Assert.Equal("fail to install plugin: zip entry \"pysam.py\" is a symbolic link",
            Check(Portable(), "pysam", $$"""{"name":"pysam","file":"{{Uri}}"}""", zip).Error);
    }
}
