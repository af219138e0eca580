using System.Runtime.Serialization;
using System.Text;
using Kuiper.Messages.Bundles;
using Kuiper.Messages.Imports;
using Kuiper.Messages.Partitions;
using Kuiper.Messages.Resources;

namespace Kuiper.Actors.Serialization;

/// <summary>
/// A compact binary form for the messages that carry an import's definitions between nodes (the bundle to the
/// coordinator, a batch to its partition, the partition's answer): JSON spent most of an import's cluster overhead
/// escaping and unescaping the quotes of rule texts. Never persisted, so it only has to agree between the nodes of
/// one cluster; the JSON forms (the v1 manifests) are still read, for nodes of the previous release.
/// Layout: a format byte, then the fields in declaration order; strings are length-prefixed UTF-8 (BinaryWriter's
/// form), a nullable value is a presence byte and the value, a collection is its count and its elements.
/// </summary>
public static class CompactFormat
{
    private const byte Version = 1;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Write(object message)
    {
        using var stream = new MemoryStream(EstimateBytes(message));
        using (var writer = new BinaryWriter(stream, Utf8, leaveOpen: true))
        {
            writer.Write(Version);
            switch (message)
            {
                case ApplyBatch batch:
                    WriteBatch(writer, batch);
                    break;
                case BatchApplied applied:
                    WriteApplied(writer, applied);
                    break;
                case StartImport start:
                    WriteStart(writer, start);
                    break;
                default:
                    throw new SerializationException($"{message.GetType().Name} has no compact form");
            }
        }
        return stream.Length == stream.Capacity ? stream.GetBuffer() : stream.ToArray();
    }

    public static T Read<T>(byte[] bytes) where T : class
    {
        try
        {
            var reader = new Reader(bytes);
            var version = reader.ReadByte();
            if (version != Version) throw new SerializationException($"compact format {version} is not known here (this node reads {Version})");
            object message = typeof(T) == typeof(ApplyBatch) ? ReadBatch(reader)
                : typeof(T) == typeof(BatchApplied) ? ReadApplied(reader)
                : typeof(T) == typeof(StartImport) ? ReadStart(reader)
                : throw new SerializationException($"{typeof(T).Name} has no compact form");
            if (reader.Left != 0) throw new SerializationException($"{typeof(T).Name}: {reader.Left} bytes left over");
            return (T)message;
        }
        catch (Exception e) when (e is EndOfStreamException or DecoderFallbackException or FormatException)
        {
            throw new SerializationException($"{typeof(T).Name}: malformed compact form ({e.Message})", e);
        }
    }

    /// <summary>The definitions dominate: their UTF-16 length is a fair first guess of the UTF-8 bytes.</summary>
    private static int EstimateBytes(object message)
    {
        long chars = message switch
        {
            ApplyBatch b => b.Items.Sum(i => (long)i.Name.Length + i.Definition.Length + 4),
            StartImport s => s.Bundle.Sections.Values.Sum(section => section.Sum(kv => (long)kv.Key.Length + kv.Value.Length + 4)),
            _ => 256,
        };
        return (int)Math.Min(chars + 256, Array.MaxLength);
    }

    private static void WriteBatch(BinaryWriter writer, ApplyBatch batch)
    {
        writer.Write((int)batch.Kind);
        writer.Write(batch.Partition);
        writer.Write(batch.BatchId);
        writer.Write(batch.ReplaceAll);
        writer.Write(batch.Items.Count);
        foreach (var item in batch.Items)
        {
            writer.Write(item.Name);
            writer.Write(item.Definition);
        }
        writer.Write(batch.Context is not null);
        if (batch.Context is { } context)
        {
            WriteStrings(writer, context.KnownSources);
            writer.Write(context.Upsert);
        }
        writer.Write((int)batch.Operation);
        writer.Write(batch.CheckOnly);
    }

    private static ApplyBatch ReadBatch(Reader reader)
    {
        var kind = ReadEnum<ResourceKind>(reader);
        var partition = reader.ReadInt32();
        var batchId = reader.ReadString();
        var replaceAll = reader.ReadBoolean();
        var items = new ResourceItem[ReadCount(reader)];
        for (var i = 0; i < items.Length; i++) items[i] = new ResourceItem(reader.ReadString(), reader.ReadString());
        ValidationContext? context = null;
        if (reader.ReadBoolean())
        {
            // A set, as the sender had it: every rule of the batch looks its sources up in it.
            var known = ReadStrings(reader) is { } names ? new HashSet<string>(names, StringComparer.Ordinal) : null;
            context = new ValidationContext(known, reader.ReadBoolean());
        }
        var operation = ReadEnum<BatchOperation>(reader);
        return new ApplyBatch(kind, partition, batchId, replaceAll, items, context, operation, reader.ReadBoolean());
    }

    private static void WriteApplied(BinaryWriter writer, BatchApplied applied)
    {
        writer.Write((int)applied.Kind);
        writer.Write(applied.Partition);
        writer.Write(applied.BatchId);
        WriteMap(writer, applied.Errors);
        WriteOptional(writer, applied.JournalFailure);
        writer.Write(applied.Changes is not null);
        if (applied.Changes is { } changes)
        {
            WriteStrings(writer, changes.Added);
            WriteStrings(writer, changes.Changed);
            WriteStrings(writer, changes.Removed);
            WriteStrings(writer, changes.Unchanged);
        }
        writer.Write(applied.SequenceNr);
    }

    private static BatchApplied ReadApplied(Reader reader)
    {
        var kind = ReadEnum<ResourceKind>(reader);
        var partition = reader.ReadInt32();
        var batchId = reader.ReadString();
        var errors = ReadMap(reader);
        var journalFailure = ReadOptional(reader);
        BatchChanges? changes = reader.ReadBoolean()
            ? new BatchChanges(ReadStrings(reader)!, ReadStrings(reader)!, ReadStrings(reader)!, ReadStrings(reader)!)
            : null;
        return new BatchApplied(kind, partition, batchId, errors, journalFailure, changes, reader.ReadInt64());
    }

    private static void WriteStart(BinaryWriter writer, StartImport start)
    {
        writer.Write(start.ImportId);
        writer.Write(start.Bundle.Sections.Count);
        foreach (var (kind, section) in start.Bundle.Sections)
        {
            writer.Write((int)kind);
            WriteMap(writer, section);
        }
        writer.Write((int)start.Mode);
        writer.Write((int)start.Apply);
        writer.Write(start.Origin is not null);
        if (start.Origin is { } origin)
        {
            writer.Write(origin.Node);
            writer.Write(origin.RequestedAt.UtcTicks);
            writer.Write((short)origin.RequestedAt.TotalOffsetMinutes);
            WriteOptional(writer, origin.RequestedBy);
            WriteOptional(writer, origin.RestoreOf);
        }
    }

    private static StartImport ReadStart(Reader reader)
    {
        var importId = reader.ReadString();
        var count = ReadCount(reader);
        var sections = new Dictionary<ResourceKind, IReadOnlyDictionary<string, string>>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = ReadEnum<ResourceKind>(reader);
            if (!sections.TryAdd(kind, ReadMap(reader))) throw new SerializationException($"StartImport: section {kind} twice");
        }
        var mode = ReadEnum<ImportMode>(reader);
        var apply = ReadEnum<ImportApply>(reader);
        ImportOrigin? origin = null;
        if (reader.ReadBoolean())
        {
            var node = reader.ReadString();
            var utcTicks = reader.ReadInt64();
            var offset = TimeSpan.FromMinutes(reader.ReadInt16());
            var at = new DateTimeOffset(utcTicks + offset.Ticks, offset);
            origin = new ImportOrigin(node, at, ReadOptional(reader), ReadOptional(reader));
        }
        return new StartImport(importId, new Bundle(sections), mode, apply, origin);
    }

    private static void WriteMap(BinaryWriter writer, IReadOnlyDictionary<string, string> map)
    {
        writer.Write(map.Count);
        foreach (var (key, value) in map)
        {
            writer.Write(key);
            writer.Write(value);
        }
    }

    private static Dictionary<string, string> ReadMap(Reader reader)
    {
        var count = ReadCount(reader);
        var map = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString();
            if (!map.TryAdd(key, reader.ReadString())) throw new SerializationException($"the name '{key}' twice in one map");
        }
        return map;
    }

    private static void WriteStrings(BinaryWriter writer, IReadOnlyCollection<string>? strings)
    {
        writer.Write(strings is null ? -1 : strings.Count);
        foreach (var s in strings ?? []) writer.Write(s);
    }

    private static List<string>? ReadStrings(Reader reader)
    {
        var count = reader.ReadInt32();
        if (count == -1) return null;
        if (count < 0 || count > reader.Left)
            throw new SerializationException($"a list of {count} strings where fewer bytes are left");
        var strings = new List<string>(count);
        for (var i = 0; i < count; i++) strings.Add(reader.ReadString());
        return strings;
    }

    private static void WriteOptional(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null) writer.Write(value);
    }

    private static string? ReadOptional(Reader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    /// <summary>A count no larger than the bytes left (each element takes at least one): a corrupt count cannot allocate gigabytes.</summary>
    private static int ReadCount(Reader reader)
    {
        var count = reader.ReadInt32();
        if (count < 0 || count > reader.Left)
            throw new SerializationException($"a count of {count} where fewer bytes are left");
        return count;
    }

    private static T ReadEnum<T>(Reader reader) where T : struct, Enum
    {
        var value = reader.ReadInt32();
        var e = (T)(object)value;
        return Enum.IsDefined(e) ? e : throw new SerializationException($"{value} is no {typeof(T).Name}");
    }

    /// <summary>
    /// Reads what <see cref="BinaryWriter"/> wrote, straight from the array: BinaryReader decodes a long string through a
    /// small buffer and a StringBuilder, three times slower on rule texts.
    /// </summary>
    private sealed class Reader(byte[] bytes)
    {
        private int _position;

        public long Left => bytes.Length - _position;

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || count > bytes.Length - _position) throw new EndOfStreamException($"{count} bytes wanted, {Left} left");
            var span = bytes.AsSpan(_position, count);
            _position += count;
            return span;
        }

        public byte ReadByte() => Take(1)[0];

        public bool ReadBoolean() => ReadByte() switch
        {
            0 => false,
            1 => true,
            var other => throw new FormatException($"{other} is no boolean"),
        };

        public short ReadInt16() => System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(Take(2));

        public int ReadInt32() => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long ReadInt64() => System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public string ReadString() => Utf8.GetString(Take(Read7BitLength()));

        /// <summary>BinaryWriter's length prefix: seven bits a byte, low first, at most five bytes.</summary>
        private int Read7BitLength()
        {
            var value = 0;
            for (var shift = 0; shift < 35; shift += 7)
            {
                var b = ReadByte();
                value |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value >= 0 ? value : throw new FormatException("a negative string length");
            }
            throw new FormatException("a string length longer than five bytes");
        }
    }
}
