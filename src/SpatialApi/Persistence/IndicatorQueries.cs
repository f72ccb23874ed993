using NetTopologySuite.Geometries;
using Npgsql;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>A land-use parcel as the indicators read it.</summary>
public sealed record ParcelRow(long Id, string? ParcelCode, string ClassCode, string? AdminCode, Geometry Geom, double AreaM2);

/// <summary>A zone feature (red line, reserve zone, water-source zone, admin unit) as the indicators read it.</summary>
/// <param name="Id">Row id.</param>
/// <param name="Name">Name (or code for admin units).</param>
/// <param name="Kind">Layer-specific class: reserve zone, water-source level, admin terrain.</param>
/// <param name="Extra">Another attribute: reserve category / admin name / water source type.</param>
/// <param name="Level">Reserve level, else null.</param>
/// <param name="Geom">Its polygon, SRID 4490.</param>
/// <param name="AreaM2">Its ellipsoidal area, m².</param>
public sealed record ZoneRow(long Id, string? Name, string? Kind, string? Extra, string? Level, Geometry Geom, double AreaM2);

/// <summary>
/// The reads behind the indicators: which version is in force, and a version's features with the attributes each
/// indicator needs. Every query filters on <c>version_id</c> and returns geometry as stored (SRID 4490).
/// </summary>
public static class IndicatorQueries
{
    /// <summary>The version of <paramref name="layer"/> in force on <paramref name="date"/>: the newest as-of ≤ date (ties: the later import).</summary>
    public static async Task<LayerVersionRow?> VersionInForceAsync(this NpgsqlDataSource db, string layer, DateOnly date, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT id FROM layer_versions WHERE layer = $1 AND as_of <= $2 ORDER BY as_of DESC, id DESC LIMIT 1
            """);
        command.Parameters.Add(new() { Value = layer });
        command.Parameters.Add(new() { Value = date });
        return await command.ExecuteScalarAsync(ct) is long id ? await db.VersionByIdAsync(id, ct) : null;
    }

    /// <summary>A version by id, or null.</summary>
    public static async Task<LayerVersionRow?> VersionByIdAsync(this NpgsqlDataSource db, long id, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT id, layer, label, as_of, imported_at, source_file_name, source_sha256, source_crs, feature_count,
                   area_m2, approval_ref, report::text
            FROM layer_versions WHERE id = $1
            """);
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        return new LayerVersionRow
        {
            Id = reader.GetInt64(0),
            Layer = reader.GetString(1),
            Label = reader.GetString(2),
            AsOf = reader.GetFieldValue<DateOnly>(3),
            ImportedAt = reader.GetFieldValue<DateTimeOffset>(4),
            SourceFileName = reader.GetString(5),
            SourceSha256 = reader.GetString(6),
            SourceCrs = reader.GetString(7),
            FeatureCount = reader.GetInt32(8),
            AreaM2 = reader.GetDouble(9),
            ApprovalRef = reader.IsDBNull(10) ? null : reader.GetString(10),
            Report = reader.GetString(11),
        };
    }

    /// <summary>The parcels of a land-use version (those with a class code).</summary>
    public static Task<List<ParcelRow>> ParcelsAsync(this NpgsqlDataSource db, long versionId, CancellationToken ct) =>
        ReadAsync(db, """
            SELECT id, parcel_code, class_code, admin_code, geom, area_m2
            FROM landuse WHERE version_id = $1 AND class_code IS NOT NULL ORDER BY id
            """, versionId, r => new ParcelRow(r.GetInt64(0), Text(r, 1), r.GetString(2), Text(r, 3), r.GetFieldValue<Geometry>(4), r.GetDouble(5)), ct);

    /// <summary>Parcel code → class code of a land-use version, for "new since the baseline".</summary>
    public static async Task<Dictionary<string, string>> ParcelClassesAsync(this NpgsqlDataSource db, long versionId, CancellationToken ct)
    {
        var rows = await ReadAsync(db, """
            SELECT parcel_code, class_code FROM landuse
            WHERE version_id = $1 AND parcel_code IS NOT NULL AND class_code IS NOT NULL
            """, versionId, r => (r.GetString(0), r.GetString(1)), ct);
        return rows.GroupBy(r => r.Item1).ToDictionary(g => g.Key, g => g.First().Item2);
    }

    /// <summary>Admin units: Name = code, Kind = terrain, Extra = name.</summary>
    public static Task<List<ZoneRow>> AdminUnitsAsync(this NpgsqlDataSource db, long versionId, CancellationToken ct) =>
        ReadAsync(db, "SELECT id, code, terrain, name, level, geom, area_m2 FROM admin_units WHERE version_id = $1 ORDER BY code, id",
            versionId, Zone, ct);

    /// <summary>Red lines: Name = name, Kind = function, Extra = code.</summary>
    public static Task<List<ZoneRow>> RedlinesAsync(this NpgsqlDataSource db, long versionId, CancellationToken ct) =>
        ReadAsync(db, "SELECT id, name, function, code, NULL, geom, area_m2 FROM redlines WHERE version_id = $1 ORDER BY id",
            versionId, Zone, ct);

    /// <summary>Reserve zones: Name = name, Kind = zone, Extra = category, Level = level.</summary>
    public static Task<List<ZoneRow>> ReservesAsync(this NpgsqlDataSource db, long versionId, CancellationToken ct) =>
        ReadAsync(db, "SELECT id, name, zone, category, level, geom, area_m2 FROM reserves WHERE version_id = $1 ORDER BY id",
            versionId, Zone, ct);

    /// <summary>Water-source zones: Name = source name, Kind = level, Extra = source type.</summary>
    public static Task<List<ZoneRow>> WaterSourceZonesAsync(this NpgsqlDataSource db, long versionId, CancellationToken ct) =>
        ReadAsync(db, "SELECT id, source_name, level, source_type, NULL, geom, area_m2 FROM water_source_zones WHERE version_id = $1 ORDER BY id",
            versionId, Zone, ct);

    private static ZoneRow Zone(NpgsqlDataReader r) =>
        new(r.GetInt64(0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4), r.GetFieldValue<Geometry>(5), r.GetDouble(6));

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static async Task<List<T>> ReadAsync<T>(NpgsqlDataSource db, string sql, long versionId, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var command = db.CreateCommand(sql);
        command.Parameters.Add(new() { Value = versionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
