using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Tests.Support;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace EcoSpatial.SpatialCore.Tests.Import;

public class FeatureGeometryTests
{
    [Fact]
    public void Valid_polygon_is_kept_as_a_multipolygon_in_4490()
    {
        var result = FeatureGeometry.Prepare(Wkt.Read("POLYGON((113 30, 114 30, 114 31, 113 30))", srid: 4326));

        Assert.Null(result.Rejection);
        Assert.Null(result.Repair);
        Assert.IsType<MultiPolygon>(result.Geometry);
        Assert.Equal(Srid.Cgcs2000, result.Geometry!.SRID);
        Assert.Equal(0.5, result.Geometry.Area, 12);
    }

    [Fact]
    public void Bow_tie_is_repaired_into_its_two_triangles_and_the_defect_reported()
    {
        var result = FeatureGeometry.Prepare(Wkt.Read("POLYGON((113 30, 114 31, 114 30, 113 31, 113 30))"));

        Assert.NotNull(result.Geometry);
        Assert.True(result.Geometry!.IsValid);
        Assert.Equal(2, result.Geometry.NumGeometries);
        Assert.Equal(0.5, result.Geometry.Area, 12);
        Assert.Contains("Self-intersection", result.Repair);
    }

    [Theory]
    [InlineData("LINESTRING(113 30, 114 31)", "LineString")]
    [InlineData("POINT(113 30)", "Point")]
    [InlineData("POLYGON EMPTY", "empty")]
    [InlineData("POLYGON((500000 3400000, 500100 3400000, 500100 3400100, 500000 3400000))", "projected CRS")]
    [InlineData("POLYGON((113 30, 114 30, 114 95, 113 30))", "outside the lon/lat range")]
    public void Unusable_geometry_is_rejected_with_a_reason(string wkt, string reasonPart)
    {
        var result = FeatureGeometry.Prepare(Wkt.Read(wkt));

        Assert.Null(result.Geometry);
        Assert.Contains(reasonPart, result.Rejection);
    }

    [Fact]
    public void Missing_geometry_is_rejected()
    {
        Assert.Equal("the feature has no geometry", FeatureGeometry.Prepare(null).Rejection);
    }

    [Fact]
    public void NaN_coordinates_are_rejected()
    {
        var factory = Srid.Cgcs2000Factory;
        var ring = factory.CreateLinearRing([new(113, 30), new(double.NaN, 30), new(114, 31), new(113, 30)]);

        Assert.Contains("NaN", FeatureGeometry.Prepare(factory.CreatePolygon(ring)).Rejection);
    }

    [Fact]
    public void Z_values_are_dropped()
    {
        var result = FeatureGeometry.Prepare(Wkt.Read("POLYGON Z((113 30 5, 114 30 5, 114 31 5, 113 30 5))"));

        Assert.All(result.Geometry!.Coordinates, c => Assert.True(double.IsNaN(c.Z)));
    }

    /// <summary>
    /// Polygons without holes take a shortcut past IsValidOp when their ring is plainly simple. The verdict must be
    /// IsValidOp's on every ring, including the awkward ones a small grid produces often: spikes, repeated points,
    /// collinear runs, vertices touching edges, bow-ties and overlapping edges.
    /// </summary>
    [Theory]
    [InlineData(1.0 / 8)]  // exact binary steps: many exactly collinear and touching points
    [InlineData(0.001)]    // decimal steps: near-collinear points that round either way
    public void Validity_is_what_IsValidOp_says_for_any_ring(double step)
    {
        var random = new Random(20261129);
        var (valid, invalid) = (0, 0);
        for (var trial = 0; trial < 20_000; trial++)
        {
            var count = random.Next(3, 12);
            var points = new Coordinate[count + 1];
            for (var i = 0; i < count; i++)
            {
                points[i] = new Coordinate(113 + random.Next(5) * step, 30 + random.Next(5) * step);
            }

            points[count] = points[0].Copy();
            var polygon = Srid.Cgcs2000Factory.CreatePolygon(points);
            var geometry = trial % 2 == 0 ? polygon : (Geometry)Srid.Cgcs2000Factory.CreateMultiPolygon([polygon]);
            var expected = new IsValidOp(geometry).IsValid;

            var result = FeatureGeometry.Prepare(geometry);

            Assert.True(expected == (result.Geometry is not null && result.Repair is null), $"{geometry} IsValidOp: {expected}");
            (valid, invalid) = expected ? (valid + 1, invalid) : (valid, invalid + 1);
        }

        Assert.True(valid > 1000 && invalid > 1000, $"{valid} valid, {invalid} invalid rings: the sample should hold many of both");
    }
}
