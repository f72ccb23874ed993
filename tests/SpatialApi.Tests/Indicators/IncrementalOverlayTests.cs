using System.Text.Json;
using EcoSpatial.SpatialApi.Indicators;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Tests.Support;

namespace EcoSpatial.SpatialApi.Tests.Indicators;

/// <summary>
/// A land-use version computed as an update of the previous one (only parcels whose geometry changed are overlaid)
/// gives the figures a fresh engine gives.
/// </summary>
[Collection(nameof(DemoCityCollection))]
public class IncrementalOverlayTests(DemoCityApi api)
{
    private static readonly string[] Queries = ["forest-grass-coverage", "encroachment", "natural-land-share", "habitat-quality"];

    [Fact]
    public async Task Indicators_updated_from_the_previous_land_use_equal_a_cold_computation()
    {
        await using var db = EcoDatabase.CreateDataSource(api.Database.ConnectionString);
        var previous = await api.Database.ScalarAsync<long>(
            "SELECT id FROM layer_versions WHERE layer = 'landuse' AND as_of = '2021-12-31' ORDER BY id DESC LIMIT 1");
        var changed = await api.Database.ScalarAsync<long>("""
            SELECT count(*) FROM landuse n WHERE n.version_id = (SELECT max(id) FROM layer_versions WHERE layer = 'landuse')
              AND NOT EXISTS (SELECT 1 FROM landuse o WHERE o.version_id = $1 AND o.geom_hash = n.geom_hash AND o.class_code = n.class_code)
            """, previous);
        Assert.InRange(changed, 100, 5_000); // the demo's 2023 survey changes the class of about 2 % of the parcels

        var query = new IndicatorQuery(null, "2023-12-31", null, null, "2021-12-31");
        var cold = new IndicatorService(db);
        var updated = new IndicatorService(db);
        await updated.PrepareAsync(previous, new DateOnly(2023, 12, 31), CancellationToken.None);

        foreach (var id in Queries)
        {
            var expected = JsonSerializer.SerializeToElement(await cold.ComputeAsync(id, query, CancellationToken.None));
            var actual = JsonSerializer.SerializeToElement(await updated.ComputeAsync(id, query, CancellationToken.None));
            Same(expected, actual, id);
        }
    }

    /// <summary>Equal JSON, numbers to 1e-9 relative (a parcel inside a zone may be summed from the zone's parts in one run and taken whole in the other).</summary>
    private static void Same(JsonElement expected, JsonElement actual, string path)
    {
        Assert.Equal(expected.ValueKind, actual.ValueKind);
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in expected.EnumerateObject().Where(p => p.Name != "ComputedAt"))
                {
                    Same(property.Value, actual.GetProperty(property.Name), $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
                foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
                {
                    Same(e, a, path);
                }

                break;
            case JsonValueKind.Number:
                var (x, y) = (expected.GetDouble(), actual.GetDouble());
                Assert.True(Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)), $"{path}: {x} vs {y}");
                break;
            default:
                Assert.Equal(expected.ToString(), actual.ToString());
                break;
        }
    }
}
