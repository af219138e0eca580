using System.Buffers.Binary;

namespace Kuiper.Domain.Artefacts.Archives;

/// <summary>The two central directory fields that type an entry, which <c>System.IO.Compression</c> does not expose whole.</summary>
/// <param name="VersionMadeBy">The high byte is the creator's host system.</param>
/// <param name="ExternalAttributes">Unix mode in the high half or MS-DOS attributes in the low byte, per the host.</param>
public readonly record struct ZipEntryHeader(ushort VersionMadeBy, uint ExternalAttributes);

/// <summary>
/// Reads the central directory's file headers in order (the order <c>ZipArchive.Entries</c> has): .NET gives
/// the external attributes but not the "version made by" host byte, and Go's typing needs both.
/// </summary>
public static class ZipCentralDirectory
{
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint FileHeaderSignature = 0x02014b50;
    private const int EndLength = 22;
    private const int FileHeaderLength = 46;

    /// <summary>The headers, or null when the bytes do not hold a readable central directory.</summary>
    public static IReadOnlyList<ZipEntryHeader>? Read(ReadOnlySpan<byte> zip)
    {
        var end = FindEnd(zip);
        if (end < 0) return null;
        long count = BinaryPrimitives.ReadUInt16LittleEndian(zip[(end + 10)..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(zip[(end + 12)..]);
        // The directory ends where the end record (or the zip64 end record) begins; reading it from there rather
        // than from the recorded offset also covers archives with bytes in front (self-extractors), as Go does.
        long directoryEnd = end;
        if (count == 0xFFFF || size == 0xFFFFFFFF)
        {
            var locator = end - 20;
            if (locator < 0 || BinaryPrimitives.ReadUInt32LittleEndian(zip[locator..]) != Zip64LocatorSignature) return null;
            // The zip64 end record sits right before the locator; else trust its recorded offset.
            var record = locator - 56;
            if (record < 0 || BinaryPrimitives.ReadUInt32LittleEndian(zip[record..]) != Zip64EndSignature)
            {
                var recorded = BinaryPrimitives.ReadUInt64LittleEndian(zip[(locator + 8)..]);
                if (recorded > (ulong)(zip.Length - 56)) return null;
                record = (int)recorded;
                if (BinaryPrimitives.ReadUInt32LittleEndian(zip[record..]) != Zip64EndSignature) return null;
            }
            var count64 = BinaryPrimitives.ReadUInt64LittleEndian(zip[(record + 32)..]);
            var size64 = BinaryPrimitives.ReadUInt64LittleEndian(zip[(record + 40)..]);
            if (size64 > (ulong)record || count64 > size64) return null;
            (count, size, directoryEnd) = ((long)count64, (long)size64, record);
        }

        var position = directoryEnd - size;
        if (position < 0 || count > size / FileHeaderLength) return null;
        var headers = new List<ZipEntryHeader>((int)count);
        for (long i = 0; i < count; i++)
        {
            if (position + FileHeaderLength > directoryEnd) return null;
            var header = zip[(int)position..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != FileHeaderSignature) return null;
            var versionMadeBy = BinaryPrimitives.ReadUInt16LittleEndian(header[4..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            var attributes = BinaryPrimitives.ReadUInt32LittleEndian(header[38..]);
            headers.Add(new ZipEntryHeader(versionMadeBy, attributes));
            position += FileHeaderLength + nameLength + extraLength + commentLength;
        }
        return position <= directoryEnd ? headers : null;
    }

    /// <summary>The last end-of-central-directory record whose comment reaches exactly to the end, or -1.</summary>
    private static int FindEnd(ReadOnlySpan<byte> zip)
    {
        for (var at = zip.Length - EndLength; at >= 0 && at >= zip.Length - EndLength - 0xFFFF; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(zip[at..]) != EndSignature) continue;
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(zip[(at + 20)..]);
            if (at + EndLength + commentLength <= zip.Length) return at;
        }
        return -1;
    }
}
