using System.Text;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Layers;

namespace EcoSpatial.SpatialCore.Tests.Import;

public class LayerImportTests
{
    private const string Square = "[[[113.5,30.6],[113.6,30.6],[113.6,30.7],[113.5,30.7],[113.5,30.6]]]";

    private static PreparedLayer Import(LayerKind layer, string json) =>
        LayerImport.FromGeoJson(layer, new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private static string Collection(string features, string crs = "") =>
        $$$"""{"type":"FeatureCollection",{{{crs}}}"features":[{{{features}}}]}""";

    [Fact]
    public void Standard_fields_map_case_insensitively_to_typed_values_and_originals_are_kept()
    {
        var json = Collection($$$"""
            {"type":"Feature","id":7,"properties":{"dlbm":"0101","DLMC":"水田","ZLDWDM":"420984001","TBMJ":"1234.5","extra":true},
             "geometry":{"type":"Polygon","coordinates":{{{Square}}}}}
            """);

        var feature = Assert.Single(Import(LayerCatalog.Landuse, json).Features);

        Assert.Equal("7", feature.SourceId);
        Assert.Equal<object?>([null, "0101", "水田", "420984001", 1234.5], feature.Values);
        Assert.Contains("\"extra\":true", System.Text.Encoding.UTF8.GetString(feature.PropertiesJson));
        Assert.Equal(EllipsoidalArea.Of(feature.Geometry), feature.AreaM2);
    }

    [Fact]
    public void Report_counts_repairs_and_rejections_by_index()
    {
        var json = Collection($$$"""
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":{{{Square}}}}},
            {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[113,30],[114,31],[114,30],[113,31],[113,30]]]}},
            {"type":"Feature","properties":{},"geometry":null},
            {"type":"Feature","properties":{},"geometry":{"type":"Circle","coordinates":[1,2]}}
            """);

        var report = Import(LayerCatalog.Redlines, json).Report;

        Assert.Equal((4, 2), (report.FeaturesRead, report.FeaturesImported));
        Assert.Equal(1, Assert.Single(report.Repaired).Index);
        Assert.Equal([2, 3], report.Rejected.Select(r => r.Index));
        Assert.Equal("OGC:CRS84", report.SourceCrs);
        Assert.Single(report.Notes); // CRS84 stored as CGCS2000 is said
    }

    [Theory]
    [InlineData("urn:ogc:def:crs:EPSG::4490", "EPSG:4490")]
    [InlineData("EPSG:4326", "EPSG:4326")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/4490", "EPSG:4490")]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84")]
    public void Legacy_crs_member_is_read(string name, string expected)
    {
        var json = Collection($$$"""{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":{{{Square}}}}}""",
            $$$"""
            "crs":{"type":"name","properties":{"name":"{{{name}}}"}},
            """);

        Assert.Equal(expected, Import(LayerCatalog.Redlines, json).Report.SourceCrs);
    }

    [Fact]
    public void Other_declared_crs_is_refused()
    {
        var json = Collection("", """ "crs":{"type":"name","properties":{"name":"EPSG:4547"}}, """);

        Assert.Equal(SpatialError.WrongCrs, Assert.Throws<SpatialInputException>(() => Import(LayerCatalog.Redlines, json)).Error);
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\"")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[]}")]
    public void Malformed_documents_are_refused(string json)
    {
        Assert.Equal(SpatialError.MalformedInput, Assert.Throws<SpatialInputException>(() => Import(LayerCatalog.Redlines, json)).Error);
    }

    [Fact]
    public void A_file_with_nothing_valid_is_refused()
    {
        var json = Collection("""{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[113,30],[114,31]]}}""");

        var e = Assert.Throws<SpatialInputException>(() => Import(LayerCatalog.Redlines, json));

        Assert.Equal(SpatialError.NothingToImport, e.Error);
        Assert.Contains("LineString", e.Message);
    }
}
