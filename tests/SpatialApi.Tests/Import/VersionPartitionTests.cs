using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;
using Npgsql;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Import;

/// <summary>Each imported version is a partition of its own, attached in the import's transaction.</summary>
[Collection(nameof(EcoApiCollection))]
public class VersionPartitionTests(EcoApi api)
{
    private const string Hole = """{"type":"Polygon","coordinates":[[[113.7,30.5],[113.72,30.5],[113.72,30.52],[113.7,30.52],[113.7,30.5]],[[113.705,30.505],[113.71,30.505],[113.71,30.51],[113.705,30.51],[113.705,30.505]]]}""";
    private const string TwoParts = """{"type":"MultiPolygon","coordinates":[[[[113.8,30.6],[113.81,30.6],[113.81,30.61],[113.8,30.6]]],[[[113.82,30.6],[113.83,30.6],[113.83,30.61],[113.82,30.6]]]]}""";

    [Fact]
    public async Task A_version_is_its_own_partition_its_hashes_are_what_PostGIS_computes_and_its_ids_say_version_and_position()
    {
        var created = await api.CreateEditor().PostAsync("/api/layers/redlines/versions", Upload(Collection(
            $$"""{"type":"Feature","properties":{"HXBH":"H1"},"geometry":{{Hole}}}""",
            $$"""{"type":"Feature","properties":{"HXBH":"H2"},"geometry":{{TwoParts}}}""",
            Feature("""{"HXBH":"H3"}""", Square(113.9, 30.7, 0.01))), "2021-12-31"));
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        Assert.Equal("redlines", await api.Database.ScalarAsync<string>(
            "SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = $1::regclass", $"redlines_v{id}"));
        Assert.Equal(3L, await api.Database.ScalarAsync<long>($"SELECT count(*) FROM redlines_v{id}"));
        Assert.Equal(3L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM redlines WHERE version_id = $1", id));
        Assert.Equal(3L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM redlines WHERE version_id = $1 AND geom_hash = md5(ST_AsEWKB(geom))::uuid", id));
        Assert.Equal(3L, await api.Database.ScalarAsync<long>(
            "SELECT count(DISTINCT geom_hash) FROM redlines WHERE version_id = $1", id));
        Assert.Equal(3L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM redlines WHERE version_id = $1 AND id = version_id * 1000000000 + feature_index", id));
    }

    [Fact]
    public async Task A_row_whose_id_does_not_name_its_position_is_refused()
    {
        var created = await api.CreateEditor().PostAsync("/api/layers/redlines/versions",
            Upload(Collection(Feature("""{"HXBH":"H8"}""", Square(113.5, 30.4, 0.01))), "2022-06-30"));
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var e = await Assert.ThrowsAsync<PostgresException>(() => api.Database.ScalarAsync<object>($"""
            INSERT INTO redlines (id, version_id, feature_index, geom, area_m2, attributes)
            SELECT version_id * 1000000000 + 7, version_id, 1, geom, area_m2, attributes FROM redlines WHERE version_id = {id}
            """));

        Assert.True(e.SqlState == PostgresErrorCodes.CheckViolation, e.MessageText);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM redlines WHERE version_id = $1", id));
    }

    [Theory]
    [InlineData("UPDATE {0} SET name = 'edited'")]
    [InlineData("DELETE FROM {0}")]
    [InlineData("TRUNCATE {0}")]
    public async Task A_version_partition_cannot_be_changed_directly(string sql)
    {
        var created = await api.CreateEditor().PostAsync("/api/layers/redlines/versions",
            Upload(Collection(Feature("""{"HXBH":"H9","HXMC":"汉江"}""", Square(113.6, 30.4, 0.01))), "2022-12-31"));
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var e = await Assert.ThrowsAsync<PostgresException>(() => api.Database.ScalarAsync<object>(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, $"redlines_v{id}")));

        Assert.Contains("append-only", e.MessageText);
        Assert.Equal(1L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM redlines WHERE version_id = $1", id));
    }

    [Fact]
    public async Task A_file_refused_halfway_through_the_COPY_leaves_no_table_and_no_version()
    {
        // 3,000 parcels in Gauss-Kruger zone 38 (more than the import's queue holds, so rows are being copied), then
        // one in lon/lat: the contradiction is found while the COPY runs.
        var parcels = Enumerable.Range(0, 3000)
            .Select(i => Feature($$"""{"HXBH":"R{{i}}"}""", Square(38_500_000 + (i % 50 * 100), 3_400_000 + (i / 50 * 100), 50)))
            .Append(Feature("""{"HXBH":"lonlat"}""", Square(113.5, 30.5, 0.01)));
        var versions = await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions");
        var rows = await api.Database.ScalarAsync<long>("SELECT count(*) FROM redlines");
        var upload = Upload(Collection([.. parcels]), "2023-12-31");
        upload.Add(new StringContent("EPSG:4526"), "crs");

        var refused = await api.CreateEditor().PostAsync("/api/layers/redlines/versions", upload);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("contradict", await refused.Content.ReadAsStringAsync());
        Assert.Equal(versions, await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions"));
        Assert.Equal(rows, await api.Database.ScalarAsync<long>("SELECT count(*) FROM redlines"));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_class WHERE relname ~ '^redlines_v[0-9]+$' AND NOT relispartition"));
    }
}
