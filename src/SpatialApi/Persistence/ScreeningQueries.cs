using EcoSpatial.SpatialCore.Indicators;
using NetTopologySuite.Geometries;
using Npgsql;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>The PostGIS side of site screening: one indexed query over the three zone layers.</summary>
public static class ScreeningQueries
{
    /// <summary>
    /// The site (buffered by <paramref name="bufferM"/> metres on the ellipsoid when positive), its ellipsoidal area,
    /// and every red line, reserve zone and water-source zone of the given versions it overlaps, with the ellipsoidal
    /// area of each overlap. A version id of -1 means the layer has no version in force.
    /// </summary>
    public static async Task<(double SiteAreaM2, List<ScreeningHit> Hits)> ScreenAsync(
        this NpgsqlDataSource db, Geometry site, double bufferM, long redlines, long reserves, long waterZones, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            WITH site AS (
              SELECT ST_SetSRID(CASE WHEN $2 > 0 THEN ST_Buffer($1::geography, $2)::geometry ELSE $1 END, 4490) AS g
            )
            SELECT 'site', 0, NULL, NULL, ST_Area(site.g::geography) FROM site
            UNION ALL
            SELECT 'redlines', r.id, r.name, NULL, ST_Area(ST_Intersection(r.geom, site.g)::geography)
            FROM site JOIN redlines r ON r.version_id = $3 AND ST_Intersects(r.geom, site.g)
            UNION ALL
            SELECT 'reserves', z.id, z.name, z.zone, ST_Area(ST_Intersection(z.geom, site.g)::geography)
            FROM site JOIN reserves z ON z.version_id = $4 AND ST_Intersects(z.geom, site.g)
            UNION ALL
            SELECT 'water-source-zones', w.id, w.source_name, w.level, ST_Area(ST_Intersection(w.geom, site.g)::geography)
            FROM site JOIN water_source_zones w ON w.version_id = $5 AND ST_Intersects(w.geom, site.g)
            """);
        command.Parameters.Add(new() { Value = site });
        command.Parameters.Add(new() { Value = bufferM });
        command.Parameters.Add(new() { Value = redlines });
        command.Parameters.Add(new() { Value = reserves });
        command.Parameters.Add(new() { Value = waterZones });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var (siteArea, hits) = (0.0, new List<ScreeningHit>());
        while (await reader.ReadAsync(ct))
        {
            var layer = reader.GetString(0);
            if (layer == "site")
            {
                siteArea = reader.GetDouble(4);
                continue;
            }

            hits.Add(new ScreeningHit(layer, reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetDouble(4)));
        }

        return (siteArea, hits);
    }
}
