using System.Text;
using Kuiper.Domain.Artefacts;
using Kuiper.Domain.Artefacts.Fetching;
using Kuiper.Domain.Artefacts.Installing;

namespace Kuiper.Tests.Artefacts;

public sealed class ArtefactInstallerTests : IDisposable
{
    private readonly TempDir _dir = new();

    private string DataDir => _dir.Join("data");

    public void Dispose() => _dir.Dispose();

    private static ArtefactPlan Plan(ArtefactKind kind, string key, params (string Path, string Content)[] files) =>
        new(kind, key, key, $"{{\"name\":\"{key}\"}}", files.Select(f => new PlannedFile(f.Path, Encoding.UTF8.GetBytes(f.Content))).ToList());

    private string Read(string relative) => File.ReadAllText(Path.Join(DataDir, relative));

    private IReadOnlyList<string> Visible() => _dir.Snapshot(DataDir).Where(p => !p.StartsWith("data/.artefacts", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Installs_records_and_lists()
    {
        var installer = new ArtefactInstaller(DataDir);
        var plan = Plan(ArtefactKind.NativePlugin, "sinks_tdengine", ("plugins/sinks/tdengine.so", "ELF"), ("sinks/tdengine.json", "{}"));

        Assert.Equal(InstallStatus.Installed, (await installer.InstallAsync(plan)).Status);

        Assert.Equal("ELF", Read("plugins/sinks/tdengine.so"));
        var listed = Assert.Single(installer.List());
        Assert.Equal(ArtefactKind.NativePlugin, listed.Kind);
        Assert.Equal("sinks_tdengine", listed.InstallKey);
        Assert.Equal("{\"name\":\"sinks_tdengine\"}", listed.Descriptor);
        Assert.Equal(plan.ContentHash, listed.ContentHash);
        Assert.Equal(["plugins/sinks/tdengine.so", "sinks/tdengine.json"], listed.Files);
        var reopened = new ArtefactInstaller(DataDir).Find(ArtefactKind.NativePlugin, "sinks_tdengine")!;
        Assert.Equal(listed.ContentHash, reopened.ContentHash);
        Assert.Equal(listed.Files, reopened.Files);
    }

    [Fact]
    public async Task Installing_the_same_content_again_touches_nothing()
    {
        var installer = new ArtefactInstaller(DataDir);
        var plan = Plan(ArtefactKind.Upload, "a.txt", ("uploads/a.txt", "hello"));
        await installer.InstallAsync(plan);
        var path = Path.Join(DataDir, "uploads", "a.txt");
        var written = File.GetLastWriteTimeUtc(path);
        File.SetLastWriteTimeUtc(path, written.AddHours(-1));

        Assert.Equal(InstallStatus.Unchanged, (await installer.InstallAsync(Plan(ArtefactKind.Upload, "a.txt", ("uploads/a.txt", "hello")))).Status);
        Assert.Equal(written.AddHours(-1), File.GetLastWriteTimeUtc(path));

        // A file changed behind the installer's back is put right.
        File.WriteAllText(path, "tampered");
        Assert.Equal(InstallStatus.Installed, (await installer.InstallAsync(plan)).Status);
        Assert.Equal("hello", Read("uploads/a.txt"));
    }

    [Fact]
    public async Task A_new_version_replaces_the_old_files()
    {
        var installer = new ArtefactInstaller(DataDir);
        await installer.InstallAsync(Plan(ArtefactKind.NativePlugin, "sinks_x", ("plugins/sinks/x@v1.so", "1"), ("sinks/x/etc/a.yaml", "a")));
        await installer.InstallAsync(Plan(ArtefactKind.NativePlugin, "sinks_x", ("plugins/sinks/x@v2.so", "2")));

        Assert.Equal(["data/plugins", "data/plugins/sinks", "data/plugins/sinks/x@v2.so", "data/sinks"], Visible());
        Assert.Equal(["plugins/sinks/x@v2.so"], installer.Find(ArtefactKind.NativePlugin, "sinks_x")!.Files);
    }

    [Fact]
    public async Task Uninstall_removes_files_but_keeps_those_another_artefact_installed()
    {
        var installer = new ArtefactInstaller(DataDir);
        await installer.InstallAsync(Plan(ArtefactKind.Service, "a", ("services/a.json", "{}"), ("services/schemas/hw.proto", "p")));
        await installer.InstallAsync(Plan(ArtefactKind.Service, "b", ("services/b.json", "{}"), ("services/schemas/hw.proto", "p")));

        Assert.True(installer.Uninstall(ArtefactKind.Service, "a"));
        Assert.Equal(["data/services", "data/services/b.json", "data/services/schemas", "data/services/schemas/hw.proto"], Visible());

        Assert.True(installer.Uninstall(ArtefactKind.Service, "b"));
        Assert.Equal(["data/services"], Visible());
        Assert.False(installer.Uninstall(ArtefactKind.Service, "b"));
        Assert.Empty(installer.List());
    }

    [Fact]
    public async Task Nothing_is_written_through_a_link_and_a_failure_changes_nothing()
    {
        var outside = _dir.Join("outside");
        Directory.CreateDirectory(outside);
        var installer = new ArtefactInstaller(DataDir);
        await installer.InstallAsync(Plan(ArtefactKind.Upload, "keep.txt", ("uploads/keep.txt", "old")));
        Directory.CreateSymbolicLink(Path.Join(DataDir, "plugins"), outside);
        var before = _dir.Snapshot();

        var outcome = await installer.InstallAsync(Plan(ArtefactKind.NativePlugin, "sinks_x", ("sinks/x.json", "{}"), ("plugins/sinks/x.so", "ELF")));

        Assert.Equal(InstallStatus.Failed, outcome.Status);
        Assert.Equal("refusing to install plugins/sinks/x.so: plugins is a symbolic link", outcome.Error);
        Assert.Equal(before, _dir.Snapshot());
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.Null(installer.Find(ArtefactKind.NativePlugin, "sinks_x"));
    }

    [Fact]
    public async Task A_failing_install_script_installs_nothing()
    {
        if (OperatingSystem.IsWindows()) return;
        var installer = new ArtefactInstaller(DataDir);
        var before = Visible();
        var plan = new ArtefactPlan(ArtefactKind.NativePlugin, "sinks_x", "sinks_x", "{}",
            [new PlannedFile("plugins/sinks/x.so", "ELF"u8.ToArray())],
            installScript: new InstallScript(null, [new PlannedFile("install.sh", "echo out; echo err >&2; exit 3"u8.ToArray())], ["a"], ScriptFailureStyle.ExitStatus));

        var outcome = await installer.InstallAsync(plan);

        Assert.Equal("fail to install plugin: exit status 3", outcome.Error);
        Assert.Equal(before, Visible());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Join(DataDir, ".artefacts", "tx")));
        Assert.Empty(installer.List());
    }

    [Fact]
    public async Task An_allowed_install_script_runs_in_the_staged_folder_and_its_files_are_installed()
    {
        if (OperatingSystem.IsWindows()) return;
        var installer = new ArtefactInstaller(DataDir);
        var plan = new ArtefactPlan(ArtefactKind.PortablePlugin, "py", "py", "{}",
            [new PlannedFile("plugins/portable/py/install.sh", "echo \"$1\" > made.txt"u8.ToArray()), new PlannedFile("plugins/portable/py/py.json", "{}"u8.ToArray())],
            installScript: new InstallScript("plugins/portable/py", [], ["hello"], ScriptFailureStyle.Verbose));

        Assert.Equal(InstallStatus.Installed, (await installer.InstallAsync(plan)).Status);
        Assert.Equal("hello\n", Read("plugins/portable/py/made.txt"));
        Assert.Contains("plugins/portable/py/made.txt", installer.Find(ArtefactKind.PortablePlugin, "py")!.Files);

        var failing = new ArtefactPlan(ArtefactKind.PortablePlugin, "bad", "bad", "{}",
            [new PlannedFile("plugins/portable/bad/install.sh", "echo out; echo err >&2; exit 1"u8.ToArray())],
            installScript: new InstallScript("plugins/portable/bad", [], [], ScriptFailureStyle.Verbose));
        Assert.Equal("fail to install plugin: err:exit status 1 stdout:out\n stderr:err\n", (await installer.InstallAsync(failing)).Error);
        Assert.False(Directory.Exists(Path.Join(DataDir, "plugins", "portable", "bad")));
    }

    [Fact]
    public async Task An_interrupted_install_is_rolled_back_when_the_node_starts()
    {
        var installer = new ArtefactInstaller(DataDir);
        await installer.InstallAsync(Plan(ArtefactKind.Upload, "a.txt", ("uploads/a.txt", "v1")));

        // What a crash half-way through installing v2 leaves behind: the journal, v1 moved aside, v2 moved in.
        var tx = Path.Join(DataDir, ".artefacts", "tx", "crashed");
        Directory.CreateDirectory(Path.Join(tx, "backup", "uploads"));
        Directory.CreateDirectory(Path.Join(tx, "staged"));
        File.Move(Path.Join(DataDir, "uploads", "a.txt"), Path.Join(tx, "backup", "uploads", "a.txt"));
        File.WriteAllText(Path.Join(DataDir, "uploads", "a.txt"), "v2");
        File.WriteAllText(Path.Join(tx, "journal.json"), """{"kind":"Upload","key":"a.txt","newHash":"v2hash","targets":["uploads/a.txt"],"removes":[]}""");
        var halfStaged = Path.Join(DataDir, ".artefacts", "tx", "staging-only");
        Directory.CreateDirectory(halfStaged);

        var restarted = new ArtefactInstaller(DataDir);

        Assert.Equal("v1", Read("uploads/a.txt"));
        Assert.False(Directory.Exists(tx));
        Assert.False(Directory.Exists(halfStaged));
        Assert.Equal(InstallStatus.Unchanged, (await restarted.InstallAsync(Plan(ArtefactKind.Upload, "a.txt", ("uploads/a.txt", "v1")))).Status);
    }

    [Fact]
    public async Task A_plan_without_files_is_recorded()
    {
        var installer = new ArtefactInstaller(DataDir);
        var plan = new ArtefactPlan(ArtefactKind.Script, "area", "area", "{\"id\":\"area\"}", [], provides: new ArtefactProvides([], [], ["area"]));
        Assert.Equal(InstallStatus.Installed, (await installer.InstallAsync(plan)).Status);
        Assert.Equal(InstallStatus.Unchanged, (await installer.InstallAsync(plan)).Status);
        Assert.Equal(["area"], installer.Find(ArtefactKind.Script, "area")!.Provides.Functions);
        Assert.Empty(Visible());
    }

    [Fact]
    public void Plans_refuse_paths_that_leave_the_data_dir()
    {
        Assert.Throws<ArgumentException>(() => Plan(ArtefactKind.Upload, "x", ("../x", "")));
        Assert.Throws<ArgumentException>(() => Plan(ArtefactKind.Upload, "x", ("/etc/x", "")));
        Assert.Throws<ArgumentException>(() => Plan(ArtefactKind.Upload, "x", ("uploads//x", "")));
    }

    [Fact]
    public async Task End_to_end_a_portable_plugin_served_over_http_is_checked_and_installed()
    {
        var zip = new ZipBuilder()
            .File("echo.json", """{"name":"echo","version":"1","language":"go","executable":"bin/echo","sinks":["echo"]}""")
            .File("bin/echo", "#!/bin/sh", mode: 0x81ED)
            .File("sinks/echo.json", "{}")
            .Build();
        await using var server = new LoopbackServer(r => r.Path == "/echo.zip" ? LoopbackServer.Ok(zip) : new LoopbackServer.Response(404));
        using var fetcher = new ArtefactFetcher(new FetchOptions { UploadsDir = _dir.Join("data", "uploads"), EnablePrivateNet = true });
        var installer = new ArtefactInstaller(DataDir);
        var checker = ArtefactChecks.For(ArtefactKind.PortablePlugin);
        var value = $$"""{"name":"echo","file":"{{server.Url("/echo.zip")}}"}""";

        var result = await ArtefactChecks.CheckAsync(checker, "echo", value, installer, fetcher, CancellationToken.None);
        Assert.Null(result.Error);
        Assert.Equal(InstallStatus.Installed, (await installer.InstallAsync(result.Plan!)).Status);

        Assert.Equal(["data/plugins", "data/plugins/portable", "data/plugins/portable/echo", "data/plugins/portable/echo/bin", "data/plugins/portable/echo/bin/echo", "data/plugins/portable/echo/echo.json", "data/sinks", "data/sinks/echo.json"], Visible());
        if (!OperatingSystem.IsWindows()) Assert.True(File.GetUnixFileMode(Path.Join(DataDir, "plugins", "portable", "echo", "bin", "echo")).HasFlag(UnixFileMode.UserExecute));

        // Installed now: the same item is a duplicate, as in eKuiper.
        var again = await ArtefactChecks.CheckAsync(checker, "echo", value, installer, fetcher, CancellationToken.None);
        Assert.Equal("invalid name echo: duplicate", again.Error);

        var missing = await ArtefactChecks.CheckAsync(checker, "gone", $$"""{"name":"gone","file":"{{server.Url("/gone.zip")}}"}""", installer, fetcher, CancellationToken.None);
        Assert.Equal($"fail to download file {server.Url("/gone.zip")}: cannot download the file with status: 404 Not Found", missing.Error);
    }
}
