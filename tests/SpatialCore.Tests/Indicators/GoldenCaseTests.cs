using System.Text.Json;
using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Indicators;
using EcoSpatial.SpatialCore.Tests.Support;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Tests.Indicators;

/// <summary>Runs every golden case in data/geo/cases/ against the SpatialCore indicator units.</summary>
public class GoldenCaseTests
{
    private static List<JsonElement> Cases(string file) => JsonDocument
        .Parse(File.ReadAllText(Repo.File("data", "geo", "cases", file))).RootElement.GetProperty("cases").EnumerateArray().ToList();

    public static TheoryData<int> AreaChangeCases() => [.. Enumerable.Range(0, Cases("area-change.json").Count)];

    [Theory]
    [MemberData(nameof(AreaChangeCases))]
    public void Area_change_matches_the_hand_drawn_lost_and_gained_polygons(int index)
    {
        var c = Cases("area-change.json")[index];
        List<Geometry> Read(string name) => c.GetProperty(name).EnumerateArray().Select(w => Wkt.Read(w.GetString()!)).ToList();
        var (before, after) = (Read("before"), Read("after"));

        var result = AreaChange.Compute(before, after, []);

        var lost = EllipsoidalArea.Of(Wkt.Read(c.GetProperty("lost").GetString()!));
        var gained = EllipsoidalArea.Of(Wkt.Read(c.GetProperty("gained").GetString()!));
        Assert.Equal(lost, result.LostM2, Math.Max(1e-6, lost * 1e-9));
        Assert.Equal(gained, result.GainedM2, Math.Max(1e-6, gained * 1e-9));
        Assert.Equal(result.AreaToM2 - result.AreaFromM2, result.NetM2);
        Assert.InRange(Math.Abs(result.NetM2 - (gained - lost)), 0, 1e-6 * Math.Max(1, result.AreaFromM2));
    }

    public static TheoryData<int> EncroachmentCases() => [.. Enumerable.Range(0, Cases("encroachment-rules.json").Count)];

    [Theory]
    [MemberData(nameof(EncroachmentCases))]
    public void Encroachment_rules_follow_the_table(int index)
    {
        var c = Cases("encroachment-rules.json")[index];
        var overlap = new ZoneOverlap("P1", c.GetProperty("classCode").GetString()!, Enum.Parse<ZoneKind>(c.GetProperty("zone").GetString()!),
            7, "zone", "420984001", 100, c.GetProperty("isNew").GetBoolean());

        var rule = Encroachment.RuleFor(overlap);

        var expected = c.GetProperty("severity");
        if (expected.ValueKind == JsonValueKind.Null)
        {
            Assert.Null(rule);
        }
        else
        {
            Assert.Equal(Enum.Parse<Severity>(expected.GetString()!), rule!.Value.Severity);
            Assert.False(string.IsNullOrWhiteSpace(rule.Value.Rule));
        }
    }

    public static TheoryData<int> CoverageCases() => [.. Enumerable.Range(0, Cases("forest-grass-coverage.json").Count)];

    [Theory]
    [MemberData(nameof(CoverageCases))]
    public void Coverage_rates_and_verdicts(int index)
    {
        var c = Cases("forest-grass-coverage.json")[index];
        var units = c.GetProperty("units").EnumerateArray().Select(u => new UnitCover(
            u.GetProperty("code").GetString()!, "unit", u.GetProperty("terrain").GetString(), u.GetProperty("areaM2").GetDouble(),
            u.GetProperty("forestM2").GetDouble(), u.GetProperty("grassM2").GetDouble())).ToList();

        var result = ForestGrassCoverage.Compute("region", "region", units, new CoverageTargets());

        foreach (var (figure, expected) in result.Units.Zip(c.GetProperty("expectedUnits").EnumerateArray()))
        {
            Assert.Equal(expected.GetProperty("percent").GetDouble(), figure.Percent, 9);
            Assert.Equal(Enum.Parse<IndicatorStatus>(expected.GetProperty("status").GetString()!), figure.Status);
        }

        var region = c.GetProperty("expectedRegion");
        Assert.Equal(region.GetProperty("percent").GetDouble(), result.Region.Percent, 9);
        Assert.Equal(region.GetProperty("terrain").GetString(), result.Region.Terrain);
        Assert.Equal(Enum.Parse<IndicatorStatus>(region.GetProperty("status").GetString()!), result.Region.Status);
    }
}
