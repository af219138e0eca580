using System.IO.Compression;
using System.Text;
using Kuiper.Domain.Artefacts.Archives;

namespace Kuiper.Tests.Artefacts;

/// <summary>
/// Archives from the tools users have, typed as Go's <c>archive/zip</c> types them (docs/decisions.md#zip-entry-types): accepted when
/// eKuiper would install them, refused (whole, naming the entry) when they hold links, devices, pipes or escapes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ZipToolsTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Work => _dir.Path;

    private byte[] Python(string script)
    {
        var output = Path.Join(Work, $"py-{Guid.NewGuid():N}.zip");
        ArchiveTools.Python(Work, "import sys, zipfile\nout = sys.argv[1]\n" + script, output);
        return File.ReadAllBytes(output);
    }

    private void MakeTree()
    {
        Directory.CreateDirectory(Path.Join(Work, "tree", "etc"));
        File.WriteAllText(Path.Join(Work, "tree", "plugin.json"), "{}");
        File.WriteAllText(Path.Join(Work, "tree", "etc", "conf.yaml"), "a: 1");
        File.WriteAllText(Path.Join(Work, "tree", "run.sh"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Join(Work, "tree", "run.sh"), (UnixFileMode)0x1ED);
        File.CreateSymbolicLink(Path.Join(Work, "tree", "link.json"), "plugin.json");
    }

    private static IReadOnlyList<string> Names(ZipContent content) => content.Entries.Select(e => $"{e.Path}{(e.IsDirectory ? "/" : "")}").ToList();

    [Fact]
    public void Python_writestr_entries_without_file_type_bits_are_regular_files()
    {
        var zip = ArchiveTools.PythonWritestr(Work, ("service.json", "{}"), ("schemas/hw.proto", "syntax = \"proto3\";"), ("docs/", ""));

        var (content, error) = SafeZip.Read(zip);

        Assert.Null(error);
        Assert.Equal(["service.json", "schemas/hw.proto", "docs/"], Names(content!));
        Assert.Equal("{}", Encoding.UTF8.GetString(content!.Find("service.json")!.Content));
        Assert.Equal(0x180, content.Find("service.json")!.UnixMode); // writestr's 0600, as Go reads it
    }

    [Fact]
    public void Python_write_from_real_files_keeps_their_modes()
    {
        MakeTree();
        var zip = Python("""
            with zipfile.ZipFile(out, "w") as z:
                for name in ["tree/plugin.json", "tree/etc", "tree/etc/conf.yaml", "tree/run.sh"]:
                    z.write(name)
            """);

        var (content, error) = SafeZip.Read(zip);

        Assert.Null(error);
        Assert.Equal(["tree/plugin.json", "tree/etc/", "tree/etc/conf.yaml", "tree/run.sh"], Names(content!));
        Assert.Equal(0x1ED, content!.Find("tree/run.sh")!.UnixMode);
        Assert.Null(SafeZip.ExtractTo(zip, Path.Join(Work, "out")));
        Assert.Equal((UnixFileMode)0x1ED, File.GetUnixFileMode(Path.Join(Work, "out", "tree", "run.sh")));
        Assert.Equal("a: 1", File.ReadAllText(Path.Join(Work, "out", "tree", "etc", "conf.yaml")));
    }

    [Fact]
    public void Info_zip_follows_links_by_default_and_stores_them_with_y()
    {
        MakeTree();
        ArchiveTools.Zip(Work, "-q", "-r", "followed.zip", "tree");
        ArchiveTools.Zip(Work, "-q", "-r", "-y", "links.zip", "tree");

        var (followed, followedError) = SafeZip.Read(File.ReadAllBytes(Path.Join(Work, "followed.zip")));
        var (_, linksError) = SafeZip.Read(File.ReadAllBytes(Path.Join(Work, "links.zip")));

        Assert.Null(followedError);
        Assert.Equal("{}", Encoding.UTF8.GetString(followed!.Find("tree/link.json")!.Content));
        Assert.True(followed.Find("tree/etc/")!.IsDirectory);
        Assert.Equal(0x1ED, followed.Find("tree/run.sh")!.UnixMode);
        Assert.Equal("zip entry \"tree/link.json\" is a symbolic link", linksError);
    }

    [Fact]
    public void Info_zip_archives_of_plain_files_are_accepted()
    {
        File.WriteAllText(Path.Join(Work, "a.txt"), "a");
        ArchiveTools.Zip(Work, "-q", "plain.zip", "a.txt");
        var (content, error) = SafeZip.Read(File.ReadAllBytes(Path.Join(Work, "plain.zip")));
        Assert.Null(error);
        Assert.Equal(["a.txt"], Names(content!));
    }

    [Fact]
    public void Dotnet_zipfile_archives_are_accepted()
    {
        MakeTree();
        File.Delete(Path.Join(Work, "tree", "link.json"));
        var path = Path.Join(Work, "dotnet.zip");
        ZipFile.CreateFromDirectory(Path.Join(Work, "tree"), path);

        var (content, error) = SafeZip.Read(File.ReadAllBytes(path));

        Assert.Null(error);
        Assert.Contains("etc/conf.yaml", Names(content!));
        Assert.Equal(0x1ED, content!.Find("run.sh")!.UnixMode);
    }

    [Fact]
    public void Ms_dos_attributes_alone_make_files_and_folders()
    {
        // Host byte 0 (FAT): only the low byte counts. 0x10 makes a folder even without a trailing slash,
        // 0x01 (read-only) is still a regular file; bits in the high half are ignored, as Go ignores them.
        var zip = Python("""
            def entry(name, attrs, data=b""):
                info = zipfile.ZipInfo(name)
                info.create_system = 0
                info.external_attr = attrs
                z.writestr(info, data)
            with zipfile.ZipFile(out, "w") as z:
                entry("folder", 0x10)
                entry("folder/readme.txt", 0x21, b"read only")
                entry("data.bin", 0x20, b"\x00\x01")
                entry("looks-like-a-link", (0o120777 << 16) | 0x20, b"target")
            """);

        var (content, error) = SafeZip.Read(zip);

        Assert.Null(error);
        Assert.Equal(["folder/", "folder/readme.txt", "data.bin", "looks-like-a-link"], Names(content!));
        Assert.All(content!.Entries, e => Assert.Null(e.UnixMode));
        Assert.Null(SafeZip.ExtractTo(zip, Path.Join(Work, "out")));
        Assert.Equal("read only", File.ReadAllText(Path.Join(Work, "out", "folder", "readme.txt")));
        Assert.Equal("target", File.ReadAllText(Path.Join(Work, "out", "looks-like-a-link")));
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(Path.Join(Work, "out", "data.bin")));
    }

    [Fact]
    public void A_host_go_does_not_read_gives_regular_files()
    {
        var zip = Python("""
            info = zipfile.ZipInfo("hpfs.txt")
            info.create_system = 6
            info.external_attr = 0o120777 << 16
            with zipfile.ZipFile(out, "w") as z:
                z.writestr(info, b"x")
            """);
        var (content, error) = SafeZip.Read(zip);
        Assert.Null(error);
        Assert.False(content!.Entries[0].IsDirectory);
    }

    [Theory]
    [InlineData("120777", "zip entry \"entry\" is a symbolic link")]
    [InlineData("010644", "zip entry \"entry\" is a named pipe")]
    [InlineData("020644", "zip entry \"entry\" is a device")]
    [InlineData("060644", "zip entry \"entry\" is a device")]
    [InlineData("140755", "zip entry \"entry\" is a socket")]
    public void Unix_links_devices_pipes_and_sockets_are_refused(string octalMode, string expected)
    {
        foreach (var host in new[] { 3, 19 })
        {
            var zip = Python($"""
                ok = zipfile.ZipInfo("ok.txt")
                info = zipfile.ZipInfo("entry")
                info.create_system = {host}
                info.external_attr = 0o{octalMode} << 16
                with zipfile.ZipFile(out, "w") as z:
                    z.writestr(ok, b"fine")
                    z.writestr(info, b"/etc/passwd")
                """);
            Assert.Equal(expected, SafeZip.Read(zip).Error);
        }
    }

    [Theory]
    [InlineData("../escape.txt", "zip entry \"../escape.txt\" has a \"..\" segment")]
    [InlineData("/etc/cron.d/x", "zip entry \"/etc/cron.d/x\" has an absolute path")]
    [InlineData("a/../../x", "zip entry \"a/../../x\" has a \"..\" segment")]
    public void Python_archives_with_escaping_names_are_refused(string name, string expected)
    {
        var zip = ArchiveTools.PythonWritestr(Work, ("ok.txt", "fine"), (name, "evil"));
        Assert.Equal(expected, SafeZip.Read(zip).Error);
    }

    [Fact]
    public void A_python_archive_that_unpacks_past_the_limit_is_refused()
    {
        var zip = Python("""
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("big.bin", b"\0" * (2 * 1024 * 1024))
            """);
        Assert.Equal("zip unpacks to more than 1048576 bytes", SafeZip.Read(zip, new ZipLimits { MaxUnpackedBytes = 1024 * 1024 }).Error);
        Assert.Null(SafeZip.Read(zip).Error);
    }

    [Fact]
    public void A_central_directory_that_does_not_match_is_no_zip()
    {
        var zip = ArchiveTools.PythonWritestr(Work, ("a.txt", "a"));
        Assert.Equal(3, Assert.Single(ZipCentralDirectory.Read(zip)!).VersionMadeBy >> 8);
        Assert.Null(ZipCentralDirectory.Read(zip.AsSpan(0, zip.Length - 1)));
        Assert.Null(ZipCentralDirectory.Read("PK\x05\x06"u8.ToArray()));
    }
}
