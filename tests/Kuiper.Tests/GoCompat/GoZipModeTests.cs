using Kuiper.Domain.GoCompat;

namespace Kuiper.Tests.GoCompat;

/// <summary>Go's <c>FileHeader.Mode()</c>: the host byte decides how the external attributes are read.</summary>
public sealed class GoZipModeTests
{
    private static ushort MadeBy(int host) => (ushort)((host << 8) | 20);

    [Theory]
    [InlineData(3, 0x81ED_0000u, "a", GoZipEntryType.Regular, 0x1ED, true)]
    [InlineData(3, 0x0180_0000u, "a", GoZipEntryType.Regular, 0x180, true)] // no file-type bits: regular
    [InlineData(3, 0x31A4_0000u, "a", GoZipEntryType.Regular, 0x1A4, true)] // a type Go does not name: regular
    [InlineData(19, 0x41ED_0000u, "d", GoZipEntryType.Directory, 0x1ED, true)]
    [InlineData(19, 0xA1FF_0000u, "l", GoZipEntryType.Symlink, 0x1FF, true)]
    [InlineData(3, 0x0000_0000u, "d/", GoZipEntryType.Directory, 0, true)]
    [InlineData(0, 0x0000_0020u, "a", GoZipEntryType.Regular, 0x1B6, false)]
    [InlineData(11, 0x0000_0010u, "d", GoZipEntryType.Directory, 0x1FF, false)]
    [InlineData(14, 0x0000_0001u, "r", GoZipEntryType.Regular, 0x124, false)] // read-only: no write bits
    [InlineData(11, 0xA1FF_0020u, "l", GoZipEntryType.Regular, 0x1B6, false)] // a Unix mode under NTFS is not read
    [InlineData(6, 0xA1FF_0000u, "l", GoZipEntryType.Regular, 0, false)] // a host Go does not read: no mode
    [InlineData(6, 0x0000_0000u, "d/", GoZipEntryType.Directory, 0, false)]
    public void Mode_follows_the_host_byte(int host, uint attributes, string name, GoZipEntryType type, int permissions, bool fromUnix)
    {
        Assert.Equal(new GoZipMode(type, permissions, fromUnix), GoZipModes.Mode(MadeBy(host), attributes, name));
    }

    [Fact]
    public void A_link_whose_name_ends_in_a_slash_stays_a_link()
    {
        Assert.Equal(GoZipEntryType.Symlink, GoZipModes.Mode(MadeBy(3), 0xA1FF_0000u, "l/").Type);
    }
}
