using System.Globalization;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Errors;
using Npgsql;

namespace EcoSpatial.SpatialApi.Indicators;

/// <summary>
/// Resolves what the user names as an input version: a date (YYYY-MM-DD: the version in force that day, i.e. the
/// newest with as-of ≤ date) or a version id. Absent means today, i.e. the current version.
/// </summary>
public static class VersionSelector
{
    /// <summary>The version of <paramref name="layer"/> meant by <paramref name="selector"/>, or null when none is in force.</summary>
    /// <exception cref="SpatialInputException">The selector is neither a date nor an id of that layer.</exception>
    public static async Task<LayerVersionRow?> ResolveAsync(NpgsqlDataSource db, string layer, string? selector, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return await db.VersionInForceAsync(layer, DateOnly.FromDateTime(DateTime.UtcNow), ct);
        }

        if (DateOnly.TryParseExact(selector, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return await db.VersionInForceAsync(layer, date, ct);
        }

        if (long.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            var version = await db.VersionByIdAsync(id, ct);
            return version is not null && version.Layer == layer ? version
                : throw new SpatialInputException(SpatialError.NotFound, $"Layer '{layer}' has no version {id}.");
        }

        throw new SpatialInputException(SpatialError.InvalidArgument,
            $"'{selector}' is neither a date (YYYY-MM-DD) nor a version id.");
    }

    /// <summary>The oldest version of a layer: the default baseline of change indicators.</summary>
    public static async Task<LayerVersionRow?> OldestAsync(NpgsqlDataSource db, string layer, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT id FROM layer_versions WHERE layer = $1 ORDER BY as_of, id LIMIT 1");
        command.Parameters.Add(new() { Value = layer });
        return await command.ExecuteScalarAsync(ct) is long id ? await db.VersionByIdAsync(id, ct) : null;
    }
}
