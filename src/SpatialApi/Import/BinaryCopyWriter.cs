using System.Buffers.Binary;
using System.Text;

namespace EcoSpatial.SpatialApi.Import;

/// <summary>
/// Writes rows in PostgreSQL's binary COPY format (the COPY reference, "Binary Format") to a raw COPY stream
/// (<c>NpgsqlConnection.BeginRawBinaryCopy</c>): the signature and header, then per row a 16-bit field count and
/// each field as a 32-bit byte length (−1 for NULL) followed by the type's binary form, then the trailer. All
/// integers are big-endian. Rows are gathered in one buffer and handed to the stream in blocks of about 64 KiB.
/// </summary>
/// <remarks>
/// Npgsql's <c>NpgsqlBinaryImporter</c> writes the same bytes, one checked call per value; an import writes a
/// dozen values a row for a hundred thousand rows, and encoding them here straight into a buffer costs a fraction
/// of that. The caller knows its columns' types: values are written as the column's binary form (text and json
/// are UTF-8, uuid its 16 bytes in RFC 4122 order, geometry its EWKB).
/// </remarks>
public sealed class BinaryCopyWriter
{
    private const int BlockSize = 1 << 16;

    /// <summary>"PGCOPY\n\377\r\n\0", then 32-bit flags (0) and header-extension length (0).</summary>
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly Stream stream;
    private byte[] buffer = new byte[2 * BlockSize];
    private int length;

    /// <summary>Starts the COPY data on <paramref name="stream"/> with the format's header.</summary>
    public BinaryCopyWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        this.stream = stream;
        Header.CopyTo(buffer, 0);
        length = Header.Length;
    }

    /// <summary>Starts a row of <paramref name="fields"/> values (as many as the COPY's column list).</summary>
    public void StartRow(short fields)
    {
        if (length >= BlockSize)
        {
            Flush();
        }

        BinaryPrimitives.WriteInt16BigEndian(Room(2), fields);
        length += 2;
    }

    /// <summary>A NULL value.</summary>
    public void WriteNull()
    {
        BinaryPrimitives.WriteInt32BigEndian(Room(4), -1);
        length += 4;
    }

    /// <summary>A <c>bigint</c>.</summary>
    public void Write(long value)
    {
        var span = Room(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
        length += 12;
    }

    /// <summary>An <c>integer</c>.</summary>
    public void Write(int value)
    {
        var span = Room(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
        length += 8;
    }

    /// <summary>A <c>double precision</c>.</summary>
    public void Write(double value)
    {
        var span = Room(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteDoubleBigEndian(span[4..], value);
        length += 12;
    }

    /// <summary>A <c>uuid</c>: its 16 bytes in RFC 4122 (big-endian) order.</summary>
    public void Write(Guid value)
    {
        var span = Room(20);
        BinaryPrimitives.WriteInt32BigEndian(span, 16);
        value.TryWriteBytes(span[4..], bigEndian: true, out _);
        length += 20;
    }

    /// <summary>A value already in its type's binary form: <c>bytea</c>, EWKB for <c>geometry</c>, UTF-8 for <c>json</c>.</summary>
    public void Write(ReadOnlySpan<byte> value)
    {
        var span = Room(4 + value.Length);
        BinaryPrimitives.WriteInt32BigEndian(span, value.Length);
        value.CopyTo(span[4..]);
        length += 4 + value.Length;
    }

    /// <summary>A <c>text</c> value, UTF-8.</summary>
    public void Write(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var span = Room(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var bytes = Encoding.UTF8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, bytes);
        length += 4 + bytes;
    }

    /// <summary>Writes the trailer and hands everything left to the stream.</summary>
    public void Complete()
    {
        BinaryPrimitives.WriteInt16BigEndian(Room(2), -1);
        length += 2;
        Flush();
    }

    private Span<byte> Room(int bytes)
    {
        if (length + bytes > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(2 * buffer.Length, length + bytes));
        }

        return buffer.AsSpan(length, bytes);
    }

    private void Flush()
    {
        stream.Write(buffer, 0, length);
        length = 0;
    }
}
