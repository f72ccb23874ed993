using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialCore.Layers;

namespace EcoSpatial.SpatialApi.Tiles;

/// <summary>A tile address in the Web Mercator (EPSG:3857) XYZ scheme.</summary>
public readonly record struct TileAddress(int Z, int X, int Y)
{
    /// <summary>Deepest zoom served.</summary>
    public const int MaxZoom = 22;

    public bool IsValid => Z is >= 0 and <= MaxZoom && X >= 0 && Y >= 0 && X < 1L << Z && Y < 1L << Z;
}

/// <summary>The SQL that makes a Mapbox Vector Tile (2.1) in PostGIS, after pg_tileserv's single-template idea.</summary>
public static class TileQueries
{
    /// <summary>Tile extent in grid units (the MVT default).</summary>
    public const int Extent = 4096;

    /// <summary>Clip buffer around the tile, in grid units, so that strokes do not end at tile edges.</summary>
    public const int Buffer = 64;

    /// <summary>Circumference of the Web Mercator world, in metres.</summary>
    private const double WorldMetres = 40_075_016.685578488;

    /// <summary>
    /// One tile of one version: the features whose bbox meets the tile (GiST index on <c>geom</c>, compared with the
    /// tile envelope brought back to 4490), projected to 3857, simplified by one screen pixel of the zoom (so low zooms
    /// stay small and sub-pixel parcels drop out), then clipped and quantised by <c>ST_AsMVTGeom</c>. The feature id
    /// is the row id, as in <c>/ogc</c>. Features under <see cref="MinAreaM2"/> are left out.
    /// Arguments: z, x, y, version id, tolerance (m), layer name, minimum area (m²).
    /// </summary>
    public static SqlQuery Tile(LayerKind layer, long versionId, TileAddress tile, IReadOnlyList<string> properties)
    {
        var columns = string.Concat(properties.Select(p => ", t." + p));
        var sql = $"""
            WITH bounds AS (SELECT ST_TileEnvelope($1, $2, $3) AS env)
            SELECT ST_AsMVT(m, $6, {Extent}, 'geom', 'id') FROM (
              SELECT t.id, ST_AsMVTGeom(ST_Simplify(ST_Transform(t.geom, 3857), $5, false), b.env, {Extent}, {Buffer}, true) AS geom{columns}
              FROM {layer.Table} t, bounds b
              WHERE t.version_id = $4 AND t.geom && ST_Transform(b.env, 4490) AND t.area_m2 >= $7
            ) m
            """;
        return new SqlQuery(sql, [tile.Z, tile.X, tile.Y, versionId, Tolerance(tile.Z), layer.Id, MinAreaM2(tile)]);
    }

    /// <summary>
    /// The smallest feature drawn: 2 × 2 screen pixels of a 256-pixel tile, on the ground at the tile's centre
    /// (Mercator metres shrink by cos φ): about 270 m² at z14, 4,300 m² at z12, 69,000 m² at z10 near 30°N.
    /// Smaller features would be a dot at that zoom; leaving them out keeps city-scale tiles small.
    /// </summary>
    public static double MinAreaM2(TileAddress tile)
    {
        var n = Math.PI - (2 * Math.PI * (tile.Y + 0.5) / Math.Pow(2, tile.Z));
        var latitude = Math.Atan(Math.Sinh(n));
        var side = 2 * Tolerance(tile.Z) * Math.Cos(latitude);
        return side * side;
    }

    /// <summary>
    /// One screen pixel of a 256-pixel tile at zoom <paramref name="z"/>, in metres of Web Mercator: 16 grid units,
    /// 9.6 m at z14, 153 m at z10. A polygon whose Douglas-Peucker simplification by it collapses (about one pixel
    /// across) is left out of the tile: at the city scale (z8–z10) that drops most parcels and keeps tiles small.
    /// </summary>
    public static double Tolerance(int z) => WorldMetres / (256 * Math.Pow(2, z));
}
