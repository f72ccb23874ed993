using EcoSpatial.SpatialCore.Crs;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Tests.Crs;

public class Gcj02Tests
{
    [Theory]
    [InlineData(113.9, 30.9)]
    [InlineData(113.839149, 30.661243)]
    [InlineData(116.397, 39.909)]
    [InlineData(87.6, 43.8)]
    [InlineData(121.47, 31.23)]
    [InlineData(100.5, 13.75)]
    public void Round_trip_reproduces_the_point_to_1e_9_degrees(double lon, double lat)
    {
        var (gLon, gLat) = Gcj02.FromWgs84(lon, lat);
        var (wLon, wLat) = Gcj02.ToWgs84(gLon, gLat);
        Assert.InRange(Math.Abs(wLon - lon), 0, 1e-9);
        Assert.InRange(Math.Abs(wLat - lat), 0, 1e-9);

        // And the other way: a GCJ-02 point taken back to WGS84 maps forward onto itself.
        var (back, backLat) = Gcj02.FromWgs84(Gcj02.ToWgs84(lon, lat).Lon, Gcj02.ToWgs84(lon, lat).Lat);
        Assert.InRange(Math.Abs(back - lon), 0, 1e-9);
        Assert.InRange(Math.Abs(backLat - lat), 0, 1e-9);
    }

    [Fact]
    public void Offset_near_Xiaogan_is_a_few_hundred_metres()
    {
        var (gLon, gLat) = Gcj02.FromWgs84(113.9, 30.9);
        var east = (gLon - 113.9) * 111_320 * Math.Cos(30.9 * Math.PI / 180);
        var north = (gLat - 30.9) * 110_850;
        var metres = Math.Sqrt(east * east + north * north);
        // About 590 m here (shared/realdata/README.md), towards the east-south-east.
        Assert.InRange(metres, 550, 650);
        Assert.True(east > 0 && north < 0 && east > -north, $"offset east {east:F0} m, north {north:F0} m");
    }

    [Theory]
    [InlineData(9.52, 47.14)]
    [InlineData(-74.0, 40.7)]
    [InlineData(139.7, 35.7)]
    public void Offset_is_zero_outside_China(double lon, double lat)
    {
        Assert.Equal((lon, lat), Gcj02.FromWgs84(lon, lat));
        Assert.Equal((lon, lat), Gcj02.ToWgs84(lon, lat));
    }

    [Fact]
    public void ToCgcs2000_converts_every_vertex_into_a_copy_with_SRID_4490()
    {
        var gcj = new GeometryFactory().CreatePolygon(
        [
            new(113.8, 30.6), new(113.9, 30.6), new(113.9, 30.7), new(113.8, 30.6),
        ]);

        var result = Gcj02.ToCgcs2000(gcj);

        Assert.Equal(Srid.Cgcs2000, result.SRID);
        Assert.Equal(113.8, gcj.Coordinates[0].X);
        for (var i = 0; i < gcj.NumPoints; i++)
        {
            var expected = Gcj02.ToWgs84(gcj.Coordinates[i].X, gcj.Coordinates[i].Y);
            Assert.Equal(expected.Lon, result.Coordinates[i].X);
            Assert.Equal(expected.Lat, result.Coordinates[i].Y);
        }
    }
}
