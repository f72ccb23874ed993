using System.Collections.Concurrent;
using EcoSpatial.SpatialCore.Layers;
using Npgsql;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>
/// The CRS84 bounding box of each version, computed once by PostGIS (<c>ST_Extent</c>) and kept: versions are
/// immutable, so the box never goes stale.
/// </summary>
public sealed class VersionExtents(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<long, double[]?> boxes = new();

    /// <summary>xmin, ymin, xmax, ymax of the version's features, or null when it has none.</summary>
    public async Task<double[]?> OfAsync(LayerKind layer, long versionId, CancellationToken ct)
    {
        if (boxes.TryGetValue(versionId, out var box))
        {
            return box;
        }

        await using var command = FeatureQueries.Extent(layer, versionId).CreateCommand(dataSource);
        await using var reader = await command.ExecuteReaderAsync(ct);
        box = await reader.ReadAsync(ct) && !reader.IsDBNull(0)
            ? [reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)]
            : null;
        return boxes[versionId] = box;
    }
}
