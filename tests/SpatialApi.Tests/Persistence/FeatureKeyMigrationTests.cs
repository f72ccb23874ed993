using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Tests.Support;
using EcoSpatial.SpatialCore.Layers;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace EcoSpatial.SpatialApi.Tests.Persistence;

/// <summary>
/// The migration that makes the position the features' key, on a database holding features with sequence ids; and
/// how a database that lacks a migration is told from one that has them all (which EF is not started for).
/// </summary>
public class FeatureKeyMigrationTests
{
    [Fact]
    public async Task Features_stored_with_sequence_ids_get_derived_ids_and_are_found_by_them()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var dataSource = EcoDatabase.CreateDataSource(database.ConnectionString);
        await using (var context = EcoDatabase.CreateContext(dataSource))
        {
            Assert.False(await EcoDatabase.IsCurrentAsync(dataSource, CancellationToken.None)); // no history table yet
            await context.GetService<IMigrator>().MigrateAsync("20261130020000_FeatureIdsFromVersion");
        }

        Assert.False(await EcoDatabase.IsCurrentAsync(dataSource, CancellationToken.None)); // one migration behind

        await database.ScalarAsync<object>("""
            INSERT INTO layer_versions (id, layer, label, as_of, imported_at, source_file_name, source_sha256, source_crs,
                                        feature_count, area_m2, report)
            VALUES (5, 'redlines', 'before', '2020-12-31', now(), 'r.geojson', repeat('0', 64), 'EPSG:4490', 2, 2, '{}')
            """);
        await database.ScalarAsync<object>("CREATE TABLE redlines_v5 PARTITION OF redlines FOR VALUES IN (5)");
        await database.ScalarAsync<object>("""
            INSERT INTO redlines (id, code, version_id, feature_index, geom, area_m2, attributes)
            SELECT 40 + i, 'H' || i, 5, i, ST_Multi(ST_MakeEnvelope(113 + i, 30, 113.01 + i, 30.01, 4490)), 1, '{}'
            FROM generate_series(0, 1) i
            """);

        await EcoDatabase.MigrateAsync(dataSource, CancellationToken.None);

        Assert.True(await EcoDatabase.IsCurrentAsync(dataSource, CancellationToken.None));

        Assert.Equal(2L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM redlines WHERE id = version_id * 1000000000 + feature_index"));
        Assert.Equal(2L, await database.ScalarAsync<long>(
            "SELECT (details->>'features')::bigint FROM audit_log WHERE action = 'rewrite-feature-ids' AND details->>'table' = 'redlines'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conname = 'pk_redlines'"));
        var query = FeatureQueries.Item(LayerCatalog.Redlines, 5_000_000_001, OgcCrs.Crs84)!;
        await using var command = query.CreateCommand(dataSource);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(5_000_000_001, reader.GetInt64(0));
        Assert.Equal("H1", reader.GetString(reader.GetOrdinal("code")));
        Assert.False(await reader.ReadAsync());
        Assert.Null(FeatureQueries.Item(LayerCatalog.Redlines, 41, OgcCrs.Crs84));
    }

    [Fact]
    public async Task A_database_that_does_not_exist_yet_is_not_current()
    {
        await using var database = await TestDatabase.CreateAsync();
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = database.Name + "_missing" };
        await using var dataSource = EcoDatabase.CreateDataSource(missing.ConnectionString);

        Assert.False(await EcoDatabase.IsCurrentAsync(dataSource, CancellationToken.None));
    }
}
