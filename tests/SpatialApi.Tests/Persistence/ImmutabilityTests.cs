using EcoSpatial.SpatialApi.Tests.Support;
using Npgsql;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Persistence;

[Collection(nameof(EcoApiCollection))]
public class ImmutabilityTests(EcoApi api)
{
    [Theory]
    [InlineData("UPDATE layer_versions SET label = 'edited'")]
    [InlineData("DELETE FROM layer_versions")]
    [InlineData("UPDATE water_source_zones SET level = '二级'")]
    [InlineData("DELETE FROM water_source_zones")]
    [InlineData("TRUNCATE water_source_zones CASCADE")]
    [InlineData("DELETE FROM audit_log")]
    public async Task Stored_history_cannot_be_changed_even_through_SQL(string sql)
    {
        var created = await api.CreateEditor().PostAsync("/api/layers/water-source-zones/versions",
            Upload(Collection(Feature("""{"SYDMC":"汉江一水厂","BHQJB":"一级"}""", Square(113.8, 30.6, 0.01))), "2021-12-31"));
        created.EnsureSuccessStatusCode();
        var rows = await api.Database.ScalarAsync<long>("SELECT count(*) FROM water_source_zones");

        var e = await Assert.ThrowsAsync<PostgresException>(() => api.Database.ScalarAsync<object>(sql));

        Assert.Contains("append-only", e.MessageText);
        Assert.Equal(rows, await api.Database.ScalarAsync<long>("SELECT count(*) FROM water_source_zones"));
    }
}
