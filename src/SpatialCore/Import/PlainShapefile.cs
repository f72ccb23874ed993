using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using EcoSpatial.SpatialCore.Errors;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Dbf.Fields;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// Reads a Shapefile whose every shape is a plain Polygon (shape type 5, every ring closed with four or more
/// points), the common case, as raw records in file order, and decodes each record on whatever thread asks
/// (<see cref="Record.Decode"/>) into exactly the geometry and attributes NetTopologySuite.IO.Esri.Shapefile
/// (1.2, <c>IgnoreInvalidShapes</c>) gives: the same factory and coordinate sequences, the same grouping of rings
/// into polygons (a clockwise ring starts a polygon, counter-clockwise rings are its holes), the same text
/// decoding, trimming and number parsing per <c>.dbf</c> field type. Anything else (Z/M or null shapes, open or
/// short rings, a record shorter than its points) leaves the whole file to that library.
/// </summary>
/// <remarks>Reading in order is then a copy of bytes; the decoding, most of the work, moves to the parallel stage.</remarks>
internal sealed class PlainShapefile
{
    private const int PolygonType = 5;
    private readonly string shpPath;
    private readonly string dbfPath;
    private readonly Column[] columns;
    private readonly Encoding encoding;
    private readonly bool asciiCompatible;
    private readonly int dbfHeaderLength;
    private readonly int dbfRecordLength;
    private readonly int records;

    private PlainShapefile(
        string shpPath, string dbfPath, Column[] columns, Encoding encoding, int dbfHeaderLength, int dbfRecordLength, int records)
    {
        this.shpPath = shpPath;
        this.dbfPath = dbfPath;
        this.columns = columns;
        this.encoding = encoding;
        asciiCompatible = encoding.CodePage is 65001 or 54936 or 936; // UTF-8, GB18030, GBK
        this.dbfHeaderLength = dbfHeaderLength;
        this.dbfRecordLength = dbfRecordLength;
        this.records = records;
    }

    /// <summary>How a field's bytes become a value, by the field class the library chose for it.</summary>
    private enum Kind
    {
        Text,
        Int32,
        Int64,
        Double,
        Decimal,
        Date,
        Logical,
    }

    private sealed record Column(string Name, Kind Kind, int Offset, int Length);

    /// <summary>
    /// The reader for <paramref name="shpPath"/> (its <c>.dbf</c> named as the library names it), or null when the
    /// file is not plain. <paramref name="fields"/> are the fields the library read from the <c>.dbf</c> header.
    /// </summary>
    public static PlainShapefile? Open(string shpPath, ShapeType shapeType, DbfFieldCollection fields, Encoding encoding)
    {
        if (shapeType != ShapeType.Polygon)
        {
            return null;
        }

        var dbfPath = Path.ChangeExtension(shpPath, ".dbf");
        Span<byte> header = stackalloc byte[12];
        using (var dbf = File.OpenRead(dbfPath))
        {
            if (dbf.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return null;
            }
        }

        var records = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        var columns = new Column[fields.Count];
        var offset = 1; // after the deletion flag
        for (var i = 0; i < columns.Length; i++)
        {
            var field = fields[i];
            Kind? kind = field switch
            {
                DbfCharacterField => Kind.Text,
                DbfNumericInt32Field => Kind.Int32,
                DbfNumericInt64Field => Kind.Int64,
                DbfNumericDoubleField or DbfFloatField => Kind.Double,
                DbfNumericDecimalField => Kind.Decimal,
                DbfDateField => Kind.Date,
                DbfLogicalField => Kind.Logical,
                _ => null,
            };
            if (kind is null)
            {
                return null;
            }

            columns[i] = new Column(field.Name, kind.Value, offset, field.Length);
            offset += field.Length;
        }

        if (records < 0 || offset > recordLength || !AllShapesPlain(shpPath, records))
        {
            return null;
        }

        return new PlainShapefile(shpPath, dbfPath, columns, encoding, headerLength, recordLength, records);
    }

    /// <summary>The records in file order, as raw bytes. Enumerate once.</summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.MalformedInput"/>: the files end early.</exception>
    public IEnumerable<UndecodedFeature> Read()
    {
        using var shp = new FileStream(shpPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var dbf = new FileStream(dbfPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        shp.Position = 100;
        dbf.Position = dbfHeaderLength;
        var recordHeader = new byte[8];
        for (var index = 0; index < records; index++)
        {
            byte[] shape, attributes;
            try
            {
                shp.ReadExactly(recordHeader);
                shape = new byte[2 * BinaryPrimitives.ReadInt32BigEndian(recordHeader.AsSpan(4))];
                shp.ReadExactly(shape);
                attributes = new byte[dbfRecordLength];
                dbf.ReadExactly(attributes);
            }
            catch (EndOfStreamException e)
            {
                throw Corrupt(index, e);
            }

            yield return new Record(this, index, shape, attributes);
        }
    }

    /// <summary>True when every record is a plain Polygon whose bytes hold all its points.</summary>
    private static bool AllShapesPlain(string shpPath, int records)
    {
        using var shp = new FileStream(shpPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        shp.Position = 100;
        var content = new byte[1024];
        Span<byte> recordHeader = stackalloc byte[8];
        for (var index = 0; index < records; index++)
        {
            if (shp.ReadAtLeast(recordHeader, 8, throwOnEndOfStream: false) < 8)
            {
                return false;
            }

            var length = 2L * BinaryPrimitives.ReadInt32BigEndian(recordHeader[4..]);
            if (length < 44 || length > int.MaxValue / 2)
            {
                return false;
            }

            if (length > content.Length)
            {
                content = new byte[length];
            }

            if (shp.ReadAtLeast(content.AsSpan(0, (int)length), (int)length, throwOnEndOfStream: false) < length
                || !IsPlainPolygon(content.AsSpan(0, (int)length)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Shape type 5, one or more parts that start at 0 and ascend, each a closed ring of four or more points, all
    /// within the record.
    /// </summary>
    private static bool IsPlainPolygon(ReadOnlySpan<byte> content)
    {
        var parts = BinaryPrimitives.ReadInt32LittleEndian(content[36..]);
        var points = BinaryPrimitives.ReadInt32LittleEndian(content[40..]);
        if (BinaryPrimitives.ReadInt32LittleEndian(content) != PolygonType || parts < 1 || points < 4
            || 44L + 4L * parts + 16L * points > content.Length)
        {
            return false;
        }

        var coordinates = content[(44 + 4 * parts)..];
        for (var p = 0; p < parts; p++)
        {
            var (start, end) = PartRange(content, p, parts, points);
            if ((p == 0 && start != 0) || end - start < 4
                || X(coordinates, start) != X(coordinates, end - 1) || Y(coordinates, start) != Y(coordinates, end - 1))
            {
                return false;
            }
        }

        return true;
    }

    private static (int Start, int End) PartRange(ReadOnlySpan<byte> content, int part, int parts, int points) =>
        (BinaryPrimitives.ReadInt32LittleEndian(content[(44 + 4 * part)..]),
         part + 1 < parts ? BinaryPrimitives.ReadInt32LittleEndian(content[(48 + 4 * part)..]) : points);

    private static double X(ReadOnlySpan<byte> coordinates, int point) =>
        BinaryPrimitives.ReadDoubleLittleEndian(coordinates[(16 * point)..]);

    private static double Y(ReadOnlySpan<byte> coordinates, int point) =>
        BinaryPrimitives.ReadDoubleLittleEndian(coordinates[(16 * point + 8)..]);

    /// <summary>The polygons of a plain record, built as the library builds them.</summary>
    private static MultiPolygon Polygons(ReadOnlySpan<byte> content)
    {
        var factory = Geometry.DefaultFactory;
        var parts = BinaryPrimitives.ReadInt32LittleEndian(content[36..]);
        var points = BinaryPrimitives.ReadInt32LittleEndian(content[40..]);
        var coordinates = content[(44 + 4 * parts)..];
        var rings = new LinearRing[parts];
        for (var p = 0; p < parts; p++)
        {
            var (start, end) = PartRange(content, p, parts, points);
            var sequence = factory.CoordinateSequenceFactory.Create(end - start, 2, 0);
            for (var i = start; i < end; i++)
            {
                sequence.SetX(i - start, X(coordinates, i));
                sequence.SetY(i - start, Y(coordinates, i));
            }

            rings[p] = factory.CreateLinearRing(sequence);
        }

        if (parts == 1)
        {
            return factory.CreateMultiPolygon([factory.CreatePolygon(rings[0])]);
        }

        // The first ring is a shell whatever its orientation; after it, a clockwise ring starts the next polygon.
        var polygons = new List<Polygon>();
        var holes = new List<LinearRing>();
        var shell = rings[0];
        for (var p = 1; p < parts; p++)
        {
            if (rings[p].IsCCW)
            {
                holes.Add(rings[p]);
                continue;
            }

            polygons.Add(factory.CreatePolygon(shell, holes.ToArray()));
            shell = rings[p];
            holes.Clear();
        }

        polygons.Add(factory.CreatePolygon(shell, holes.ToArray()));
        return factory.CreateMultiPolygon(polygons.ToArray());
    }

    /// <summary>A field's value as the library reads it, then as <see cref="ShapefileSource"/> normalises it.</summary>
    private object? Value(Column column, ReadOnlySpan<byte> bytes)
    {
        if (column.Kind == Kind.Text)
        {
            // Codes and numbers stored as text are ASCII, which these encodings decode as ASCII decodes it, faster.
            var text = asciiCompatible && Ascii.IsValid(bytes) ? Encoding.ASCII.GetString(bytes) : encoding.GetString(bytes);
            return IsAllNul(text) ? null : ShapefileSource.Normalise(text.Trim('\0').TrimEnd());
        }

        var ascii = Encoding.ASCII.GetString(bytes);
        if (IsAllNul(ascii))
        {
            return null;
        }

        ascii = ascii.Trim('\0');
        switch (column.Kind)
        {
            case Kind.Date:
                ascii = ascii.Trim();
                return ascii.Length == 0 || ascii == "00000000"
                    ? null
                    : DateTime.ParseExact(ascii, "yyyyMMdd", CultureInfo.InvariantCulture);
            case Kind.Logical:
                ascii = ascii.Trim();
                return ascii.Length == 0 ? null : "TtYy".Contains(ascii[0]) ? true : "FfNn".Contains(ascii[0]) ? false : null;
        }

        ascii = ascii.Trim('*');
        if (string.IsNullOrWhiteSpace(ascii))
        {
            return null;
        }

        return column.Kind switch
        {
            Kind.Int32 => (double)int.Parse(ascii, CultureInfo.InvariantCulture),
            Kind.Int64 => (double)long.Parse(ascii, CultureInfo.InvariantCulture),
            Kind.Double => double.Parse(ascii, CultureInfo.InvariantCulture),
            _ => (double)decimal.Parse(ascii, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The error the import has always given for a record the reader could not read.</summary>
    private static SpatialInputException Corrupt(int index, Exception e) =>
        new(SpatialError.MalformedInput, $"The Shapefile is corrupt at record {index + 1}: {e.Message}");

    private static bool IsAllNul(string text) => !text.AsSpan().ContainsAnyExcept('\0');

    /// <summary>One record: its shape and its attributes as they are in the files.</summary>
    private sealed class Record(PlainShapefile file, int index, byte[] shape, byte[] attributes) : UndecodedFeature
    {
        public override int Index => index;

        public override SourceFeature Decode()
        {
            try
            {
                var values = new KeyValuePair<string, object?>[file.columns.Length];
                for (var i = 0; i < values.Length; i++)
                {
                    var column = file.columns[i];
                    values[i] = new(column.Name, file.Value(column, attributes.AsSpan(column.Offset, column.Length)));
                }

                return attributes[0] == '*'
                    ? new SourceFeature(index, null, null, values, "the record is marked deleted in the .dbf")
                    : new SourceFeature(index, null, Polygons(shape), values, null);
            }
            catch (Exception e)
            {
                throw Corrupt(index, e);
            }
        }
    }
}
