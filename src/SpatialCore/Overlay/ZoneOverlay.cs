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

        var tree = new STRtree<int>();
        var prepared = new IPreparedGeometry[zones.Count];
        for (var z = 0; z < zones.Count; z++)
        {
            prepared[z] = PreparedGeometryFactory.Prepare(zones[z].Geometry);
            tree.Insert(zones[z].Geometry.EnvelopeInternal, z);
        }

        tree.Build();
        var perParcel = new List<OverlayPiece>?[parcels.Count];
        Parallel.For(0, parcels.Count, p =>
        {
            var parcel = parcels[p].Geometry;
            List<OverlayPiece>? pieces = null;
            foreach (var z in tree.Query(parcel.EnvelopeInternal))
            {
                var piece = Piece(p, z, parcels[p], prepared[z], zones[z].Geometry);
                if (piece is { } found)
                {
                    (pieces ??= []).Add(found);
                }
            }

            pieces?.Sort((a, b) => a.Zone.CompareTo(b.Zone));
            perParcel[p] = pieces;
        });

        return perParcel.Where(p => p is not null).SelectMany(p => p!).ToList();
    }

    private static OverlayPiece? Piece(int p, int z, OverlayFeature parcel, IPreparedGeometry zone, Geometry zoneGeometry)
    {
        if (!zone.Intersects(parcel.Geometry))
        {
            return null;
        }

        if (zone.Covers(parcel.Geometry))
        {
            return new OverlayPiece(p, z, parcel.AreaM2, true);
        }

        var overlap = OverlayNGRobust.Overlay(parcel.Geometry, zoneGeometry, SpatialFunction.Intersection);
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
