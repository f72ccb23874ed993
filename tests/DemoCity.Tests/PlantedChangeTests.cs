using NetTopologySuite.Geometries.Prepared;

namespace EcoSpatial.DemoCity.Tests;

/// <summary>
/// The committed demo city (default run) holds the encroachment cases the checks are demonstrated on: new 2023
/// construction in a 一级 zone (one parcel), in 二级 zones, in the 2021 red lines and in a reserve core (one parcel).
/// </summary>
public class PlantedChangeTests
{
    private static readonly string Demo = Path.Combine(Repo.Root, "data", "geo", "demo");

    [Fact]
    public void New_construction_in_2023_hits_the_protected_zones_as_planted()
    {
        var before = Layer.Read(Path.Combine(Demo, "landuse-2021.geojson")).Features;
        var after = Layer.Read(Path.Combine(Demo, "landuse-2023.geojson")).Features;
        var built = before.Zip(after)
            .Where(p => !LandClassTable.IsConstruction(p.First.Text("DLBM")) && LandClassTable.IsConstruction(p.Second.Text("DLBM")))
            .Select(p => p.Second)
            .ToList();
        Assert.NotEmpty(built);

        var water = Layer.Read(Path.Combine(Demo, "water-source-zones-2021.geojson")).Features;
        var reserves = Layer.Read(Path.Combine(Demo, "reserves-2021.geojson")).Features;
        var redLines = Layer.Read(Path.Combine(Demo, "redlines-2021.geojson")).Features;

        int Hits(IEnumerable<Feature> zones, Func<Feature, bool>? parcelFilter = null)
        {
            var prepared = zones.Select(z => PreparedGeometryFactory.Prepare(z.Geometry)).ToList();
            return built.Where(p => parcelFilter?.Invoke(p) ?? true)
                .Count(p => prepared.Any(z => z.Intersects(p.Geometry) && !z.Touches(p.Geometry)));
        }

        Assert.Equal(1, Hits(water.Where(z => z.Text("BHQJB") == "一级")));
        Assert.True(Hits(water.Where(z => z.Text("BHQJB") == "二级"), p => p.Text("DLBM") == "0601") >= 2);
        Assert.True(Hits(redLines) >= 3);
        Assert.Equal(1, Hits(reserves.Where(z => z.Text("GNFQ") == "核心保护区")));
    }

    [Fact]
    public void The_lost_red_line_bite_is_built_on_in_2023()
    {
        var before = Layer.Read(Path.Combine(Demo, "redlines-2021.geojson")).Features;
        var after = Layer.Read(Path.Combine(Demo, "redlines-2023.geojson")).Features;
        var (old, now) = before.Zip(after).Single(p => !p.First.Geometry.EqualsExact(p.Second.Geometry));
        var bite = old.Geometry.Difference(now.Geometry);
        var landUse = Layer.Read(Path.Combine(Demo, "landuse-2023.geojson")).Features;
        Assert.Contains(landUse, p => p.Text("DLBM") == "0601" && p.Geometry.Intersects(bite) && p.Text("BSM")[6..8] == "23");
    }
}
