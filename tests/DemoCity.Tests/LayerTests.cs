using System.Text.Json;
using EcoSpatial.SpatialCore.Geodesy;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace EcoSpatial.DemoCity.Tests;

/// <summary>Checks on a small generated city (seed 20261129, 2000 parcels).</summary>
public class LayerTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    private static readonly Frame Frame = Frame.Load();

    private Layer this[string name] => city.Layers[name];

    [Fact]
    public void The_frame_is_the_real_Hanchuan_outline_in_CGCS2000()
    {
        Assert.True(Frame.Outline.IsValid);
        Assert.Equal(4490, Frame.Outline.SRID);
        var env = Frame.Outline.EnvelopeInternal;
        Assert.InRange(env.MinX, 113.3, 113.45);
        Assert.InRange(env.MaxX, 113.9, 114.0);
        Assert.InRange(env.MinY, 30.35, 30.45);
        Assert.InRange(env.MaxY, 30.8, 30.9);

        // 汉川市 is about 1,660 km²; the web-map outline is coarse (1/1024° steps).
        Assert.InRange(EllipsoidalArea.Of(Frame.Outline) / 1e6, 1600, 1720);
    }

    [Fact]
    public void Every_file_is_a_4490_feature_collection_marked_synthetic_with_integer_ids()
    {
        Assert.Equal(7, city.Layers.Count);
        foreach (var (name, layer) in city.Layers)
        {
            Assert.Equal("FeatureCollection", layer.Root.GetProperty("type").GetString());
            Assert.Equal("urn:ogc:def:crs:EPSG::4490", layer.Root.GetProperty("crs").GetProperty("properties").GetProperty("name").GetString());
            var note = layer.Root.GetProperty("note").GetString()!;
            Assert.Contains("SYNTHETIC", note);
            Assert.Contains("汉川", note);
            Assert.NotEmpty(layer.Features);
            Assert.Equal(layer.Features.Count, layer.Features.Select(f => f.Id).Distinct().Count());
            Assert.All(layer.Root.GetProperty("features").EnumerateArray(),
                f => Assert.Equal(JsonValueKind.Number, f.GetProperty("id").ValueKind));
        }
    }

    [Fact]
    public void Every_geometry_is_a_valid_polygon_on_the_7_decimal_grid_inside_the_frame_envelope()
    {
        var env = Frame.Outline.EnvelopeInternal;
        foreach (var (name, layer) in city.Layers)
        {
            foreach (var f in layer.Features)
            {
                Assert.True(f.Geometry is Polygon or MultiPolygon, $"{name} #{f.Id} is a {f.Geometry.GeometryType}");
                Assert.True(f.Geometry.IsValid, $"{name} #{f.Id} is invalid");
                Assert.False(f.Geometry.IsEmpty, $"{name} #{f.Id} is empty");
                foreach (var c in f.Geometry.Coordinates)
                {
                    Assert.True(c.X >= env.MinX && c.X <= env.MaxX && c.Y >= env.MinY && c.Y <= env.MaxY,
                        $"{name} #{f.Id}: {c} is outside the frame's envelope");
                    Assert.True(Math.Round(c.X, 7) == c.X && Math.Round(c.Y, 7) == c.Y, $"{name} #{f.Id}: {c} has more than 7 decimals");
                }
            }
        }
    }

    [Fact]
    public void Towns_tile_the_frame()
    {
        var towns = this["admin-units"].Features;
        Assert.InRange(towns.Count, 10, 14);
        var frameArea = EllipsoidalArea.Of(Frame.Outline);
        var sum = towns.Sum(t => EllipsoidalArea.Of(t.Geometry));
        Assert.InRange(Math.Abs(sum - frameArea) / frameArea, 0, 1e-9);

        // No overlaps: the union has the same area, and it covers the frame.
        var union = towns.Select(t => t.Geometry).Aggregate((a, b) => OverlayNGRobust.Overlay(a, b, SpatialFunction.Union));
        Assert.InRange(Math.Abs(EllipsoidalArea.Of(union) - frameArea) / frameArea, 0, 1e-9);
    }

    [Fact]
    public void Towns_have_county_codes_real_names_and_hills_in_the_north_west()
    {
        var towns = this["admin-units"].Features;
        Assert.All(towns, t =>
        {
            Assert.Matches(@"^420984\d{3}$", t.Text("XZQDM"));
            Assert.Contains(t.Text("XZQMC"), Towns.Names);
            Assert.Equal("乡镇", t.Text("JB"));
            Assert.Contains(t.Text("DXLB"), new[] { "丘陵", "平原" });
        });
        Assert.Equal(towns.Count, towns.Select(t => t.Text("XZQDM")).Distinct().Count());
        Assert.Equal("仙女山街道", towns.Single(t => t.Text("XZQDM") == "420984001").Text("XZQMC"));

        var hills = towns.Where(t => t.Text("DXLB") == "丘陵").ToList();
        Assert.NotEmpty(hills);
        var centre = Frame.Outline.EnvelopeInternal.Centre;
        Assert.All(hills, h => Assert.True(h.Geometry.Centroid.X < centre.X && h.Geometry.Centroid.Y > centre.Y - 0.05,
            $"{h.Text("XZQMC")} is not in the north-west"));
    }

    [Fact]
    public void Land_use_has_at_least_the_requested_parcels_with_correct_areas_and_towns()
    {
        var parcels = this["landuse-2021"].Features;
        Assert.True(parcels.Count >= GeneratedCity.ParcelCount, $"{parcels.Count} parcels");
        var towns = this["admin-units"].Features.ToDictionary(t => t.Text("XZQDM"), t => t.Geometry);
        foreach (var p in parcels)
        {
            var area = EllipsoidalArea.Of(p.Geometry);
            Assert.Equal(Math.Round(area, 2, MidpointRounding.AwayFromZero), p.Properties["TBMJ"].GetDouble());
            Assert.True(towns[p.Text("ZLDWDM")].Contains(p.Geometry.InteriorPoint), $"parcel {p.Id} is not in town {p.Text("ZLDWDM")}");
        }

        var frameArea = EllipsoidalArea.Of(Frame.Outline);
        Assert.InRange(parcels.Sum(p => p.Properties["TBMJ"].GetDouble()) / frameArea, 1 - 1e-6, 1 + 1e-6);
        Assert.Equal(parcels.Count, parcels.Select(p => p.Text("BSM")).Distinct().Count());
    }

    [Fact]
    public void Every_class_code_is_a_GBT_21010_code_with_its_name()
    {
        foreach (var year in new[] { "landuse-2021", "landuse-2023" })
        {
            Assert.All(this[year].Features, p =>
            {
                Assert.True(LandClassTable.All.TryGetValue(p.Text("DLBM"), out var name), $"{p.Text("DLBM")} is not a GB/T 21010 code");
                Assert.Equal(name, p.Text("DLMC"));
            });
        }

        var shares = this["landuse-2021"].Features.GroupBy(p => p.Text("DLBM"))
            .ToDictionary(g => g.Key, g => g.Sum(p => p.Properties["TBMJ"].GetDouble()));
        var total = shares.Values.Sum();
        Assert.InRange(shares["0101"] / total, 0.25, 0.5);
        Assert.InRange(shares["1104"] / total, 0.08, 0.25);
        Assert.InRange(shares["1101"] / total, 0.005, 0.03);
    }

    [Fact]
    public void Land_use_2023_keeps_the_geometry_and_changes_1_to_5_percent_of_classes()
    {
        var before = this["landuse-2021"].Features;
        var after = this["landuse-2023"].Features;
        Assert.Equal(before.Count, after.Count);
        var changed = 0;
        for (var i = 0; i < before.Count; i++)
        {
            Assert.Equal(before[i].Id, after[i].Id);
            Assert.True(before[i].Geometry.EqualsExact(after[i].Geometry), $"parcel {before[i].Id} moved");
            var same = before[i].Text("DLBM") == after[i].Text("DLBM");
            Assert.Equal(same, before[i].Text("BSM") == after[i].Text("BSM"));
            if (!same)
            {
                changed++;
                Assert.True(LandClassTable.IsConstruction(after[i].Text("DLBM")), $"parcel {before[i].Id} became {after[i].Text("DLBM")}");
            }
        }

        Assert.InRange((double)changed / before.Count, 0.01, 0.05);
    }

    [Fact]
    public void Red_lines_2023_lose_one_bite_of_5_to_30_ha_and_gain_nothing()
    {
        var before = this["redlines-2021"].Features;
        var after = this["redlines-2023"].Features;
        Assert.InRange(before.Count, 8, 15);
        Assert.Equal(before.Select(r => r.Text("HXBH")), after.Select(r => r.Text("HXBH")));
        Assert.All(before, r =>
        {
            Assert.Matches(@"^420984-HX-\d{3}$", r.Text("HXBH"));
            Assert.Contains(r.Text("HXLX"), new[] { "水源涵养", "生物多样性维护", "水土保持" });
            Assert.False(string.IsNullOrWhiteSpace(r.Text("HXMC")));
        });

        var changed = before.Zip(after).Where(p => !p.First.Geometry.EqualsExact(p.Second.Geometry)).ToList();
        var (old, now) = Assert.Single(changed);
        var lossHa = (EllipsoidalArea.Of(old.Geometry) - EllipsoidalArea.Of(now.Geometry)) / 1e4;
        Assert.InRange(lossHa, 5, 30);
        var gain = OverlayNGRobust.Overlay(now.Geometry, old.Geometry, SpatialFunction.Difference);
        Assert.InRange(Polygonal(gain), 0, 1);

        var total = (before.Sum(r => EllipsoidalArea.Of(r.Geometry)) - after.Sum(r => EllipsoidalArea.Of(r.Geometry))) / 1e4;
        Assert.InRange(total, 5, 30);
    }

    [Fact]
    public void Reserves_are_a_provincial_reserve_in_two_zones_and_a_wetland_park()
    {
        var reserves = this["reserves-2021"].Features;
        Assert.Equal(3, reserves.Count);
        var core = Assert.Single(reserves, r => r.Text("GNFQ") == "核心保护区");
        Assert.Equal("自然保护区", core.Text("BHDLX"));
        Assert.Equal("省级", core.Text("JB"));
        var general = Assert.Single(reserves, r => r.Text("BHDMC") == core.Text("BHDMC") && r.Text("GNFQ") == "一般控制区");
        Assert.InRange(OverlapM2(core.Geometry, general.Geometry), 0, 1);
        var park = Assert.Single(reserves, r => r.Text("BHDLX") == "自然公园");
        Assert.Equal("一般控制区", park.Text("GNFQ"));
        Assert.Contains("湿地公园", park.Text("BHDMC"));
        Assert.Contains(park.Text("JB"), new[] { "国家级", "省级" });
    }

    [Fact]
    public void Water_sources_are_two_river_intakes_with_disjoint_level_1_and_level_2_zones()
    {
        var zones = this["water-source-zones-2021"].Features;
        Assert.Equal(4, zones.Count);
        Assert.All(zones, z => Assert.Equal("河流型", z.Text("SYDLX")));
        foreach (var source in zones.GroupBy(z => z.Text("SYDMC")))
        {
            var level1 = Assert.Single(source, z => z.Text("BHQJB") == "一级");
            var level2 = Assert.Single(source, z => z.Text("BHQJB") == "二级");

            // 一级: ~1100 m of river by 2 × 200 m (water and a 50 m land strip); 二级: ~3400 m by 2 × 1200 m, minus 一级.
            Assert.InRange(EllipsoidalArea.Of(level1.Geometry) / 1e4, 30, 60);
            Assert.InRange(EllipsoidalArea.Of(level2.Geometry) / 1e4, 500, 900);
            Assert.InRange(OverlapM2(level1.Geometry, level2.Geometry), 0, 1);
            Assert.True(level2.Geometry.Intersects(level1.Geometry), "二级 surrounds 一级");
        }
    }

    [Fact]
    public void Manifest_lists_the_imports_in_order_with_the_2021_red_lines_approved()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(city.Directory, "manifest.json")));
        var entries = manifest.RootElement.EnumerateArray().ToList();
        Assert.Equal(
            ["admin-units", "landuse", "redlines", "reserves", "water-source-zones", "landuse", "redlines"],
            entries.Select(e => e.GetProperty("layer").GetString()));
        foreach (var e in entries)
        {
            var file = e.GetProperty("file").GetString()!;
            Assert.True(File.Exists(Path.Combine(city.Directory, file)), file);
            Assert.Equal(file.Contains("2023") ? "2023-12-31" : "2021-12-31", e.GetProperty("asOf").GetString());
            Assert.False(string.IsNullOrWhiteSpace(e.GetProperty("label").GetString()));
            var approval = e.GetProperty("approval");
            Assert.Equal(file == "redlines-2021.geojson" ? JsonValueKind.String : JsonValueKind.Null, approval.ValueKind);
        }
    }

    /// <summary>Area in m² of the polygons of <c>a ∩ b</c> (adjacent zones share only lines).</summary>
    private static double OverlapM2(Geometry a, Geometry b) =>
        Polygonal(OverlayNGRobust.Overlay(a, b, SpatialFunction.Intersection));

    private static double Polygonal(Geometry g) =>
        NetTopologySuite.Geometries.Utilities.PolygonExtracter.GetPolygons(g).Sum(p => EllipsoidalArea.Of((Geometry)p));
}
