using System.Text;
using EcoSpatial.SpatialCore.Import;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Dbf.Fields;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;

namespace EcoSpatial.SpatialCore.Tests.Import;

/// <summary>
/// The import reads plain polygon Shapefiles itself (raw records, decoded on all cores). What it reads must be
/// exactly what NetTopologySuite.IO.Esri.Shapefile reads: these tests write files with every .dbf field type, odd
/// values, multi-part polygons with holes and deleted records, and compare the two readers feature by feature.
/// </summary>
public class ShapefileReadingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("eco-core-shp-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("GB18030")]
    [InlineData("UTF-8")]
    public void Plain_polygon_files_read_as_the_library_reads_them(string encodingName)
    {
        var encoding = encodingName == "UTF-8" ? new UTF8Encoding(false) : DbfEncoding.Gb18030;
        var path = Write(encoding, 300, new Random(7));
        PatchRecords(path);

        Assert.True(IsReadAsPlain(path, encoding), "the file should take the plain-polygon path");
        AssertSameAsLibrary(path, encoding);
    }

    [Fact]
    public void A_file_with_an_unclosed_ring_is_left_to_the_library_and_reads_the_same()
    {
        var encoding = DbfEncoding.Gb18030;
        var path = Write(encoding, 20, new Random(8));
        var bytes = File.ReadAllBytes(path);
        var parts = BitConverter.ToInt32(bytes, 100 + 8 + 36);
        BitConverter.GetBytes(38_500_000.5).CopyTo(bytes, 100 + 8 + 44 + 4 * parts); // record 1: the x of its first point
        File.WriteAllBytes(path, bytes);

        Assert.False(IsReadAsPlain(path, encoding));
        AssertSameAsLibrary(path, encoding);
    }

    [Fact]
    public void A_number_that_does_not_parse_fails_at_its_record_as_before()
    {
        var encoding = DbfEncoding.Gb18030;
        var path = Write(encoding, 10, new Random(9));
        PatchField(path, record: 4, field: "SMALL", "x1");

        using var source = ShapefileSource.OpenShp(path);
        var e = Assert.Throws<Errors.SpatialInputException>(() => source.ReadUndecoded().Select(f => f.Decode()).ToList());

        Assert.Equal(Errors.SpatialError.MalformedInput, e.Error);
        Assert.StartsWith("The Shapefile is corrupt at record 5: ", e.Message);
        Assert.Equal(e.Message, Assert.Throws<Errors.SpatialInputException>(() => ReadWithLibrary(path, encoding)).Message);
    }

    private static void AssertSameAsLibrary(string path, Encoding encoding)
    {
        var expected = ReadWithLibrary(path, encoding);
        using var source = ShapefileSource.OpenShp(path);
        var read = source.Read().ToList();
        using var again = ShapefileSource.OpenShp(path);
        var decodedInParallel = again.ReadUndecoded().AsParallel().AsOrdered().Select(f => f.Decode()).ToList();

        Assert.Equal(expected.Count, read.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            AssertSameFeature(expected[i], read[i]);
            AssertSameFeature(expected[i], decodedInParallel[i]);
        }
    }

    private static void AssertSameFeature(SourceFeature expected, SourceFeature actual)
    {
        Assert.Equal(expected.Index, actual.Index);
        Assert.Equal(expected.SourceId, actual.SourceId);
        Assert.Equal(expected.ReadError, actual.ReadError);
        if (expected.Geometry is null)
        {
            Assert.Null(actual.Geometry);
        }
        else
        {
            Assert.NotNull(actual.Geometry);
            Assert.Equal(expected.Geometry.GetType(), actual.Geometry!.GetType());
            Assert.Same(expected.Geometry.Factory, actual.Geometry.Factory);
            Assert.Equal(expected.Geometry.SRID, actual.Geometry.SRID);
            Assert.True(expected.Geometry.EqualsExact(actual.Geometry), $"{expected.Geometry} != {actual.Geometry}");
            for (var p = 0; p < expected.Geometry.NumGeometries; p++)
            {
                var (e, a) = ((Polygon)expected.Geometry.GetGeometryN(p), (Polygon)actual.Geometry.GetGeometryN(p));
                Assert.Equal(e.NumInteriorRings, a.NumInteriorRings);
                var (es, @as) = (e.ExteriorRing.CoordinateSequence, a.ExteriorRing.CoordinateSequence);
                Assert.Equal(es.GetType(), @as.GetType());
                Assert.Equal((es.Dimension, es.Measures), (@as.Dimension, @as.Measures));
            }
        }

        Assert.Equal(expected.Attributes.Select(a => a.Key), actual.Attributes.Select(a => a.Key));
        for (var i = 0; i < expected.Attributes.Count; i++)
        {
            var (e, a) = (expected.Attributes[i].Value, actual.Attributes[i].Value);
            Assert.Equal(e?.GetType(), a?.GetType());
            Assert.True(Equals(e, a), $"feature {expected.Index}, {expected.Attributes[i].Key}: '{e}' != '{a}'");
        }
    }

    /// <summary>What the import read before it read plain files itself: the library's reader, values normalised.</summary>
    private static List<SourceFeature> ReadWithLibrary(string path, Encoding encoding)
    {
        var features = new List<SourceFeature>();
        var options = new ShapefileReaderOptions { Encoding = encoding, GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes };
        using var reader = Shapefile.OpenRead(path, options);
        var index = 0;
        while (true)
        {
            try
            {
                if (!reader.Read(out var deleted))
                {
                    break;
                }

                var attributes = reader.Fields.Select(f => new KeyValuePair<string, object?>(f.Name, f.Value switch
                {
                    string text => text.Trim(),
                    double or bool or DateTime or null => f.Value,
                    decimal number => (double)number,
                    IConvertible number => number.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
                    var other => other.ToString(),
                })).ToArray();
                features.Add(deleted
                    ? new SourceFeature(index, null, null, attributes, "the record is marked deleted in the .dbf")
                    : new SourceFeature(index, null, reader.Geometry, attributes, null));
            }
            catch (Exception e)
            {
                throw new Errors.SpatialInputException(
                    Errors.SpatialError.MalformedInput, $"The Shapefile is corrupt at record {index + 1}: {e.Message}");
            }

            index++;
        }

        return features;
    }

    private static bool IsReadAsPlain(string path, Encoding encoding)
    {
        using var reader = Shapefile.OpenRead(path, new ShapefileReaderOptions { Encoding = encoding });
        var plain = typeof(ShapefileSource).Assembly.GetType("EcoSpatial.SpatialCore.Import.PlainShapefile", throwOnError: true)!;
        return plain.GetMethod("Open")!.Invoke(null, [path, reader.ShapeType, reader.Fields, encoding]) is not null;
    }

    /// <summary>
    /// A Shapefile of <paramref name="count"/> features: polygons of one to three parts, some with holes, some
    /// counter-clockwise, and a value of every .dbf field type (null in some records).
    /// </summary>
    private string Write(Encoding encoding, int count, Random random)
    {
        var path = Path.Combine(folder, $"parcels-{random.Next()}.shp");
        var options = new ShapefileWriterOptions(ShapeType.Polygon) { Encoding = encoding };
        options.AddCharacterField("DLMC", 40);
        options.Fields.Add(new DbfNumericInt32Field("SMALL", 6));
        options.Fields.Add(new DbfNumericInt64Field("BIG", 15));
        options.Fields.Add(new DbfNumericDoubleField("TBMJ", 16, 2));
        options.Fields.Add(new DbfNumericDecimalField("DEC", 24, 4));
        options.AddFloatField("RATIO");
        options.AddDateField("BGRQ");
        options.AddLogicalField("FLAG");
        string[] names = ["水田", "乔木林地", " 旱地 ", "城镇住宅用地  ", "", "Ａ类", "coal mine"];
        var factory = new GeometryFactory();
        using var writer = Shapefile.OpenWrite(path, options);
        for (var i = 0; i < count; i++)
        {
            var parts = new List<Polygon>();
            for (var p = 0; p < 1 + random.Next(3); p++)
            {
                var (x, y) = (38500000 + (i * 4 + p) * 100.0, 3400000 + random.Next(1000));
                var size = 20 + random.NextDouble() * 50;
                var shell = Square(factory, x, y, size, counterClockwise: random.Next(4) == 0);
                LinearRing[] holes = random.Next(3) == 0
                    ? [Square(factory, x + size / 4, y + size / 4, size / 4, counterClockwise: true)]
                    : [];
                parts.Add(factory.CreatePolygon(shell, holes));
            }

            writer.Geometry = factory.CreateMultiPolygon([.. parts]);
            var empty = i % 11 == 3;
            writer.Fields["DLMC"].Value = empty ? null : names[i % names.Length];
            writer.Fields["SMALL"].Value = empty ? null : random.Next(-99999, 999999);
            writer.Fields["BIG"].Value = empty ? null : (long)random.Next() * 1000 + random.Next(1000);
            writer.Fields["TBMJ"].Value = empty ? null : Math.Round(random.NextDouble() * 10000, 2);
            writer.Fields["DEC"].Value = empty ? null : (decimal)Math.Round(random.NextDouble() * 1e6, 4);
            writer.Fields["RATIO"].Value = empty ? null : random.NextDouble();
            writer.Fields["BGRQ"].Value = empty ? null : new DateTime(2020, 1, 1).AddDays(random.Next(1500));
            writer.Fields["FLAG"].Value = empty ? null : random.Next(2) == 0;
            writer.Write();
        }

        return path;
    }

    private static LinearRing Square(GeometryFactory factory, double x, double y, double size, bool counterClockwise)
    {
        Coordinate[] points = [new(x, y), new(x, y + size), new(x + size, y + size), new(x + size, y), new(x, y)];
        return factory.CreateLinearRing(counterClockwise ? points.Reverse().ToArray() : points);
    }

    /// <summary>Values the writer does not write: a deleted record, blank and overflowed numbers, odd flags and text padding.</summary>
    private static void PatchRecords(string path)
    {
        var dbf = Path.ChangeExtension(path, ".dbf");
        var bytes = File.ReadAllBytes(dbf);
        var (header, record) = (BitConverter.ToUInt16(bytes, 8), BitConverter.ToUInt16(bytes, 10));
        bytes[header + 2 * record] = (byte)'*'; // record 3 is deleted
        File.WriteAllBytes(dbf, bytes);
        PatchField(path, record: 5, field: "SMALL", "      ");
        PatchField(path, record: 6, field: "TBMJ", "****************");
        PatchField(path, record: 7, field: "BIG", "  -42");
        PatchField(path, record: 8, field: "FLAG", "y");
        PatchField(path, record: 9, field: "FLAG", "?");
        PatchField(path, record: 10, field: "BGRQ", "00000000");
        PatchField(path, record: 12, field: "DLMC", "\0\0 padded\0");
        PatchField(path, record: 13, field: "RATIO", " 1.5e3");
        PatchField(path, record: 14, field: "DEC", "-0.0001");
    }

    /// <summary>Overwrites a field of a record with ASCII text (padded with spaces to the field's width).</summary>
    private static void PatchField(string path, int record, string field, string text)
    {
        var dbf = Path.ChangeExtension(path, ".dbf");
        var bytes = File.ReadAllBytes(dbf);
        var (header, size) = (BitConverter.ToUInt16(bytes, 8), BitConverter.ToUInt16(bytes, 10));
        var offset = 1;
        for (var at = 32; bytes[at] != 0x0D; at += 32)
        {
            var name = Encoding.ASCII.GetString(bytes, at, 11).TrimEnd('\0');
            int length = bytes[at + 16];
            if (name == field)
            {
                var value = Encoding.ASCII.GetBytes(text.PadRight(length));
                Array.Copy(value, 0, bytes, header + record * size + offset, Math.Min(length, value.Length));
                File.WriteAllBytes(dbf, bytes);
                return;
            }

            offset += length;
        }

        throw new ArgumentException($"no field {field}");
    }
}
