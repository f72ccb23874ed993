using Microsoft.EntityFrameworkCore;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>Reads of layer versions. "Current" is the newest as-of date; the later import wins a tie.</summary>
public static class VersionQueries
{
    /// <summary>All versions of a layer, current first.</summary>
    public static Task<List<LayerVersionRow>> VersionsOfAsync(this EcoDbContext db, string layer, CancellationToken ct) =>
        db.LayerVersions.AsNoTracking()
            .Where(v => v.Layer == layer)
            .OrderByDescending(v => v.AsOf).ThenByDescending(v => v.Id)
            .ToListAsync(ct);

    /// <summary>One version of a layer, or null.</summary>
    public static Task<LayerVersionRow?> VersionAsync(this EcoDbContext db, string layer, long id, CancellationToken ct) =>
        db.LayerVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Layer == layer && v.Id == id, ct);
}
