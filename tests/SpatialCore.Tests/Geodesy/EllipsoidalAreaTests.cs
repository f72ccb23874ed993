using System.Text.Json;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Tests.Support;

namespace EcoSpatial.SpatialCore.Tests.Geodesy;

public class EllipsoidalAreaTests
{
    /// <summary>
    /// The golden cases in data/geo/fixtures/area-planimeter.json: a 10 m parcel, the seven real 孝感 counties,
    /// blocks at the edges of 3° and 6° Gauss-Kruger zones, a polygon with holes and one with very long edges.
    /// Their expected areas were computed once with GeographicLib's Planimeter (the file's "how" says exactly how).
    /// </summary>
    public static TheoryData<string> PlanimeterCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture().GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PlanimeterCases))]
    public void Area_agrees_with_GeographicLib_Planimeter(string name)
    {
        var c = Fixture().GetProperty("cases").EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        var expected = c.GetProperty("planimeterM2").GetDouble();

        var actual = EllipsoidalArea.Of(Wkt.Read(c.GetProperty("wkt").GetString()!));

        Assert.InRange(Math.Abs(actual - expected) / expected, 0, 1e-7);
    }

    [Fact]
    public void One_degree_cell_at_the_equator_matches_Planimeter()
    {
        // echo "0 0\n1 0\n1 1\n0 1" (lat lon) | Planimeter -p 12 -e 6378137 1/298.257222101 → 12308778361.06360
        var area = EllipsoidalArea.Of(Wkt.Read("POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"));

        Assert.Equal(12_308_778_361.0636, area, 1e-3);
    }

    [Fact]
    public void Holes_are_subtracted_and_parts_are_summed()
    {
        var outer = EllipsoidalArea.Of(Wkt.Read("POLYGON((113 30, 114 30, 114 31, 113 31, 113 30))"));
        var hole = EllipsoidalArea.Of(Wkt.Read("POLYGON((113.2 30.2, 113.4 30.2, 113.4 30.4, 113.2 30.4, 113.2 30.2))"));
        var other = EllipsoidalArea.Of(Wkt.Read("POLYGON((115 30, 115.1 30, 115.1 30.1, 115 30.1, 115 30))"));

        var withHole = EllipsoidalArea.Of(Wkt.Read(
            "MULTIPOLYGON(((113 30, 114 30, 114 31, 113 31, 113 30),(113.2 30.2, 113.2 30.4, 113.4 30.4, 113.4 30.2, 113.2 30.2)),((115 30, 115.1 30, 115.1 30.1, 115 30.1, 115 30)))"));

        Assert.Equal(outer - hole + other, withHole, 1e-3);
    }

    [Fact]
    public void Ring_orientation_does_not_matter()
    {
        var ccw = EllipsoidalArea.Of(Wkt.Read("POLYGON((113 30, 114 30, 114 31, 113 30))"));
        var cw = EllipsoidalArea.Of(Wkt.Read("POLYGON((113 30, 113 31, 114 31, 113 30))"));

        Assert.True(ccw > 0);
        Assert.Equal(ccw, EllipsoidalArea.Of(Wkt.Read("POLYGON((113 30, 114 31, 114 30, 113 30))")), ccw * 1e-12);
        Assert.NotEqual(ccw, cw); // a different triangle: guards against returning a constant
    }

    [Theory]
    [InlineData(4547)] // CGCS2000 / 3-degree Gauss-Kruger CM 114E: planar metres
    [InlineData(0)]    // unknown
    [InlineData(4326)] // WGS 84 must be stored as 4490 first: the import does that, with a note
    public void Geometry_not_in_CGCS2000_lon_lat_is_refused(int srid)
    {
        var planar = Wkt.Read("POLYGON((500000 3400000, 500100 3400000, 500100 3400100, 500000 3400000))", srid);

        var e = Assert.Throws<SpatialInputException>(() => EllipsoidalArea.Of(planar));

        Assert.Equal(SpatialError.WrongCrs, e.Error);
    }

    [Fact]
    public void Coordinates_outside_lon_lat_ranges_are_refused_even_with_SRID_4490()
    {
        var e = Assert.Throws<SpatialInputException>(() =>
            EllipsoidalArea.Of(Wkt.Read("POLYGON((500000 3400000, 500100 3400000, 500100 3400100, 500000 3400000))")));

        Assert.Equal(SpatialError.InvalidGeometry, e.Error);
    }

    [Fact]
    public void Non_polygonal_geometry_is_refused()
    {
        var e = Assert.Throws<SpatialInputException>(() => EllipsoidalArea.Of(Wkt.Read("LINESTRING(113 30, 114 31)")));

        Assert.Equal(SpatialError.NotPolygonal, e.Error);
    }

    private static JsonElement Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Repo.File("data", "geo", "fixtures", "area-planimeter.json"))).RootElement;
}
