using EcoSpatial.SpatialCore.Geodesy;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace EcoSpatial.SpatialCore.Overlay;

/// <summary>A polygon that is overlaid: a land-use parcel or a zone (red line, reserve zone, water-source zone, admin unit).</summary>
/// <param name="Id">The feature's row id in its layer.</param>
/// <param name="Geometry">Valid polygonal geometry, SRID 4490.</param>
/// <param name="AreaM2">Its ellipsoidal area, m² (stored at import).</param>
public sealed record OverlayFeature(long Id, Geometry Geometry, double AreaM2);

/// <summary>The part of parcel <see cref="Parcel"/> inside zone <see cref="Zone"/> (indices into the inputs).</summary>
/// <param name="Parcel">Index of the parcel in the parcel list.</param>
/// <param name="Zone">Index of the zone in the zone list.</param>
/// <param name="AreaM2">Ellipsoidal area of the overlap, m².</param>
/// <param name="Whole">True when the zone covers the whole parcel (no intersection was computed).</param>
public readonly record struct OverlayPiece(int Parcel, int Zone, double AreaM2, bool Whole);

/// <summary>
/// Overlay of parcels with zones: for every (parcel, zone) pair that overlap, the ellipsoidal area of the overlap.
/// </summary>
/// <remarks>
/// <para>Method: zones go into an STR-tree and are prepared once. For each parcel, each candidate zone whose
/// envelope meets the parcel's is tested with the prepared predicate: a zone that covers the parcel contributes the
/// parcel's stored area; one that merely intersects it contributes the ellipsoidal area of
/// <c>OverlayNGRobust.Overlay(parcel, zone, Intersection)</c>; one that does not intersect contributes nothing.
/// Only parcels on a zone boundary pay for an intersection, which is what makes this fast.</para>
/// <para>Edges are straight lines in lon/lat for the intersection (as PostGIS geometry does) and geodesics for the
/// area (as PostGIS geography does), so a piece's area equals PostGIS
/// <c>ST_Area(ST_Intersection(p, z)::geography)</c>. Zones of one kind should not overlap each other; if they do,
/// a parcel part inside two zones is counted once per zone.</para>
/// <para>Zones with more than <see cref="MaxPartVertices"/> vertices are first cut into parts by recursive
/// halving of their envelope (as PostGIS <c>ST_Subdivide</c> does), so that a parcel on a zone boundary is
/// intersected with a small part, not the whole zone; a parcel that crosses a cut line is intersected with each part
/// it meets and the pieces are summed. The cut adds a vertex where it crosses a parcel edge, and geodesics through
/// that vertex enclose a slightly different area than the undivided edge: about 1e-8 of the piece for 250 m
/// parcels, 3e-6 for 1 km ones, the same as PostGIS gives with <c>ST_Subdivide</c>.</para>
/// <para>Parcels are processed in parallel; the result is ordered by parcel then zone, so it is deterministic.</para>
/// </remarks>
public static class ZoneOverlay
{
    /// <summary>Every non-empty overlap of a parcel with a zone.</summary>
    public static IReadOnlyList<OverlayPiece> Compute(IReadOnlyList<OverlayFeature> parcels, IReadOnlyList<OverlayFeature> zones)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        ArgumentNullException.ThrowIfNull(zones);
        if (zones.Count == 0 || parcels.Count == 0)
        {
            return [];
        }

        var parts = zones.SelectMany((zone, z) => Subdivide(zone.Geometry, 0).Select(part => (Zone: z, Part: part))).ToArray();
        var tree = new STRtree<int>();
        var prepared = new IPreparedGeometry[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            prepared[i] = PreparedGeometryFactory.Prepare(parts[i].Part);
            tree.Insert(parts[i].Part.EnvelopeInternal, i);
        }

        tree.Build();
        var perParcel = new List<OverlayPiece>?[parcels.Count];
        Parallel.For(0, parcels.Count, p =>
        {
            var parcel = parcels[p].Geometry;
            List<OverlayPiece>? pieces = null;
            var touching = tree.Query(parcel.EnvelopeInternal).Where(i => prepared[i].Intersects(parcel)).GroupBy(i => parts[i].Zone);
            foreach (var zoneParts in touching.OrderBy(g => g.Key))
            {
                var piece = Piece(p, zoneParts.Key, parcels[p], zoneParts.Select(i => (prepared[i], parts[i].Part)));
                if (piece is { } found)
                {
                    (pieces ??= []).Add(found);
                }
            }

            perParcel[p] = pieces;
        });

        return perParcel.Where(p => p is not null).SelectMany(p => p!).ToList();
    }

    /// <summary>Zones with more vertices than this are cut into parts before the overlay.</summary>
    public const int MaxPartVertices = 256;

    /// <summary>Cuts a polygon into parts of at most <see cref="MaxPartVertices"/> vertices by halving its envelope.</summary>
    private static IEnumerable<Geometry> Subdivide(Geometry zone, int depth)
    {
        if (zone.NumPoints <= MaxPartVertices || depth >= 16)
        {
            return zone.IsEmpty ? [] : [zone];
        }

        var e = zone.EnvelopeInternal;
        var halves = e.Width >= e.Height
            ? new[] { new Envelope(e.MinX, e.Centre.X, e.MinY, e.MaxY), new Envelope(e.Centre.X, e.MaxX, e.MinY, e.MaxY) }
            : [new Envelope(e.MinX, e.MaxX, e.MinY, e.Centre.Y), new Envelope(e.MinX, e.MaxX, e.Centre.Y, e.MaxY)];
        return halves.SelectMany(half =>
        {
            var clipped = PolygonalPart(OverlayNGRobust.Overlay(zone, zone.Factory.ToGeometry(half), SpatialFunction.Intersection));
            return Subdivide(clipped, depth + 1);
        });
    }

    /// <summary>The parcel's piece in one zone, from the zone's parts that the parcel meets.</summary>
    private static OverlayPiece? Piece(int p, int z, OverlayFeature parcel, IEnumerable<(IPreparedGeometry Prepared, Geometry Geometry)> parts)
    {
        var area = 0.0;
        foreach (var part in parts)
        {
            if (part.Prepared.Covers(parcel.Geometry))
            {
                return new OverlayPiece(p, z, parcel.AreaM2, true); // other parts can only touch its boundary
            }

            area += Intersect(p, z, parcel.Geometry, part.Geometry)?.AreaM2 ?? 0;
        }

        return area > 0 ? new OverlayPiece(p, z, area, false) : null;
    }

    private static OverlayPiece? Intersect(int p, int z, Geometry parcel, Geometry zone)
    {
        var overlap = OverlayNGRobust.Overlay(parcel, zone, SpatialFunction.Intersection);
        overlap.SRID = Srid.Cgcs2000;
        var area = EllipsoidalArea.Of(PolygonalPart(overlap));
        return area > 0 ? new OverlayPiece(p, z, area, false) : null;
    }

    /// <summary>The polygonal part of an overlay result (a touching edge can add lines or points).</summary>
    public static Geometry PolygonalPart(Geometry geometry)
    {
        if (geometry is Polygon or MultiPolygon)
        {
            return geometry;
        }

        var polygons = NetTopologySuite.Geometries.Utilities.PolygonExtracter.GetPolygons(geometry).Cast<Polygon>().ToArray();
        return Srid.Cgcs2000Factory.CreateMultiPolygon(polygons);
    }
}
