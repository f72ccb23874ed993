using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Runtime.InteropServices;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// The keys of a version's stored features, in storage order: per feature its source position (<c>feature_index</c>)
/// and a 128-bit key of everything a stored row says apart from its position and original attributes: the geometry
/// (by its <see cref="GeometryHash"/>), the stored area and the typed attribute values. Two rows with equal keys read
/// the same, so a new version's rows can be matched with an older version's (<see cref="Match"/>) without reading
/// them: the indicators then read only the rows that changed.
/// </summary>
/// <remarks>
/// The importer computes the keys as it streams and stores them with the version, one value of 20 bytes per
/// feature (<see cref="ToBytes"/>: <c>feature_index</c> as int32 then the key, little-endian). The key is XXH128 of
/// the geometry hash, the area's bits and each value tagged by type (null, text as UTF-16, number as its bits);
/// an accidental collision among a million rows has a probability near 1e-27.
/// </remarks>
public sealed class FeatureKeys
{
    /// <summary>Bytes per feature in the stored form.</summary>
    public const int Width = 20;

    private readonly int[] featureIndexes;
    private readonly UInt128[] keys;

    private FeatureKeys(int[] featureIndexes, UInt128[] keys) => (this.featureIndexes, this.keys) = (featureIndexes, keys);

    /// <summary>Source position of each stored feature, ascending (storage order).</summary>
    public IReadOnlyList<int> FeatureIndexes => featureIndexes;

    /// <summary>Key of each stored feature, in the same order.</summary>
    public IReadOnlyList<UInt128> Keys => keys;

    /// <summary>One hasher per thread, reset for each key: the hasher's state is 400-odd bytes, a key is made per feature.</summary>
    [ThreadStatic]
    private static XxHash128? keyHash;

    /// <summary>The key of one feature: its geometry hash, stored area and typed values (string, double or null).</summary>
    public static UInt128 Of(Guid geometryHash, double areaM2, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var hash = keyHash ??= new XxHash128();
        hash.Reset();
        Span<byte> fixedPart = stackalloc byte[24];
        geometryHash.TryWriteBytes(fixedPart, bigEndian: true, out _);
        BinaryPrimitives.WriteDoubleLittleEndian(fixedPart[16..], areaM2);
        hash.Append(fixedPart);
        Span<byte> tag = stackalloc byte[9];
        foreach (var value in values)
        {
            switch (value)
            {
                case string text:
                    tag[0] = 1;
                    BinaryPrimitives.WriteInt32LittleEndian(tag[1..], text.Length);
                    hash.Append(tag[..5]);
                    hash.Append(MemoryMarshal.AsBytes(text.AsSpan()));
                    break;
                case double number:
                    tag[0] = 2;
                    BinaryPrimitives.WriteDoubleLittleEndian(tag[1..], number);
                    hash.Append(tag);
                    break;
                case null:
                    tag[0] = 0;
                    hash.Append(tag[..1]);
                    break;
                default:
                    throw new ArgumentException($"A typed value is a string, a double or null, not {value.GetType().Name}.", nameof(values));
            }
        }

        return hash.GetCurrentHashAsUInt128();
    }

    /// <summary>
    /// Collects the keys of the features stored, in storage order, and, given an earlier version's keys, matches each
    /// with them as it comes (<see cref="Matcher"/>), keeping what the unmatched features say.
    /// </summary>
    public sealed class Builder(FeatureKeys? earlier = null)
    {
        private readonly List<int> featureIndexes = [];
        private readonly List<UInt128> keys = [];
        private readonly Matcher? matcher = earlier is null ? null : new Matcher(earlier);
        private readonly List<int> matches = [];
        private readonly List<int> aligned = [];
        private readonly List<ChangedFeature> changed = [];

        /// <summary>Adds the next stored feature.</summary>
        public void Add(int featureIndex, UInt128 key, Guid geometryHash, double areaM2, IReadOnlyList<object?> values)
        {
            featureIndexes.Add(featureIndex);
            keys.Add(key);
            if (matcher is not null)
            {
                var (match, inPlace) = matcher.Next(key);
                matches.Add(match);
                aligned.Add(inPlace);
                if (match < 0)
                {
                    changed.Add(new ChangedFeature(featureIndex, geometryHash, areaM2, values));
                }
            }
        }

        /// <summary>The keys collected.</summary>
        public FeatureKeys Build() => new([.. featureIndexes], [.. keys]);

        /// <summary>The match with the earlier version's keys, or null without them.</summary>
        public KeyMatch? BuildMatch() => matcher is null ? null : new KeyMatch([.. featureIndexes], [.. matches], [.. aligned], changed);
    }

    /// <summary>The stored form: 20 bytes per feature.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[keys.Length * Width];
        for (var i = 0; i < keys.Length; i++)
        {
            var at = bytes.AsSpan(i * Width);
            BinaryPrimitives.WriteInt32LittleEndian(at, featureIndexes[i]);
            BinaryPrimitives.WriteUInt128LittleEndian(at[4..], keys[i]);
        }

        return bytes;
    }

    /// <summary>Reads the stored form.</summary>
    /// <exception cref="FormatException">The bytes are not a whole number of entries.</exception>
    public static FeatureKeys FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % Width != 0)
        {
            throw new FormatException($"Stored feature keys are {Width} bytes each; {bytes.Length} bytes is not a whole number of them.");
        }

        var count = bytes.Length / Width;
        var (featureIndexes, keys) = (new int[count], new UInt128[count]);
        for (var i = 0; i < count; i++)
        {
            var at = bytes[(i * Width)..];
            featureIndexes[i] = BinaryPrimitives.ReadInt32LittleEndian(at);
            keys[i] = BinaryPrimitives.ReadUInt128LittleEndian(at[4..]);
        }

        return new FeatureKeys(featureIndexes, keys);
    }

    /// <summary>
    /// For each feature of <paramref name="later"/> (in its storage order), the <c>feature_index</c> of a feature of
    /// <paramref name="earlier"/> with the same key, or -1 when it has none (a new or changed feature); and, for those
    /// with none, the earlier feature at the same place in the order (a changed feature's likely former self, -1 when
    /// there is none). See <see cref="Matcher"/>; the unmatched features' values are not known here.
    /// </summary>
    public static KeyMatch Match(FeatureKeys earlier, FeatureKeys later)
    {
        ArgumentNullException.ThrowIfNull(later);
        var matcher = new Matcher(earlier);
        var (matches, aligned) = (new int[later.keys.Length], new int[later.keys.Length]);
        for (var r = 0; r < later.keys.Length; r++)
        {
            (matches[r], aligned[r]) = matcher.Next(later.keys[r]);
        }

        return new KeyMatch(later.featureIndexes, matches, aligned, null);
    }

    /// <summary>
    /// Matches a later version's features, one at a time in storage order, with this earlier version's. A feature is
    /// first looked for near the earlier row where the last match points (row + the offset between the two positions,
    /// give or take <see cref="Window"/> rows), so that a re-export in the same order, with rows inserted, deleted or
    /// changed, matches row by row; only when that fails is its key looked up among all the earlier rows (a hash table
    /// made at the first such miss).
    /// </summary>
    public sealed class Matcher(FeatureKeys earlier)
    {
        private readonly FeatureKeys earlier = earlier ?? throw new ArgumentNullException(nameof(earlier));
        private RowTable? table;
        private int row;
        private int offset;

        /// <summary>The next later feature's match (an earlier <c>feature_index</c>, or -1) and the earlier feature in its place (or -1).</summary>
        public (int Match, int Aligned) Next(UInt128 key)
        {
            var (before, guess) = (earlier.keys, row + offset);
            var found = Near(before, key, guess);
            if (found < 0)
            {
                found = (table ??= new RowTable(before)).Find(key);
            }

            if (found >= 0)
            {
                offset = found - row++;
                return (earlier.featureIndexes[found], earlier.featureIndexes[found]);
            }

            row++;
            return (-1, (uint)guess < (uint)before.Length ? earlier.featureIndexes[guess] : -1);
        }
    }

    /// <summary>How far from where the last match points a row is looked for before it counts as missed.</summary>
    public const int Window = 8;

    /// <summary>A row of <paramref name="keys"/> within <see cref="Window"/> of <paramref name="guess"/> equal to <paramref name="key"/>, nearest first, or -1.</summary>
    private static int Near(UInt128[] keys, UInt128 key, int guess)
    {
        for (var distance = 0; distance <= Window; distance++)
        {
            if ((uint)(guess + distance) < (uint)keys.Length && keys[guess + distance] == key)
            {
                return guess + distance;
            }

            if (distance > 0 && (uint)(guess - distance) < (uint)keys.Length && keys[guess - distance] == key)
            {
                return guess - distance;
            }
        }

        return -1;
    }

    /// <summary>
    /// The rows of a key array by key: open addressing on the keys' low bits (they are hashes, so uniformly spread),
    /// linear probing, at most half full. A fifth of the time of a <see cref="Dictionary{TKey,TValue}"/> for a
    /// million keys.
    /// </summary>
    private sealed class RowTable
    {
        private readonly UInt128[] keys;
        private readonly int[] slots; // row + 1; 0 is empty
        private readonly int mask;

        public RowTable(UInt128[] keys)
        {
            this.keys = keys;
            slots = new int[Math.Max(16, (int)BitOperations.RoundUpToPowerOf2((uint)keys.Length * 2))];
            mask = slots.Length - 1;
            for (var row = 0; row < keys.Length; row++)
            {
                var slot = Slot(keys[row]);
                while (slots[slot] != 0 && keys[slots[slot] - 1] != keys[row])
                {
                    slot = (slot + 1) & mask;
                }

                if (slots[slot] == 0)
                {
                    slots[slot] = row + 1; // a repeated key keeps its first row
                }
            }
        }

        /// <summary>The first row with <paramref name="key"/>, or -1.</summary>
        public int Find(UInt128 key)
        {
            for (var slot = Slot(key); slots[slot] != 0; slot = (slot + 1) & mask)
            {
                if (keys[slots[slot] - 1] == key)
                {
                    return slots[slot] - 1;
                }
            }

            return -1;
        }

        private int Slot(UInt128 key) => (int)((ulong)key & (uint)mask);
    }
}

/// <summary>
/// A version's features matched with an earlier version's (<see cref="FeatureKeys.Match"/>), in storage order. The
/// importer stores it against the layer's previous version, so that the indicators need not read and match keys.
/// </summary>
/// <param name="FeatureIndexes">Source position of each later feature, ascending.</param>
/// <param name="Matches">Per later feature, the <c>feature_index</c> of an earlier feature with the same key, or -1.</param>
/// <param name="Aligned">Per later feature, the earlier feature in its place (its match, when it has one), or -1.</param>
/// <param name="Changed">What the unmatched features say (when known: the importer knows it), in storage order.</param>
public sealed record KeyMatch(int[] FeatureIndexes, int[] Matches, int[] Aligned, IReadOnlyList<ChangedFeature>? Changed)
{
    /// <summary>
    /// The stored form, 8 bytes per feature, little-endian: <c>feature_index</c>, then the match, or for a feature
    /// without one -2 - (the aligned earlier feature, or -1).
    /// </summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[FeatureIndexes.Length * 8];
        for (var i = 0; i < FeatureIndexes.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 8), FeatureIndexes[i]);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((i * 8) + 4), Matches[i] >= 0 ? Matches[i] : -2 - Aligned[i]);
        }

        return bytes;
    }

    /// <summary>Reads the stored form.</summary>
    /// <exception cref="FormatException">The bytes are not a whole number of entries.</exception>
    public static KeyMatch FromBytes(ReadOnlySpan<byte> bytes, IReadOnlyList<ChangedFeature>? changed)
    {
        if (bytes.Length % 8 != 0)
        {
            throw new FormatException($"A stored key match is 8 bytes per feature; {bytes.Length} bytes is not a whole number of them.");
        }

        var count = bytes.Length / 8;
        var (featureIndexes, matches, aligned) = (new int[count], new int[count], new int[count]);
        for (var i = 0; i < count; i++)
        {
            featureIndexes[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(i * 8)..]);
            var code = BinaryPrimitives.ReadInt32LittleEndian(bytes[((i * 8) + 4)..]);
            (matches[i], aligned[i]) = code >= 0 ? (code, code) : (-1, -2 - code);
        }

        return new KeyMatch(featureIndexes, matches, aligned, changed);
    }
}

/// <summary>A stored feature without a match in the earlier version: what its row says besides its geometry.</summary>
/// <param name="FeatureIndex">Its position.</param>
/// <param name="GeometryHash">Its geometry's hash (<see cref="GeometryHash"/>).</param>
/// <param name="AreaM2">Its stored area, m².</param>
/// <param name="Values">Its typed values, one per <see cref="Layers.LayerKind.Fields"/> entry (string, double or null).</param>
public sealed record ChangedFeature(int FeatureIndex, Guid GeometryHash, double AreaM2, IReadOnlyList<object?> Values)
{
    /// <summary>
    /// The stored form, little-endian: per feature its <c>feature_index</c> (int32), geometry hash (16 bytes), area
    /// (float64), value count (int32), then each value as a tag byte (0 null, 1 text, 2 number) and, for text, its
    /// UTF-8 length (int32) and bytes, for a number its float64.
    /// </summary>
    public static byte[] ToBytes(IReadOnlyList<ChangedFeature> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8);
        foreach (var f in features)
        {
            writer.Write(f.FeatureIndex);
            writer.Write(f.GeometryHash.ToByteArray(bigEndian: true));
            writer.Write(f.AreaM2);
            writer.Write(f.Values.Count);
            foreach (var value in f.Values)
            {
                switch (value)
                {
                    case string text:
                        writer.Write((byte)1);
                        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                        writer.Write(bytes.Length);
                        writer.Write(bytes);
                        break;
                    case double number:
                        writer.Write((byte)2);
                        writer.Write(number);
                        break;
                    default:
                        writer.Write((byte)0);
                        break;
                }
            }
        }

        writer.Flush();
        return buffer.ToArray();
    }

    /// <summary>Reads <see cref="ToBytes"/>'s form.</summary>
    /// <exception cref="FormatException">The bytes end inside a feature or carry an unknown tag.</exception>
    public static List<ChangedFeature> FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var features = new List<ChangedFeature>();
        using var reader = new BinaryReader(new MemoryStream(bytes), System.Text.Encoding.UTF8);
        try
        {
            while (reader.BaseStream.Position < bytes.Length)
            {
                var (index, hash, area) = (reader.ReadInt32(), new Guid(reader.ReadBytes(16), bigEndian: true), reader.ReadDouble());
                var values = new object?[reader.ReadInt32()];
                for (var v = 0; v < values.Length; v++)
                {
                    values[v] = reader.ReadByte() switch
                    {
                        0 => null,
                        1 => System.Text.Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadInt32())),
                        2 => reader.ReadDouble(),
                        var tag => throw new FormatException($"Unknown value tag {tag} in stored changed features."),
                    };
                }

                features.Add(new ChangedFeature(index, hash, area, values));
            }
        }
        catch (EndOfStreamException e)
        {
            throw new FormatException("Stored changed features end inside a feature.", e);
        }

        return features;
    }
}
