using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Overlay;
using EcoSpatial.SpatialCore.Tests.Support;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace EcoSpatial.SpatialCore.Tests.Overlay;

public class ZoneOverlayTests
{
    // A concave zone with a hole, a separate triangle, and a two-part zone: under 256 vertices each, so the overlay
    // intersects with the zones themselves and must agree with a brute-force intersection to rounding.
    private static readonly Geometry[] Zones =
    [
        Wkt.Read("POLYGON((113.000 30.000, 113.060 30.000, 113.060 30.050, 113.030 30.020, 113.000 30.050, 113.000 30.000)," +
                 "(113.010 30.005, 113.020 30.005, 113.020 30.012, 113.010 30.012, 113.010 30.005))"),
        Wkt.Read("POLYGON((113.040 30.030, 113.058 30.058, 113.032 30.056, 113.040 30.030))"),
        Wkt.Read("MULTIPOLYGON(((113.001 30.051, 113.009 30.051, 113.009 30.059, 113.001 30.059, 113.001 30.051))," +
                 "((113.050 30.001, 113.0555 30.001, 113.0555 30.0045, 113.050 30.0045, 113.050 30.001)))"),
    ];

    [Fact]
    public void Pieces_equal_a_brute_force_intersection_of_every_parcel_with_every_zone()
    {
        var parcels = Parcels(60, 60, 0.001, seed: 7);
        var zones = Zones.Select((z, i) => new OverlayFeature(i, z, EllipsoidalArea.Of(z))).ToList();

        var pieces = ZoneOverlay.Compute(parcels, zones).ToDictionary(p => (p.Parcel, p.Zone), p => p.AreaM2);

        var expected = 0;
        for (var p = 0; p < parcels.Count; p++)
        {
            for (var z = 0; z < zones.Count; z++)
            {
                var overlap = OverlayNGRobust.Overlay(parcels[p].Geometry, zones[z].Geometry, SpatialFunction.Intersection);
                var area = EllipsoidalArea.Of(ZoneOverlay.PolygonalPart(overlap));
                if (area <= 0)
                {
                    Assert.False(pieces.ContainsKey((p, z)), $"parcel {p} has a piece in zone {z} but does not overlap it");
                    continue;
                }

                expected++;
                Assert.True(pieces.TryGetValue((p, z), out var got), $"parcel {p} overlaps zone {z} by {area} m² but has no piece");
                Assert.Equal(area, got, area * 1e-9);
            }
        }

        Assert.Equal(expected, pieces.Count);
        Assert.InRange(expected, 1000, 3600); // the grid straddles every kind of edge, hole and gap
    }

    [Fact]
    public void A_zone_cut_into_parts_gives_the_same_areas_as_the_whole_zone()
    {
        // 2,000 vertices: subdivided into parts of at most 256, so parcels on a cut line are summed from parts.
        var ring = Enumerable.Range(0, 2000).Select(i =>
        {
            var angle = 2 * Math.PI * i / 2000;
            var radius = 0.02 * (1 + 0.2 * Math.Sin(7 * angle));
            return new Coordinate(113.03 + radius * Math.Cos(angle), 30.03 + radius * Math.Sin(angle));
        }).ToList();
        ring.Add(ring[0]);
        var zone = Srid.Cgcs2000Factory.CreatePolygon([.. ring]);
        var parcels = Parcels(30, 30, 0.002, seed: 11);

        var pieces = ZoneOverlay.Compute(parcels, [new OverlayFeature(1, zone, EllipsoidalArea.Of(zone))]);

        var total = pieces.Sum(p => p.AreaM2);
        var brute = parcels.Sum(p => EllipsoidalArea.Of(ZoneOverlay.PolygonalPart(
            OverlayNGRobust.Overlay(p.Geometry, zone, SpatialFunction.Intersection))));
        Assert.Equal(brute, total, brute * 1e-8);
        Assert.Contains(pieces, p => p.Whole);
        Assert.Contains(pieces, p => !p.Whole);
    }

    [Fact]
    public void An_update_from_an_earlier_overlay_equals_a_fresh_overlay()
    {
        var zones = Zones.Select((z, i) => new OverlayFeature(i, z, EllipsoidalArea.Of(z))).ToList();
        var before = Parcels(60, 60, 0.001, seed: 7);
        var moved = Parcels(60, 60, 0.001, seed: 8); // other jitter: different geometries
        // Every 10th parcel changes, and the order is reversed, so indices differ between the two versions.
        var after = before.Select((p, i) => i % 10 == 3 ? moved[i] : p).Reverse().ToList();
        var sameAs = after.Select(p => before.IndexOf(p)).ToArray();

        var updated = ZoneOverlay.Update(after, sameAs, ZoneOverlay.Compute(before, zones), zones);

        var fresh = ZoneOverlay.Compute(after, zones);
        Assert.Contains(sameAs, i => i < 0);
        Assert.Equal(fresh.Count, updated.Count);
        for (var i = 0; i < fresh.Count; i++)
        {
            Assert.Equal((fresh[i].Parcel, fresh[i].Zone, fresh[i].Whole), (updated[i].Parcel, updated[i].Zone, updated[i].Whole));
            Assert.Equal(fresh[i].AreaM2, updated[i].AreaM2, fresh[i].AreaM2 * 1e-12);
        }
    }

    /// <summary>A jittered grid of quadrilateral parcels of about <paramref name="size"/> degrees from 113.0, 30.0.</summary>
    private static List<OverlayFeature> Parcels(int columns, int rows, double size, int seed)
    {
        var random = new Random(seed);
        var corners = new Coordinate[columns + 1, rows + 1];
        for (var i = 0; i <= columns; i++)
        {
            for (var j = 0; j <= rows; j++)
            {
                var jitter = i == 0 || j == 0 || i == columns || j == rows ? 0 : 0.3 * size;
                corners[i, j] = new Coordinate(
                    113.0 + i * size + (random.NextDouble() - 0.5) * jitter,
                    30.0 + j * size + (random.NextDouble() - 0.5) * jitter);
            }
        }

        var parcels = new List<OverlayFeature>();
        for (var i = 0; i < columns; i++)
        {
            for (var j = 0; j < rows; j++)
            {
                var polygon = Srid.Cgcs2000Factory.CreatePolygon(
                    [corners[i, j], corners[i + 1, j], corners[i + 1, j + 1], corners[i, j + 1], corners[i, j].Copy()]);
                parcels.Add(new OverlayFeature(parcels.Count, polygon, EllipsoidalArea.Of(polygon)));
            }
        }

        return parcels;
    }
}
