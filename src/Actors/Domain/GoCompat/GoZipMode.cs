namespace Kuiper.Domain.GoCompat;

/// <summary>The file type Go's <c>archive/zip</c> gives an entry (<c>FileHeader.Mode()</c>'s type bits).</summary>
public enum GoZipEntryType
{
    Regular,
    Directory,
    Symlink,
    Device,
    CharDevice,
    NamedPipe,
    Socket,
}

/// <summary>An entry's type and permission bits as Go reads them.</summary>
/// <param name="Type">The file type.</param>
/// <param name="Permissions">The <c>0777</c> bits of <c>FileHeader.Mode()</c>.</param>
/// <param name="FromUnixMode">The bits came from a Unix mode (the creator was Unix or macOS), not MS-DOS attributes.</param>
public readonly record struct GoZipMode(GoZipEntryType Type, int Permissions, bool FromUnixMode);

/// <summary>
/// Go's <c>archive/zip</c> <c>FileHeader.Mode()</c>: the creator's host byte (the high byte of "version made by")
/// decides how the external attributes are read. Unix (3) and macOS (19): the Unix mode in the high 16 bits, whose
/// file-type bits of zero (Python's <c>writestr</c>) or of an unknown kind mean a regular file. FAT (0), NTFS (11)
/// and VFAT (14): the MS-DOS attributes (<c>0x10</c> a folder, <c>0x01</c> read-only). Any other host: no mode at all,
/// a regular file. A name ending in <c>/</c> is a folder whatever the attributes say.
/// </summary>
public static class GoZipModes
{
    private const int CreatorFat = 0;
    private const int CreatorUnix = 3;
    private const int CreatorNtfs = 11;
    private const int CreatorVfat = 14;
    private const int CreatorMacOsx = 19;

    private const int TypeMask = 0xF000;
    private const int Socket = 0xC000;
    private const int Symlink = 0xA000;
    private const int BlockDevice = 0x6000;
    private const int Directory = 0x4000;
    private const int CharDevice = 0x2000;
    private const int Fifo = 0x1000;

    private const uint MsDosDirectory = 0x10;
    private const uint MsDosReadOnly = 0x01;

    /// <param name="versionMadeBy">The central directory's "version made by" field.</param>
    /// <param name="externalAttributes">The central directory's external attributes.</param>
    /// <param name="name">The entry name as stored.</param>
    public static GoZipMode Mode(ushort versionMadeBy, uint externalAttributes, string name)
    {
        var mode = (versionMadeBy >> 8) switch
        {
            CreatorUnix or CreatorMacOsx => FromUnix((int)(externalAttributes >> 16)),
            CreatorNtfs or CreatorVfat or CreatorFat => FromMsDos(externalAttributes),
            _ => new GoZipMode(GoZipEntryType.Regular, 0, FromUnixMode: false),
        };
        // Go ORs the directory bit in: a link or device whose name ends in "/" keeps its type bit as well; we keep
        // the stronger type so that it is still refused.
        if (name.EndsWith('/') && mode.Type == GoZipEntryType.Regular) mode = mode with { Type = GoZipEntryType.Directory };
        return mode;
    }

    private static GoZipMode FromUnix(int mode)
    {
        var type = (mode & TypeMask) switch
        {
            BlockDevice => GoZipEntryType.Device,
            CharDevice => GoZipEntryType.CharDevice,
            Directory => GoZipEntryType.Directory,
            Fifo => GoZipEntryType.NamedPipe,
            Symlink => GoZipEntryType.Symlink,
            Socket => GoZipEntryType.Socket,
            _ => GoZipEntryType.Regular, // S_IFREG, zero, and the kinds Go does not name
        };
        return new GoZipMode(type, mode & 0x1FF, FromUnixMode: true);
    }

    private static GoZipMode FromMsDos(uint attributes)
    {
        var directory = (attributes & MsDosDirectory) != 0;
        var permissions = directory ? 0x1FF : 0x1B6; // 0777 / 0666
        if ((attributes & MsDosReadOnly) != 0) permissions &= ~0x92; // no write bits (0222)
        return new GoZipMode(directory ? GoZipEntryType.Directory : GoZipEntryType.Regular, permissions, FromUnixMode: false);
    }
}
