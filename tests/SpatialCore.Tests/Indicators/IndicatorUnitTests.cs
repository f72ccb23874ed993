using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Indicators;
using EcoSpatial.SpatialCore.Overlay;
using EcoSpatial.SpatialCore.Tests.Support;

namespace EcoSpatial.SpatialCore.Tests.Indicators;

public class IndicatorUnitTests
{
    [Fact]
    public void Red_line_passes_when_gains_hide_a_loss_but_the_loss_is_flagged_without_approval()
    {
        var change = AreaChange.Compute(
            [Wkt.Read("POLYGON((113 30, 113.1 30, 113.1 30.1, 113 30.1, 113 30))")],
            [Wkt.Read("POLYGON((113 30, 113.1 30, 113.1 30.09, 113 30.09, 113 30))"), Wkt.Read("POLYGON((113.2 30, 113.3 30, 113.3 30.1, 113.2 30.1, 113.2 30))")],
            []);

        var unapproved = RedlineAreaChange.Evaluate(change, toApprovalRef: null);
        var approved = RedlineAreaChange.Evaluate(change, toApprovalRef: "国函〔2023〕1号");

        Assert.Equal(IndicatorStatus.Pass, unapproved.Status);
        Assert.True(unapproved.UnapprovedLoss);
        Assert.Equal(change.LostM2, unapproved.UnapprovedLossM2);
        Assert.False(approved.UnapprovedLoss);
        Assert.Equal(0, approved.UnapprovedLossM2);
    }

    [Fact]
    public void Area_change_is_split_by_admin_unit()
    {
        var west = new AdminUnit("1", "west", "平原", Wkt.Read("POLYGON((112 29, 113.05 29, 113.05 31, 112 31, 112 29))"), 0);
        var east = new AdminUnit("2", "east", "平原", Wkt.Read("POLYGON((113.05 29, 114 29, 114 31, 113.05 31, 113.05 29))"), 0);

        var change = AreaChange.Compute(
            [Wkt.Read("POLYGON((113 30, 113.1 30, 113.1 30.1, 113 30.1, 113 30))")],
            [Wkt.Read("POLYGON((113 30, 113.1 30, 113.1 30.09, 113 30.09, 113 30))")],
            [west, east]);

        // Cutting an edge adds a vertex, and the geodesics through it differ from the undivided geodesic: ~5e-8 here.
        Assert.Equal(change.LostM2, change.ByUnit.Sum(u => u.LostM2), change.LostM2 * 1e-6);
        Assert.Equal(change.ByUnit[0].LostM2, change.ByUnit[1].LostM2, change.LostM2 * 1e-3); // symmetric halves
        Assert.Equal(change.AreaFromM2, change.ByUnit.Sum(u => u.AreaFromM2), change.AreaFromM2 * 1e-6);
    }

    [Fact]
    public void Reserve_integrity_fails_on_core_loss_and_on_a_zone_change()
    {
        ReserveZone Zone(string zone, string wkt) => new("甲保护区", "自然保护区", zone, "省级", Wkt.Read(wkt));
        var before = new[] { Zone("核心保护区", "POLYGON((113 30, 113.1 30, 113.1 30.1, 113 30.1, 113 30))"), Zone("一般控制区", "POLYGON((113.1 30, 113.2 30, 113.2 30.1, 113.1 30.1, 113.1 30))") };
        var coreShrunk = new[] { Zone("核心保护区", "POLYGON((113 30, 113.09 30, 113.09 30.1, 113 30.1, 113 30))"), Zone("一般控制区", "POLYGON((113.09 30, 113.2 30, 113.2 30.1, 113.09 30.1, 113.09 30))") };
        var rezoned = new[] { Zone("一般控制区", "POLYGON((113 30, 113.2 30, 113.2 30.1, 113 30.1, 113 30))") };

        var shrunk = ReserveIntegrity.Compute(before, coreShrunk, []);
        var changed = ReserveIntegrity.Compute(before, rezoned, []);
        var same = ReserveIntegrity.Compute(before, before, []);

        Assert.Equal(IndicatorStatus.Fail, shrunk.Status);
        Assert.True(shrunk.Core.NetM2 < 0);
        Assert.InRange(Math.Abs(shrunk.All.NetM2), 0, shrunk.All.AreaFromM2 * 1e-6); // total unchanged
        Assert.Equal(IndicatorStatus.Fail, changed.Status);
        Assert.Contains(changed.AttributeChanges, c => c.Field == "zones");
        Assert.Equal(IndicatorStatus.Pass, same.Status);
    }

    [Fact]
    public void Natural_share_passes_only_when_it_did_not_fall()
    {
        var baseline = NaturalLandShare.Share(1000, 800);

        Assert.Equal(IndicatorStatus.Pass, NaturalLandShare.Evaluate(NaturalLandShare.Share(1000, 800), baseline).Status);
        Assert.Equal(IndicatorStatus.Fail, NaturalLandShare.Evaluate(NaturalLandShare.Share(1000, 799), baseline).Status);
        Assert.Equal(IndicatorStatus.NotApplicable, NaturalLandShare.Evaluate(baseline, null).Status);
        Assert.Equal(0.8, baseline.Share);
    }

    [Fact]
    public void Overlay_counts_covered_parcels_whole_and_cuts_boundary_parcels()
    {
        var parcels = new[]
        {
            Feature(1, "POLYGON((113.01 30.01, 113.02 30.01, 113.02 30.02, 113.01 30.02, 113.01 30.01))"), // inside
            Feature(2, "POLYGON((113.09 30.01, 113.11 30.01, 113.11 30.02, 113.09 30.02, 113.09 30.01))"), // across the edge
            Feature(3, "POLYGON((113.5 30.5, 113.6 30.5, 113.6 30.6, 113.5 30.6, 113.5 30.5))"),           // outside
        };
        var zone = Feature(10, "POLYGON((113 30, 113.1 30, 113.1 30.1, 113 30.1, 113 30))");

        var pieces = ZoneOverlay.Compute(parcels, [zone]);

        Assert.Equal([0, 1], pieces.Select(p => p.Parcel));
        Assert.True(pieces[0].Whole);
        Assert.Equal(parcels[0].AreaM2, pieces[0].AreaM2);
        var half = EllipsoidalArea.Of(Wkt.Read("POLYGON((113.09 30.01, 113.1 30.01, 113.1 30.02, 113.09 30.02, 113.09 30.01))"));
        Assert.Equal(half, pieces[1].AreaM2, half * 1e-12);
    }

    [Fact]
    public void Habitat_quality_weights_classes_and_reports_unmapped_area()
    {
        var allForest = HabitatQuality.Compute("r", "r", 100, new Dictionary<string, double> { ["0301"] = 100 });
        var mixed = HabitatQuality.Compute("r", "r", 200, new Dictionary<string, double> { ["0101"] = 100, ["0103"] = 50, ["9999"] = 50 });

        Assert.Equal(511.2642131067 * 0.35 * 0.60, allForest.Index, 9); // 107.37: HJ 192 does not cap here
        Assert.Equal(511.2642131067 * 0.11 * (0.6 * 100 + 0.4 * 50) / 200, mixed.Index, 9);
        Assert.Equal(50, mixed.UnmappedM2);
        Assert.Equal(150, mixed.ClassAreasM2["耕地"]);
    }

    [Fact]
    public void Overlay_with_a_large_zone_cut_into_parts_agrees_with_the_direct_intersections()
    {
        // a 2,000-vertex circle (cut into parts) against a grid of 0.01° parcels
        var zoneGeometry = new NetTopologySuite.Utilities.GeometricShapeFactory(Srid.Cgcs2000Factory)
        {
            NumPoints = 2000, Centre = new NetTopologySuite.Geometries.Coordinate(113.05, 30.05), Size = 0.083,
        }.CreateCircle();
        var zone = new OverlayFeature(1, zoneGeometry, EllipsoidalArea.Of(zoneGeometry));
        var parcels = new List<OverlayFeature>();
        for (var i = 0; i < 10; i++)
        {
            for (var j = 0; j < 10; j++)
            {
                parcels.Add(Feature(parcels.Count, FormattableString.Invariant(
                    $"POLYGON(({113 + i * 0.01} {30 + j * 0.01}, {113.01 + i * 0.01} {30 + j * 0.01}, {113.01 + i * 0.01} {30.01 + j * 0.01}, {113 + i * 0.01} {30.01 + j * 0.01}, {113 + i * 0.01} {30 + j * 0.01}))")));
            }
        }

        var pieces = ZoneOverlay.Compute(parcels, [zone]);

        foreach (var piece in pieces)
        {
            var direct = parcels[piece.Parcel].Geometry.Intersection(zoneGeometry);
            direct.SRID = Srid.Cgcs2000;
            // 1e-5: a 1 km parcel edge cut by a part boundary gains a vertex (see ZoneOverlay remarks)
            Assert.Equal(EllipsoidalArea.Of(ZoneOverlay.PolygonalPart(direct)), piece.AreaM2, piece.AreaM2 * 1e-5);
        }

        Assert.Equal(zone.AreaM2, pieces.Sum(p => p.AreaM2), zone.AreaM2 * 1e-6);
        Assert.Contains(pieces, p => p.Whole);
        Assert.True(pieces.Count is > 40 and < 100);
    }

    private static OverlayFeature Feature(long id, string wkt)
    {
        var geometry = Wkt.Read(wkt);
        return new OverlayFeature(id, geometry, EllipsoidalArea.Of(geometry));
    }
}
