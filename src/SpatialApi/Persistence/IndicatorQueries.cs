using EcoSpatial.SpatialCore.Import;
using NetTopologySuite.Geometries;
using Npgsql;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>A land-use parcel as the indicators read it.</summary>
/// <param name="FeatureIndex">Its position in the version (<c>feature_index</c>: the source order, unique per version).</param>
/// <param name="ParcelCode">图斑编号 (BSM), if any and if read (see <see cref="IndicatorQueries.ParcelsAsync"/>).</param>
/// <param name="ClassCode">Land-use class code.</param>
/// <param name="AdminCode">坐落单位代码, if any and if read.</param>
/// <param name="Geom">Its polygon, SRID 4490.</param>
/// <param name="AreaM2">Its ellipsoidal area, m².</param>
/// <param name="GeomHash">md5 of the geometry's EWKB (column <c>geom_hash</c>): equal hashes, equal geometries.</param>
public sealed record ParcelRow(int FeatureIndex, string? ParcelCode, string ClassCode, string? AdminCode, Geometry Geom, double AreaM2, Guid GeomHash);

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

    /// <summary>
    /// The distinct class codes of a land-use version, read by skipping through the (version_id, class_code) index:
    /// one probe per code, not a scan of the version.
    /// </summary>
    public static async Task<List<string>> ClassCodesAsync(this NpgsqlDataSource db, long versionId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            WITH RECURSIVE code AS (
              (SELECT class_code FROM landuse WHERE version_id = $1 AND class_code IS NOT NULL ORDER BY class_code LIMIT 1)
              UNION ALL
              SELECT (SELECT l.class_code FROM landuse l WHERE l.version_id = $1 AND l.class_code > code.class_code ORDER BY l.class_code LIMIT 1)
              FROM code WHERE code.class_code IS NOT NULL)
            SELECT class_code FROM code WHERE class_code IS NOT NULL
            """);
        command.Parameters.Add(new() { Value = versionId });
        var codes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            codes.Add(reader.GetString(0));
        }

        return codes;
    }

    /// <summary>
    /// The parcels of a land-use version whose class code is one of <paramref name="classCodes"/>, in storage order;
    /// their parcel and admin codes only <paramref name="withCodes"/>. Two connections read and decode alternate rows
    /// at once (decoding is most of the work); a class code comes as its position in the list, so that every row of a
    /// class shares one string.
    /// </summary>
    public static async Task<List<ParcelRow>> ParcelsAsync(
        this NpgsqlDataSource db, long versionId, IReadOnlyList<string> classCodes, bool withCodes, CancellationToken ct)
    {
        const int Parts = 2;
        var read = await Task.WhenAll(Enumerable.Range(0, Parts).Select(part => ParcelPartAsync(db, versionId, classCodes, withCodes, part, Parts, ct)));
        var rows = read.SelectMany(r => r).ToList();
        rows.Sort((a, b) => a.FeatureIndex.CompareTo(b.FeatureIndex)); // here, not in SQL: a sort of the geometries would spill to disk
        return rows;
    }

    /// <summary>The rows with <c>feature_index % parts = part</c>.</summary>
    private static async Task<List<ParcelRow>> ParcelPartAsync(
        NpgsqlDataSource db, long versionId, IReadOnlyList<string> classCodes, bool withCodes, int part, int parts, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await IndexedReadAsync(connection, ct);
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        command.Parameters.Add(new() { Value = versionId });
        command.Parameters.Add(new() { Value = parts });
        command.Parameters.Add(new() { Value = part });
        command.Parameters.Add(new() { Value = classCodes.ToArray() });
        command.CommandText = $"""
            SELECT feature_index, {(withCodes ? "parcel_code" : "NULL::text")}, array_position($4, class_code), {(withCodes ? "admin_code" : "NULL::text")},
                   area_m2, geom_hash, geom
            FROM landuse
            WHERE version_id = $1 AND feature_index % $2 = $3 AND class_code = ANY($4)
            """;
        var rows = new List<ParcelRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new ParcelRow(reader.GetInt32(0), Text(reader, 1), classCodes[reader.GetInt32(2) - 1], Text(reader, 3),
                reader.GetFieldValue<Geometry>(6), reader.GetDouble(4), reader.GetGuid(5)));
        }

        return rows;
    }

    /// <summary>
    /// The parcels of a land-use version at the given positions (<c>feature_index</c>, ascending), whatever their
    /// class, with their codes; rows without a class code are left out. Everything but the geometry comes from the
    /// (version_id, feature_index) index alone, two connections reading half the positions each; a geometry is asked
    /// of <paramref name="knownGeometry"/> (the position in <paramref name="featureIndexes"/> and the row's geometry
    /// hash) and read from the table only when unknown.
    /// </summary>
    public static async Task<List<ParcelRow>> ParcelsAtAsync(
        this NpgsqlDataSource db, long versionId, int[] featureIndexes, Func<int, Guid, Geometry?> knownGeometry, CancellationToken ct)
    {
        var half = featureIndexes.Length / 2;
        var parts = await Task.WhenAll(
            ParcelsAtPartAsync(db, versionId, featureIndexes, 0, half, knownGeometry, ct),
            ParcelsAtPartAsync(db, versionId, featureIndexes, half, featureIndexes.Length, knownGeometry, ct));
        return await WithGeometriesAsync(db, versionId, [.. parts[0], .. parts[1]], ct);
    }

    /// <summary>The rows, each whose geometry is null given the geometry read from the table by position.</summary>
    public static async Task<List<ParcelRow>> WithGeometriesAsync(this NpgsqlDataSource db, long versionId, List<ParcelRow> rows, CancellationToken ct)
    {
        var unknown = rows.Where(r => r.Geom is null).Select(r => r.FeatureIndex).ToArray();
        if (unknown.Length == 0)
        {
            return rows;
        }

        var geometries = new Dictionary<int, Geometry>(unknown.Length);
        await using var command = db.CreateCommand("SELECT feature_index, geom FROM landuse WHERE version_id = $1 AND feature_index = ANY($2)");
        command.Parameters.Add(new() { Value = versionId });
        command.Parameters.Add(new() { Value = unknown });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            geometries[reader.GetInt32(0)] = reader.GetFieldValue<Geometry>(1);
        }

        return [.. rows.Select(r => r.Geom is null ? r with { Geom = geometries[r.FeatureIndex] } : r)];
    }

    /// <summary>The rows at <c>featureIndexes[from..to]</c>, a geometry left null when <paramref name="knownGeometry"/> does not know it.</summary>
    private static async Task<List<ParcelRow>> ParcelsAtPartAsync(NpgsqlDataSource db, long versionId, int[] featureIndexes, int from, int to,
        Func<int, Guid, Geometry?> knownGeometry, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await IndexedReadAsync(connection, ct);
        await using var command = new NpgsqlCommand("""
            SELECT feature_index, parcel_code, class_code, admin_code, area_m2, geom_hash
            FROM landuse WHERE version_id = $1 AND feature_index = ANY($2) AND class_code IS NOT NULL
            ORDER BY feature_index
            """, connection, transaction);
        command.Parameters.Add(new() { Value = versionId });
        command.Parameters.Add(new() { Value = featureIndexes[from..to] });
        var rows = new List<ParcelRow>(to - from);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var at = from;
        while (await reader.ReadAsync(ct))
        {
            var (index, hash) = (reader.GetInt32(0), reader.GetGuid(5));
            while (featureIndexes[at] != index)
            {
                at++;
            }

            rows.Add(new ParcelRow(index, Text(reader, 1), reader.GetString(2), Text(reader, 3), knownGeometry(at, hash)!, reader.GetDouble(4), hash));
        }

        return rows;
    }

    /// <summary>
    /// How a version's features match <paramref name="baseVersionId"/>'s, as the importer stored it when that was the
    /// layer's previous version; else null.
    /// </summary>
    public static async Task<KeyMatch?> KeyMatchAsync(this NpgsqlDataSource db, long versionId, long baseVersionId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT match, changed FROM version_feature_keys WHERE version_id = $1 AND base_version_id = $2");
        command.Parameters.Add(new() { Value = versionId });
        command.Parameters.Add(new() { Value = baseVersionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? KeyMatch.FromBytes(reader.GetFieldValue<byte[]>(0), ChangedFeature.FromBytes(reader.GetFieldValue<byte[]>(1)))
            : null;
    }

    /// <summary>
    /// The keys of a version's features (<see cref="FeatureKeys"/>), or null for a version imported without them. The
    /// value is stored uncompressed, so two connections read a half each (slices of a TOASTed value).
    /// </summary>
    public static async Task<FeatureKeys?> FeatureKeysAsync(this NpgsqlDataSource db, long versionId, CancellationToken ct)
    {
        await using var length = db.CreateCommand("SELECT octet_length(keys) FROM version_feature_keys WHERE version_id = $1");
        length.Parameters.Add(new() { Value = versionId });
        if (await length.ExecuteScalarAsync(ct) is not int bytes)
        {
            return null;
        }

        async Task<byte[]> Slice(int from, int count)
        {
            await using var command = db.CreateCommand("SELECT substring(keys FROM $2 FOR $3) FROM version_feature_keys WHERE version_id = $1");
            command.Parameters.Add(new() { Value = versionId });
            command.Parameters.Add(new() { Value = from + 1 });
            command.Parameters.Add(new() { Value = count });
            return (byte[])(await command.ExecuteScalarAsync(ct))!;
        }

        var half = bytes / 2 / FeatureKeys.Width * FeatureKeys.Width;
        var slices = await Task.WhenAll(Slice(0, half), Slice(half, bytes - half));
        return FeatureKeys.FromBytes([.. slices[0], .. slices[1]]);
    }

    /// <summary>The parcel codes of a land-use version's parcels with one of <paramref name="classCodes"/> (for "new since the baseline").</summary>
    public static async Task<HashSet<string>> ParcelCodesAsync(this NpgsqlDataSource db, long versionId, IReadOnlyList<string> classCodes, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await IndexedReadAsync(connection, ct);
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        command.Parameters.Add(new() { Value = versionId });
        command.CommandText = $"""
            SELECT parcel_code FROM landuse
            WHERE version_id = $1 AND parcel_code IS NOT NULL AND class_code = ANY($2)
            """;
        command.Parameters.Add(new() { Value = classCodes.ToArray() });
        var codes = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            codes.Add(reader.GetString(0));
        }

        return codes;
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

    /// <summary>
    /// A read transaction whose planner prices random reads as on an SSD (random_page_cost 1.1). With the default 4,
    /// PostgreSQL reads one class set of one version by scanning every version of the table: at 1,042,771 parcels per
    /// version, 0.69 s against 0.15 s through the (version_id, class_code) index (EXPLAIN ANALYZE, forest and grass).
    /// </summary>
    private static async Task<NpgsqlTransaction> IndexedReadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(ct);
        await using var cost = new NpgsqlCommand("SET LOCAL random_page_cost = 1.1", connection, transaction);
        await cost.ExecuteNonQueryAsync(ct);
        return transaction;
    }

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
