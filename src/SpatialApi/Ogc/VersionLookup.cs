using System.Collections.Concurrent;
using Npgsql;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>
/// Named queries on <c>layer_versions</c> for the map-serving paths (raw Npgsql: they run on every tile request).
/// "Current" and "in force" follow <c>Persistence.VersionQueries</c>: newest as-of date, the later import wins a tie.
/// </summary>
public static class VersionLookup
{
    private const string Columns = "SELECT id, layer, as_of, label, feature_count FROM layer_versions";

    /// <summary>One version of a layer by id.</summary>
    public const string ById = Columns + " WHERE layer = $1 AND id = $2";

    /// <summary>The version in force on a date ($2), or the current one when $2 is null.</summary>
    public const string InForce = Columns + """
         WHERE layer = $1 AND ($2::date IS NULL OR as_of <= $2::date)
         ORDER BY as_of DESC, id DESC
         LIMIT 1
        """;

    /// <summary>The id of the newest import of a layer (any as-of date): it changes exactly when a version is added.</summary>
    public const string NewestImport = "SELECT max(id) FROM layer_versions WHERE layer = $1";

    /// <summary>
    /// Versions read by id, kept: a version never changes once stored, so a pinned request (every next link and
    /// tile URL) needs no lookup. Keyed by database too, since tests and benchmarks run several in one process.
    /// </summary>
    private static readonly ConcurrentDictionary<(string Database, string Layer, long Id), SelectedVersion> Pinned = new();

    public static async Task<SelectedVersion?> ByIdAsync(NpgsqlDataSource dataSource, string layer, long id, CancellationToken ct)
    {
        var key = (dataSource.ConnectionString, layer, id);
        if (Pinned.TryGetValue(key, out var known))
        {
            return known;
        }

        var version = await SingleAsync(dataSource, ById, ct, layer, id);
        if (version is not null)
        {
            Pinned[key] = version;
        }

        return version;
    }

    public static Task<SelectedVersion?> InForceAsync(NpgsqlDataSource dataSource, string layer, DateOnly? on, CancellationToken ct) =>
        SingleAsync(dataSource, InForce, ct, layer, on is { } d ? d : DBNull.Value);

    private static async Task<SelectedVersion?> SingleAsync(NpgsqlDataSource dataSource, string sql, CancellationToken ct, params object[] args)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var arg in args)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new SelectedVersion(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2), reader.GetString(3), reader.GetInt32(4))
            : null;
    }
}
