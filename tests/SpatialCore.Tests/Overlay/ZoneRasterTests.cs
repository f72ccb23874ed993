using EcoSpatial.SpatialCore.Overlay;
using EcoSpatial.SpatialCore.Tests.Support;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Tests.Overlay;

public class ZoneRasterTests
{
    private static readonly Geometry Zone = Wkt.Read(
        "POLYGON((113.000 30.000, 113.060 30.000, 113.060 30.050, 113.030 30.020, 113.000 30.050, 113.000 30.000)," +
        "(113.010 30.005, 113.020 30.005, 113.020 30.012, 113.010 30.012, 113.010 30.005))");

    [Theory]
    [InlineData(0.0005)]
    [InlineData(0.002)]
    [InlineData(0.01)]
    public void Inside_means_covered_and_outside_means_no_overlap(double cellSize)
    {
        var raster = new ZoneRaster(Zone, cellSize);
        var random = new Random(3);
        var verdicts = new Dictionary<RasterVerdict, int>();
        for (var i = 0; i < 20_000; i++)
        {
            var (x, y) = (112.995 + random.NextDouble() * 0.07, 29.995 + random.NextDouble() * 0.06);
            var (w, h) = (random.NextDouble() * 0.002, random.NextDouble() * 0.002);
            var box = Srid.Cgcs2000Factory.ToGeometry(new Envelope(x, x + w, y, y + h));
            var verdict = raster.Classify(box.EnvelopeInternal);
            verdicts[verdict] = verdicts.GetValueOrDefault(verdict) + 1;
            if (verdict == RasterVerdict.Inside)
            {
                Assert.True(Zone.Covers(box), $"{box} classified inside but not covered");
            }
            else if (verdict == RasterVerdict.Outside)
            {
                Assert.True(Zone.Intersection(box).Area == 0, $"{box} classified outside but overlaps the zone");
            }
        }

        // The filter must settle most boxes at a fine resolution, else it is no filter.
        if (cellSize <= 0.0005)
        {
            Assert.True(verdicts.GetValueOrDefault(RasterVerdict.Unknown) < 4_000, $"unknown {verdicts.GetValueOrDefault(RasterVerdict.Unknown)} of 20000");
            Assert.True(verdicts.GetValueOrDefault(RasterVerdict.Inside) > 2_000);
        }
    }

    [Fact]
    public void Cells_are_capped()
    {
        var raster = new ZoneRaster(Zone, 1e-7, maxCells: 10_000);

        var (columns, rows) = raster.Size;
        Assert.InRange(columns * rows, 5_000, 10_500);
    }

    [Fact]
    public void A_boundary_touching_box_is_unknown_and_a_far_box_is_outside()
    {
        var raster = new ZoneRaster(Zone, 0.001);

        Assert.Equal(RasterVerdict.Unknown, raster.Classify(new Envelope(113.0295, 113.0305, 30.0195, 30.0205)));
        Assert.Equal(RasterVerdict.Outside, raster.Classify(new Envelope(114, 114.001, 31, 31.001)));
        Assert.Equal(RasterVerdict.Outside, raster.Classify(new Envelope(113.014, 113.016, 30.008, 30.009))); // in the hole
        Assert.Equal(RasterVerdict.Inside, raster.Classify(new Envelope(113.040, 113.041, 30.004, 30.005)));
    }
}
