using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;

namespace EcoSpatial.SpatialApi.Tests.Indicators;

/// <summary>The demo city loads as <c>./eco up</c> loads it, and every indicator equals hand-written PostGIS SQL on it.</summary>
[Collection(nameof(DemoCityCollection))]
public class DemoCityParityTests(DemoCityApi api)
{
    private const string Construction =
        "((l.class_code ~ '^(05|06|07|08|09|10)' AND l.class_code <> '1006') OR l.class_code IN ('1109', '1201'))";

    private Task<double> Sql(string sql) => api.Database.ScalarAsync<double>(sql);

    private Task<long> Version(string layer, string asOf) => api.Database.ScalarAsync<long>(
        "SELECT id FROM layer_versions WHERE layer = $1 AND as_of = $2::date ORDER BY id DESC LIMIT 1", layer, asOf);

    private async Task<JsonElement> Indicator(string query) =>
        await api.CreateClient().GetFromJsonAsync<JsonElement>($"/api/indicators/{query}");

    private static void Close(double expected, double actual, double relative = 1e-6) =>
        Assert.InRange(Math.Abs(actual - expected), 0, Math.Max(1e-3, Math.Abs(expected) * relative));

    [Fact]
    public async Task The_demo_city_is_loaded_whole_with_areas_PostGIS_agrees_with()
    {
        var layers = await api.CreateClient().GetFromJsonAsync<JsonElement>("/api/layers");

        Assert.All(layers.EnumerateArray(), l => Assert.True(l.GetProperty("versionCount").GetInt32() >= 1));
        Assert.True(await api.Database.ScalarAsync<long>("SELECT min(feature_count)::bigint FROM layer_versions WHERE layer = 'landuse'") >= 20_000);
        Assert.Equal(7L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions"));
        foreach (var table in new[] { "landuse", "redlines", "reserves", "water_source_zones", "admin_units" })
        {
            var worst = await Sql($"""
                SELECT max(abs(v.area_m2 - s.area) / s.area) FROM layer_versions v
                JOIN (SELECT version_id, sum(ST_Area(geom::geography)) AS area FROM {table} GROUP BY version_id) s ON s.version_id = v.id
                """);
            Assert.InRange(worst, 0, 1e-9);
        }
    }

    [Fact]
    public async Task Forest_grass_coverage_per_town_equals_the_SQL()
    {
        var (landuse, admin) = (await Version("landuse", "2023-12-31"), await Version("admin-units", "2021-12-31"));
        var result = await Indicator("forest-grass-coverage?asOf=2023-12-31");

        foreach (var town in result.GetProperty("breakdown").EnumerateArray())
        {
            var code = town.GetProperty("code").GetString();
            // The tuned form of the stack notes: the town cut into parts (ST_Subdivide), each part driving a lateral
            // join, a covered parcel counted whole, else intersected.
            var expected = await Sql($"""
                WITH town AS (SELECT geom FROM admin_units WHERE version_id = {admin} AND code = '{code}'),
                     part AS (SELECT ST_Subdivide(geom, 256) AS g FROM town)
                SELECT coalesce(sum(x.area), 0) / (SELECT ST_Area(geom::geography) FROM town)
                FROM part CROSS JOIN LATERAL (
                  SELECT CASE WHEN ST_CoveredBy(l.geom, part.g) THEN ST_Area(l.geom::geography)
                              ELSE ST_Area(ST_Intersection(l.geom, part.g)::geography) END AS area
                  FROM landuse l
                  WHERE l.version_id = {landuse} AND ST_Intersects(l.geom, part.g)
                    AND l.class_code IN ('0301', '0302', '0305', '0307', '0401', '0403', '0404')) x
                """);
            Close(expected, town.GetProperty("rate").GetDouble());
        }
    }

    [Fact]
    public async Task Red_line_loss_equals_the_SQL_and_fails_without_approval()
    {
        var (before, after) = (await Version("redlines", "2021-12-31"), await Version("redlines", "2023-12-31"));
        var result = await Indicator("redline-area-change?from=2021-12-31&to=2023-12-31");

        var lost = await Sql($"""
            SELECT ST_Area(ST_Difference((SELECT ST_Union(geom) FROM redlines WHERE version_id = {before}),
                                         (SELECT ST_Union(geom) FROM redlines WHERE version_id = {after}))::geography)
            """);
        var net = await Sql($"""
            SELECT (SELECT ST_Area(ST_Union(geom)::geography) FROM redlines WHERE version_id = {after})
                 - (SELECT ST_Area(ST_Union(geom)::geography) FROM redlines WHERE version_id = {before})
            """);
        Close(lost, result.GetProperty("details").GetProperty("lostM2").GetDouble());
        Close(net, result.GetProperty("value").GetDouble());
        Assert.InRange(lost, 5e4, 3e5); // the planted 5–30 ha bite
        Assert.Equal("fail", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("details").GetProperty("unapprovedLoss").GetBoolean());
    }

    [Fact]
    public async Task Natural_land_share_in_the_red_lines_equals_the_SQL()
    {
        var (landuse, redlines) = (await Version("landuse", "2023-12-31"), await Version("redlines", "2023-12-31"));
        var result = await Indicator("natural-land-share?asOf=2023-12-31");

        var expected = await Sql($"""
            SELECT sum(ST_Area(ST_Intersection(l.geom, r.geom)::geography))
                   / (SELECT ST_Area(ST_Union(geom)::geography) FROM redlines WHERE version_id = {redlines})
            FROM redlines r JOIN landuse l ON l.version_id = {landuse} AND ST_Intersects(l.geom, r.geom)
            WHERE r.version_id = {redlines}
              AND (l.class_code ~ '^(03|04)' OR l.class_code IN ('0603', '1105', '1106', '1108', '1101', '1102', '1110', '1204', '1205', '1206', '1207'))
            """);
        Close(expected, result.GetProperty("details").GetProperty("rate").GetDouble());
    }

    [Fact]
    public async Task Construction_inside_the_red_lines_equals_the_SQL()
    {
        var (landuse, redlines) = (await Version("landuse", "2023-12-31"), await Version("redlines", "2023-12-31"));
        var result = await Indicator("encroachment?asOf=2023-12-31&since=2021-12-31");

        var expected = await Sql($"""
            SELECT coalesce(sum(ST_Area(ST_Intersection(l.geom, r.geom)::geography)), 0)
            FROM redlines r JOIN landuse l ON l.version_id = {landuse} AND ST_Intersects(l.geom, r.geom) AND {Construction}
            WHERE r.version_id = {redlines}
            """);
        var byKind = result.GetProperty("details").GetProperty("byZoneKind").EnumerateArray()
            .ToDictionary(k => k.GetProperty("key").GetString()!, k => k.GetProperty("areaM2").GetDouble());
        Close(expected, byKind.GetValueOrDefault("Redline"));
        Assert.True(expected > 0, "the demo plants construction inside the red lines");
        Assert.Equal("fail", result.GetProperty("status").GetString());
    }
}

/// <summary>One service over a database with the demo city, for the tests that read it.</summary>
[CollectionDefinition(nameof(DemoCityCollection))]
public sealed class DemoCityCollection : ICollectionFixture<DemoCityApi>;
