using EcoSpatial.SpatialApi.Indicators;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Tests.Support;
using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Landuse;

namespace EcoSpatial.SpatialApi.Tests.Indicators;

/// <summary>
/// The demo city's 2023 land use carried over from its 2021 land use by feature keys: the rows found changed are the
/// rows that differ, and every class set carried over equals the set read from the database.
/// </summary>
[Collection(nameof(DemoCityCollection))]
public class VersionChangesTests(DemoCityApi api)
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [Fact]
    public async Task Every_import_stores_one_key_per_feature()
    {
        var mismatched = await api.Database.ScalarAsync<long>("""
            SELECT count(*) FROM layer_versions v LEFT JOIN version_feature_keys k ON k.version_id = v.id
            WHERE k.keys IS NULL OR length(k.keys) <> 20 * v.feature_count
            """);

        Assert.Equal(0, mismatched);
    }

    [Fact]
    public async Task Rows_without_a_match_are_those_no_earlier_row_equals()
    {
        var (earlierId, laterId) = await VersionsAsync();
        var differing = await api.Database.ScalarAsync<long>("""
            SELECT count(*) FROM landuse n WHERE n.version_id = $2 AND NOT EXISTS (
              SELECT 1 FROM landuse o WHERE o.version_id = $1 AND o.geom_hash = n.geom_hash AND o.area_m2 = n.area_m2
                AND o.parcel_code IS NOT DISTINCT FROM n.parcel_code AND o.class_code IS NOT DISTINCT FROM n.class_code
                AND o.class_name IS NOT DISTINCT FROM n.class_name AND o.admin_code IS NOT DISTINCT FROM n.admin_code
                AND o.official_area_m2 IS NOT DISTINCT FROM n.official_area_m2)
            """, earlierId, laterId);
        await using var db = EcoDatabase.CreateDataSource(api.Database.ConnectionString);

        var (_, match, _, _) = FeatureKeys.Match((await db.FeatureKeysAsync(earlierId, Ct))!, (await db.FeatureKeysAsync(laterId, Ct))!);

        Assert.InRange(differing, 100, 5_000); // the 2023 survey changes about 2 % of the parcels
        Assert.Equal(differing, match.Count(m => m < 0));
    }

    [Fact]
    public async Task Each_class_set_carried_over_equals_the_set_read()
    {
        var (earlierId, laterId) = await VersionsAsync();
        await using var db = EcoDatabase.CreateDataSource(api.Database.ConnectionString);
        var later = (await db.FeatureKeysAsync(laterId, Ct))!;
        var keyMatch = FeatureKeys.Match((await db.FeatureKeysAsync(earlierId, Ct))!, later);
        var unmatched = Enumerable.Range(0, later.Keys.Count).Where(r => keyMatch.Matches[r] < 0).Select(r => later.FeatureIndexes[r]).ToArray();
        var changes = new VersionChanges(keyMatch, await db.ParcelsAtAsync(laterId, unmatched, (_, _) => null, Ct));

        foreach (var (set, withCodes) in new[] { (ParcelClassSet.All, false), (ParcelClassSet.ForestGrass, false), (ParcelClassSet.Construction, true) })
        {
            var earlier = await db.ParcelsAsync(earlierId, set.Of(await db.ClassCodesAsync(earlierId, Ct)), withCodes, Ct);
            var read = await db.ParcelsAsync(laterId, set.Of(await db.ClassCodesAsync(laterId, Ct)), withCodes, Ct);

            var (carried, origins) = changes.Carry(earlier, set, withCodes);

            Assert.Equal(read.Count, carried.Count);
            for (var i = 0; i < read.Count; i++)
            {
                var (r, c) = (read[i], carried[i]);
                Assert.Equal((r.FeatureIndex, r.ParcelCode, r.ClassCode, r.AdminCode, r.AreaM2, r.GeomHash),
                    (c.FeatureIndex, c.ParcelCode, c.ClassCode, c.AdminCode, c.AreaM2, c.GeomHash));
                Assert.True(r.Geom.EqualsExact(c.Geom), $"{set.Name} row {r.FeatureIndex}: geometry differs");
                Assert.True(origins[i] < 0 || ReferenceEquals(earlier[origins[i]].Geom, c.Geom), $"{set.Name} row {r.FeatureIndex}: origin");
            }
        }
    }

    [Fact]
    public async Task The_importer_stores_the_match_with_the_previous_version_as_the_keys_give_it()
    {
        var (earlierId, laterId) = await VersionsAsync();
        await using var db = EcoDatabase.CreateDataSource(api.Database.ConnectionString);
        var computed = FeatureKeys.Match((await db.FeatureKeysAsync(earlierId, Ct))!, (await db.FeatureKeysAsync(laterId, Ct))!);

        var stored = await db.KeyMatchAsync(laterId, earlierId, Ct);

        Assert.NotNull(stored);
        Assert.Equal(computed.FeatureIndexes, stored.FeatureIndexes);
        Assert.Equal(computed.Matches, stored.Matches);
        Assert.Equal(computed.Aligned, stored.Aligned);
        Assert.Null(await db.KeyMatchAsync(laterId, laterId, Ct)); // against any other version: none stored

        var changed = stored.Changed!;
        Assert.Equal(computed.Matches.Count(m => m < 0), changed.Count);
        var unmatched = changed.Select(c => c.FeatureIndex).ToArray();
        var read = (await db.ParcelsAtAsync(laterId, unmatched, (_, _) => null, Ct)).ToDictionary(r => r.FeatureIndex);
        foreach (var c in changed.Where(c => c.Values[1] is not null))
        {
            var row = read[c.FeatureIndex];
            Assert.Equal((row.ParcelCode, row.ClassCode, row.AdminCode, row.AreaM2, row.GeomHash),
                (c.Values[0] as string, c.Values[1] as string, c.Values[3] as string, c.AreaM2, c.GeometryHash));
        }
    }

    private async Task<(long Earlier, long Later)> VersionsAsync() => (
        await api.Database.ScalarAsync<long>("SELECT min(id) FROM layer_versions WHERE layer = 'landuse'"),
        await api.Database.ScalarAsync<long>("SELECT max(id) FROM layer_versions WHERE layer = 'landuse'"));
}
