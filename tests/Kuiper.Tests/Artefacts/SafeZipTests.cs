using System.Text;
using Kuiper.Domain.Artefacts.Archives;

namespace Kuiper.Tests.Artefacts;

public sealed class SafeZipTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Valid_archive_is_read_in_order_with_modes()
    {
        var zip = new ZipBuilder()
            .File("plugin.json", "{}")
            .Folder("etc")
            .File("etc/conf.yaml", "a: 1")
            .File("bin/server", "#!/bin/sh", mode: 0x81ED)
            .File("./dot/./x.txt", "x")
            .Build();

        var (content, error) = SafeZip.Read(zip);

        Assert.Null(error);
        Assert.Equal(["plugin.json", "etc/", "etc/conf.yaml", "bin/server", "./dot/./x.txt"], content!.Entries.Select(e => e.Name));
        Assert.Equal(["plugin.json", "etc", "etc/conf.yaml", "bin/server", "dot/x.txt"], content.Entries.Select(e => e.Path));
        Assert.True(content.Entries[1].IsDirectory);
        Assert.Equal(0x1ED, content.Find("bin/server")!.UnixMode);
        Assert.Equal(0x1A4, content.Find("plugin.json")!.UnixMode); // .NET records 0644 for a file made on Unix
        Assert.Equal("a: 1", Encoding.UTF8.GetString(content.Find("etc/conf.yaml")!.Content));
    }

    [Theory]
    [InlineData("../x", "zip entry \"../x\" has a \"..\" segment")]
    [InlineData("a/../../x", "zip entry \"a/../../x\" has a \"..\" segment")]
    [InlineData("a\\..\\..\\x", "zip entry \"a\\\\..\\\\..\\\\x\" has a \"..\" segment")]
    [InlineData("/etc/x", "zip entry \"/etc/x\" has an absolute path")]
    [InlineData("\\etc\\x", "zip entry \"\\\\etc\\\\x\" has an absolute path")]
    [InlineData("C:/Windows/x.dll", "zip entry \"C:/Windows/x.dll\" has a drive letter")]
    [InlineData("con.txt", "zip entry \"con.txt\" has a reserved device name")]
    [InlineData("./", "zip entry \"./\" has an empty name")]
    public void Unsafe_names_refuse_the_whole_archive(string name, string expected)
    {
        var zip = new ZipBuilder().File("ok.txt", "fine").File(name, "evil").Build();
        var (content, error) = SafeZip.Read(zip);
        Assert.Null(content);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Symbolic_link_entries_are_refused()
    {
        var zip = new ZipBuilder().File("a.txt", "a").Symlink("passwd", "/etc/passwd").Build();
        Assert.Equal("zip entry \"passwd\" is a symbolic link", SafeZip.Read(zip).Error);
    }

    [Fact]
    public void Device_entries_are_refused()
    {
        var zip = new ZipBuilder().File("fifo", "", mode: 0x11A4).Build();
        Assert.Equal("zip entry \"fifo\" is a named pipe", SafeZip.Read(zip).Error);
    }

    [Fact]
    public void Duplicate_entries_are_refused()
    {
        var zip = new ZipBuilder().File("a/b.txt", "1").File("a//b.txt", "2").Build();
        Assert.Equal("zip entry \"a//b.txt\" appears twice", SafeZip.Read(zip).Error);
    }

    [Fact]
    public void Entry_count_is_bounded()
    {
        var zip = new ZipBuilder().File("1", "").File("2", "").File("3", "").File("4", "").Build();
        Assert.Equal("zip has more than 3 entries", SafeZip.Read(zip, new ZipLimits { MaxEntries = 3 }).Error);
        Assert.Null(SafeZip.Read(zip, new ZipLimits { MaxEntries = 4 }).Error);
    }

    [Fact]
    public void Unpacked_size_is_bounded()
    {
        var zip = new ZipBuilder().File("a", new byte[60]).File("b", new byte[41]).Build();
        Assert.Equal("zip unpacks to more than 100 bytes", SafeZip.Read(zip, new ZipLimits { MaxUnpackedBytes = 100 }).Error);
        Assert.Null(SafeZip.Read(zip, new ZipLimits { MaxUnpackedBytes = 101 }).Error);
    }

    [Fact]
    public void A_small_zip_that_inflates_past_the_limit_is_refused()
    {
        var zip = new ZipBuilder().File("bomb", new byte[10 * 1024 * 1024]).Build();
        Assert.True(zip.Length < 100 * 1024);
        Assert.Equal("zip unpacks to more than 1048576 bytes", SafeZip.Read(zip, new ZipLimits { MaxUnpackedBytes = 1024 * 1024 }).Error);
    }

    [Fact]
    public void Bytes_that_are_no_zip_get_gos_text()
    {
        Assert.Equal("zip: not a valid zip file", SafeZip.Read("not a zip"u8.ToArray()).Error);
        Assert.Equal("zip: not a valid zip file", SafeZip.Read(Array.Empty<byte>()).Error);
    }

    [Fact]
    public void Extraction_replaces_the_target_only_when_complete()
    {
        var target = _dir.Join("plugins", "portable", "demo");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Join(target, "old.txt"), "old");

        var zip = new ZipBuilder().File("demo.json", "{}").File("bin/server", "run", mode: 0x81ED).Build();
        Assert.Null(SafeZip.ExtractTo(zip, target));

        Assert.Equal(["plugins", "plugins/portable", "plugins/portable/demo", "plugins/portable/demo/bin", "plugins/portable/demo/bin/server", "plugins/portable/demo/demo.json"], _dir.Snapshot());
        Assert.Equal("run", File.ReadAllText(Path.Join(target, "bin", "server")));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
                File.GetUnixFileMode(Path.Join(target, "bin", "server")));
    }

    [Theory]
    [InlineData("../escape.txt")]
    [InlineData("/tmp/escape.txt")]
    [InlineData("link")]
    public void Failed_extraction_leaves_everything_as_it_was(string evil)
    {
        var target = _dir.Join("services", "x");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Join(target, "kept.txt"), "kept");
        var before = _dir.Snapshot();

        var builder = new ZipBuilder().File("a.txt", "a").File("b/c.txt", "c");
        var zip = evil == "link" ? builder.Symlink("link", "/etc").Build() : builder.File(evil, "evil").Build();

        Assert.NotNull(SafeZip.ExtractTo(zip, target));
        Assert.Equal(before, _dir.Snapshot());
        Assert.False(File.Exists("/tmp/escape.txt") && File.ReadAllText("/tmp/escape.txt") == "evil");
        Assert.Equal("kept", File.ReadAllText(Path.Join(target, "kept.txt")));
    }
}
