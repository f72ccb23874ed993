using System.Globalization;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Layers;
using Npgsql;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>The version of a layer a request reads (the few columns the map-serving paths need).</summary>
public sealed record SelectedVersion(long Id, string Layer, DateOnly AsOf, string Label, int FeatureCount);

/// <summary>
/// Which version of a layer a request reads: <c>version=ID</c> names one; <c>datetime</c> (an RFC 3339 instant,
/// or an interval <c>a/b</c>, <c>../b</c>, <c>a/..</c>) selects the version in force at the instant, or at the end
/// of the interval (the newest as-of date on or before it; an open end means now); neither means the current version.
/// A date before the first version selects nothing (an empty result, not an error).
/// </summary>
public static class VersionSelection
{
    /// <summary>The selected version, or null when none was in force; throws on malformed or contradictory arguments.</summary>
    /// <exception cref="SpatialInputException">InvalidArgument for a bad value; NotFound for an unknown version id.</exception>
    public static async Task<SelectedVersion?> ResolveAsync(
        NpgsqlDataSource dataSource, LayerKind layer, string? datetime, string? version, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(version))
        {
            if (!string.IsNullOrEmpty(datetime))
            {
                throw new SpatialInputException(SpatialError.InvalidArgument, "Give 'version' or 'datetime', not both.");
            }

            if (!long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw new SpatialInputException(SpatialError.InvalidArgument, $"'version' must be a version id (an integer); got '{version}'.");
            }

            return await VersionLookup.ByIdAsync(dataSource, layer.Id, id, ct)
                ?? throw new SpatialInputException(SpatialError.NotFound, $"Layer '{layer.Id}' has no version {id}.");
        }

        var inForceOn = InForceOn(datetime);
        return await VersionLookup.InForceAsync(dataSource, layer.Id, inForceOn, ct);
    }

    /// <summary>The date whose version in force is wanted, or null for the current version.</summary>
    /// <exception cref="SpatialInputException">InvalidArgument: not an RFC 3339 instant or interval.</exception>
    public static DateOnly? InForceOn(string? datetime)
    {
        if (string.IsNullOrWhiteSpace(datetime))
        {
            return null;
        }

        var parts = datetime.Split('/');
        if (parts.Length == 1)
        {
            return Instant(parts[0]) ?? throw Invalid(datetime);
        }

        if (parts.Length != 2 || (IsOpen(parts[0]) && IsOpen(parts[1])))
        {
            throw Invalid(datetime);
        }

        DateOnly? start = IsOpen(parts[0]) ? null : Instant(parts[0]) ?? throw Invalid(datetime);
        DateOnly? end = IsOpen(parts[1]) ? null : Instant(parts[1]) ?? throw Invalid(datetime);
        if (start > end)
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, $"'datetime' interval '{datetime}' ends before it starts.");
        }

        return end;
    }

    private static bool IsOpen(string bound) => bound is "" or "..";

    /// <summary>A full date (2020-12-31) or an RFC 3339 date-time; its calendar date as written.</summary>
    private static DateOnly? Instant(string text)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        return text.Length > 10 && (text[10] is 'T' or 't')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            && DateOnly.FromDateTime(instant.DateTime) == day
                ? day
                : null;
    }

    private static SpatialInputException Invalid(string datetime) => new(SpatialError.InvalidArgument,
        $"'datetime' must be an RFC 3339 date or date-time, or an interval such as 2020-01-01/2020-12-31, ../2020-12-31 or 2020-01-01/..; got '{datetime}'.");
}
