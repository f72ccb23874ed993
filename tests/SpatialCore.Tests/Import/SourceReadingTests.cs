using System.Text;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Landuse;
using EcoSpatial.SpatialCore.Layers;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;
using NetTopologySuite.IO.Esri;

namespace EcoSpatial.SpatialCore.Tests.Import;

public class SourceReadingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("eco-core-import-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A Shapefile of two squares in EPSG:4490 whose DLMC is written in <paramref name="encoding"/>, no .cpg.</summary>
    private string Shapefile(Encoding encoding, params string[] names)
    {
        var path = Path.Combine(folder, "dltb.shp");
        var options = new ShapefileWriterOptions(ShapeType.Polygon) { Encoding = encoding };
        options.AddCharacterField("DLBM", 5);
        options.AddCharacterField("DLMC", 40);
        using (var writer = NetTopologySuite.IO.Esri.Shapefile.OpenWrite(path, options))
        {
            for (var i = 0; i < names.Length; i++)
            {
                var x = 113.6 + i * 0.01;
                writer.Geometry = Srid.Cgcs2000Factory.CreatePolygon(
                    [new(x, 30.6), new(x, 30.601), new(x + 0.001, 30.601), new(x + 0.001, 30.6), new(x, 30.6)]);
                writer.Fields["DLBM"].Value = "0101";
                writer.Fields["DLMC"].Value = names[i];
                writer.Write();
            }
        }

        File.Delete(Path.ChangeExtension(path, ".cpg"));
        File.WriteAllText(Path.ChangeExtension(path, ".prj"),
            "GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]");
        return path;
    }

    [Theory]
    [InlineData("GB18030")]
    [InlineData("UTF-8")]
    public void Chinese_class_names_round_trip_without_a_cpg(string encodingName)
    {
        var encoding = encodingName == "UTF-8" ? new UTF8Encoding(false) : DbfEncoding.Gb18030;
        var path = Shapefile(encoding, "水田", "乔木林地");

        using var source = FeatureSources.Open(path, null);
        var preparation = new LayerPreparation(LayerCatalog.Landuse, source, ImportOptions.None);
        var features = preparation.Features().ToList();

        Assert.Equal(["水田", "乔木林地"], features.Select(f => (string)f.Values[2]!));
        Assert.Equal("EPSG:4490", preparation.Report().SourceCrs);
        Assert.Contains(preparation.Report().Notes, n => n.Contains(encodingName == "UTF-8" ? "UTF-8" : "GB18030", StringComparison.Ordinal));
    }

    [Fact]
    public void Field_map_fills_a_layer_field_from_another_source_field()
    {
        var path = Shapefile(DbfEncoding.Gb18030, "水田");
        using var source = FeatureSources.Open(path, null);
        var options = new ImportOptions(FieldMap: ImportOptions.ParseMap(["DLMC=parcel_code"]));

        var feature = Assert.Single(new LayerPreparation(LayerCatalog.Landuse, source, options).Features());

        Assert.Equal("水田", feature.Values[0]);
        Assert.Contains("\"DLMC\":\"水田\"", System.Text.Encoding.UTF8.GetString(feature.PropertiesJson));
    }

    [Theory]
    [InlineData("UTF-8", "utf-8")]
    [InlineData("GBK", "GB18030")]
    [InlineData("ANSI 936", "GB18030")]
    [InlineData("65001", "utf-8")]
    public void Cpg_names_are_understood(string cpg, string webName)
    {
        Assert.Equal(webName, DbfEncoding.FromCpg(cpg)!.WebName, ignoreCase: true);
    }

    [Theory]
    [InlineData("0101", true)]
    [InlineData("08H2A", true)]
    [InlineData("1104a", true)]
    [InlineData("0507", true)]
    [InlineData("060201", true)]
    [InlineData("1230", false)]
    [InlineData("9999", false)]
    [InlineData("", false)]
    public void Land_use_codes_are_checked_against_the_three_classifications(string code, bool known)
    {
        Assert.Equal(known, LandUseCodes.IsKnown(code));
    }

    [Fact]
    public void A_bad_map_value_is_an_argument_error()
    {
        Assert.Equal(SpatialError.InvalidArgument,
            Assert.Throws<SpatialInputException>(() => ImportOptions.ParseMap(["DLBM"])).Error);
    }

    [Fact]
    public void Ascii_first_decoding_remembers_a_bounded_number_of_short_texts()
    {
        var gb18030 = DbfEncoding.Gb18030;
        var fast = new AsciiFirstEncoding(gb18030);
        for (var i = 0; i < AsciiFirstEncoding.MaxRemembered; i++)
        {
            fast.GetString(gb18030.GetBytes($"地{(char)(0x4E00 + i)}"));
        }

        var early = gb18030.GetBytes($"地{(char)0x4E00}");
        var late = gb18030.GetBytes("田坎");
        var longText = gb18030.GetBytes(new string('林', (AsciiFirstEncoding.MaxRememberedBytes / 2) + 1));

        Assert.Same(fast.GetString(early), fast.GetString(early));
        Assert.Equal("田坎", fast.GetString(late));
        Assert.NotSame(fast.GetString(late), fast.GetString(late)); // the memory is full: decoded each time
        Assert.Equal(gb18030.GetString(longText), fast.GetString(longText));
        Assert.NotSame(fast.GetString(longText), fast.GetString(longText)); // too long to remember
    }

    [Fact]
    public void Ascii_first_decoding_gives_the_text_of_GB18030()
    {
        var gb18030 = DbfEncoding.Gb18030;
        var fast = new AsciiFirstEncoding(gb18030);
        List<byte[]> samples =
        [
            Enumerable.Range(0, 0x80).Select(b => (byte)b).ToArray(), // every ASCII byte, NUL included
            Encoding.ASCII.GetBytes("420902000000001234  "),
            gb18030.GetBytes("乔木林地      "),
            gb18030.GetBytes("A水田B@~0"), // ASCII-range trail bytes after lead bytes
            [0x81, 0x30, 0x81, 0x30, 0x41], // a four-byte sequence
            [0x41, 0x80, 0xFF, 0x42], // bytes GB18030 does not decode alone
            [],
        ];

        foreach (var bytes in samples)
        {
            Assert.Equal(gb18030.GetString(bytes), fast.GetString(bytes));
            var padded = new byte[bytes.Length + 6];
            bytes.CopyTo(padded, 3);
            Assert.Equal(gb18030.GetString(padded, 3, bytes.Length), fast.GetString(padded, 3, bytes.Length));
        }

        // Remembered texts: the same bytes again, elsewhere in another array, give the same text; one byte more or
        // different gives its own.
        var field = gb18030.GetBytes("乔木林地");
        var again = new byte[field.Length + 2];
        field.CopyTo(again, 2);
        Assert.Equal("乔木林地", fast.GetString(again, 2, field.Length));
        Assert.Equal("乔木林", fast.GetString(again, 2, field.Length - 2));
        again[^1] = gb18030.GetBytes("田")[1];
        Assert.Equal(gb18030.GetString(again, 2, field.Length), fast.GetString(again, 2, field.Length));
        Assert.Equal("乔木林地", fast.GetString(field));
        var copy = (byte[])field.Clone();
        Assert.Same(fast.GetString(field), fast.GetString(copy)); // one string for the same bytes

        Assert.Equal(gb18030.WebName, fast.WebName);
        Assert.Equal(gb18030.CodePage, fast.CodePage);
        Assert.Equal(gb18030.GetBytes("水田 0101"), fast.GetBytes("水田 0101"));
    }
}
