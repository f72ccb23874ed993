using EcoSpatial.SpatialCore.Crs;
using EcoSpatial.SpatialCore.Errors;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Tests.Crs;

public class CrsTransformTests
{
    private static readonly GeometryFactory Plain = new();

    // Reference values from PROJ 9.1 (gdaltransform -s_srs EPSG:N -t_srs EPSG:4490).
    [Theory]
    [InlineData(4547, 550000, 3400000, 114.522011998765, 30.7195679275014)]
    [InlineData(4526, 38450000, 3300000, 113.482738806918, 29.8175420822962)]
    [InlineData(4496, 18550000, 3400000, 105.522011998765, 30.7195679275014)]
    [InlineData(3857, 12700000, 3600000, 114.086041083179, 30.7474965601922)]
    [InlineData(32650, 250000, 3400000, 114.38966182344, 30.7066371044805)]
    public void Projected_points_convert_as_PROJ_does(int epsg, double x, double y, double lon, double lat)
    {
        var transform = new CrsTransform(CrsCatalog.FromEpsg(epsg)!);

        var point = transform.ToCgcs2000(Plain.CreatePoint(new Coordinate(x, y)));

        Assert.Equal(lon, point.Coordinate.X, 1e-9);
        Assert.Equal(lat, point.Coordinate.Y, 1e-9);
        Assert.Equal(Srid.Cgcs2000, point.SRID);
    }

    [Theory]
    [InlineData(4547, 113.5, 30.5, 113.6, 30.6, "look like lon/lat degrees")]
    [InlineData(4547, 38_450_000, 3_300_000, 38_460_000, 3_310_000, "carry the Gauss-Kruger zone prefix 38")]
    [InlineData(4526, 450_000, 3_300_000, 460_000, 3_310_000, "lack the Gauss-Kruger zone prefix 38")]
    [InlineData(4526, 39_450_000, 3_300_000, 39_460_000, 3_310_000, "belong to Gauss-Kruger zone 39")]
    [InlineData(4490, 450_000, 3_300_000, 460_000, 3_310_000, "look projected")]
    public void Ranges_that_contradict_the_crs_fail_saying_which(int epsg, double x0, double y0, double x1, double y1, string says)
    {
        var transform = new CrsTransform(CrsCatalog.FromEpsg(epsg)!);

        var e = Assert.Throws<SpatialInputException>(() => transform.CheckRange(new Envelope(x0, x1, y0, y1)));

        Assert.Equal(SpatialError.WrongCrs, e.Error);
        Assert.Contains(says, e.Message);
    }

    [Fact]
    public void Beijing_1954_with_towgs84_shifts_by_the_helmert_parameters()
    {
        var crs = CrsCatalog.FromEpsg(4547)! with
        {
            Code = "Beijing 1954 test", Frame = GeodeticFrame.Beijing1954, ToWgs84 = [0, 0, 0],
        };
        var transform = new CrsTransform(crs);

        var point = transform.ToCgcs2000(Plain.CreatePoint(new Coordinate(550000, 3400000)));

        // Same grid coordinates on the Krasovsky ellipsoid land tens of metres away from the CGCS2000 result.
        Assert.InRange(point.Coordinate.X, 114.4, 114.6);
        Assert.NotEqual(114.522011998765, point.Coordinate.X, 1e-6);
    }
}
