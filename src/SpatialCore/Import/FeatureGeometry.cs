using System.Buffers;
using EcoSpatial.SpatialCore.Errors;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>The outcome of preparing one source geometry for storage.</summary>
/// <param name="Geometry">The geometry to store (2D MultiPolygon, SRID 4490), or null when rejected.</param>
/// <param name="Repair">The defect that was repaired, or null when the source geometry was valid.</param>
/// <param name="Rejection">Why the feature cannot be stored, or null when it can.</param>
public sealed record PreparedGeometry(MultiPolygon? Geometry, string? Repair, string? Rejection);

/// <summary>
/// Turns a source geometry in lon/lat degrees into what a layer stores: a valid 2D MultiPolygon with SRID 4490.
/// </summary>
/// <remarks>
/// Rejected: no geometry, an empty or non-polygonal geometry, NaN or infinite coordinates, and coordinates outside
/// lon ∈ [−180, 180], lat ∈ [−90, 90] (the usual sign of a projected file read as lon/lat).
/// Repaired: an invalid polygon (self-intersection, wrong nesting, …) is fixed with NetTopologySuite's
/// <see cref="GeometryFixer"/>, which keeps all of its area; the defect found by <see cref="IsValidOp"/> is reported.
/// Z and M values are dropped.
/// </remarks>
public static class FeatureGeometry
{
    /// <summary>Prepares <paramref name="source"/> (lon/lat degrees, any SRID) for storage.</summary>
    public static PreparedGeometry Prepare(Geometry? source)
    {
        if (source is null)
        {
            return Reject("the feature has no geometry");
        }

        if (source is not (Polygon or MultiPolygon))
        {
            return Reject($"the geometry is a {source.GeometryType}, not a Polygon or MultiPolygon");
        }

        if (source.IsEmpty)
        {
            return Reject("the geometry is empty");
        }

        var problem = CoordinateProblem(source);
        if (problem is not null)
        {
            return Reject(problem);
        }

        var flat = IsFlatCgcs2000(source) ? source : Force2D(source);
        if (LoneShell(flat) is { } shell && IsSimpleRing(shell))
        {
            return new PreparedGeometry(ToMulti(flat), null, null);
        }

        var validity = new IsValidOp(flat);
        if (validity.IsValid)
        {
            return new PreparedGeometry(ToMulti(flat), null, null);
        }

        var defect = validity.ValidationError.ToString();
        var fixedGeometry = GeometryFixer.Fix(flat);
        var polygons = PolygonExtracter.GetPolygons(fixedGeometry).Cast<Polygon>().Where(p => !p.IsEmpty).ToArray();
        if (polygons.Length == 0)
        {
            return Reject($"invalid geometry ({defect}) with no area left after repair");
        }

        var repaired = Srid.Cgcs2000Factory.CreateMultiPolygon(polygons);
        return new PreparedGeometry(repaired, defect, null);
    }

    private static PreparedGeometry Reject(string reason) => new(null, null, reason);

    /// <summary>Why a coordinate cannot be lon/lat (NaN, infinite, out of range), or null; reads the sequences without copying.</summary>
    private static string? CoordinateProblem(Geometry geometry)
    {
        for (var p = 0; p < geometry.NumGeometries; p++)
        {
            var polygon = (Polygon)geometry.GetGeometryN(p);
            for (var r = 0; r <= polygon.NumInteriorRings; r++)
            {
                var sequence = Ring(polygon, r).CoordinateSequence;
                for (var i = 0; i < sequence.Count; i++)
                {
                    var (x, y) = (sequence.GetX(i), sequence.GetY(i));
                    if (!double.IsFinite(x) || !double.IsFinite(y))
                    {
                        return "a coordinate is NaN or infinite";
                    }

                    if (Math.Abs(x) > 180 || Math.Abs(y) > 90)
                    {
                        return $"the coordinate ({x}, {y}) is outside the lon/lat range; is the file in a projected CRS?";
                    }
                }
            }
        }

        return null;
    }

    /// <summary>True when the geometry already has SRID 4490 and only X/Y ordinates, so no copy is needed.</summary>
    private static bool IsFlatCgcs2000(Geometry geometry)
    {
        if (geometry.SRID != Srid.Cgcs2000)
        {
            return false;
        }

        for (var p = 0; p < geometry.NumGeometries; p++)
        {
            var polygon = (Polygon)geometry.GetGeometryN(p);
            for (var r = 0; r <= polygon.NumInteriorRings; r++)
            {
                var sequence = Ring(polygon, r).CoordinateSequence;
                if (sequence.Dimension != 2 || sequence.Measures != 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Ring <paramref name="r"/> of a polygon: 0 the shell, then the holes.</summary>
    private static LineString Ring(Polygon polygon, int r) => r == 0 ? polygon.ExteriorRing : polygon.GetInteriorRingN(r - 1);

    /// <summary>The shell of a polygon, or of a multipolygon of one polygon, that has no holes; else null.</summary>
    private static CoordinateSequence? LoneShell(Geometry geometry) => geometry switch
    {
        Polygon { IsEmpty: false, NumInteriorRings: 0 } polygon => polygon.ExteriorRing.CoordinateSequence,
        MultiPolygon { NumGeometries: 1 } multi when multi.GetGeometryN(0) is Polygon { IsEmpty: false, NumInteriorRings: 0 } polygon =>
            polygon.ExteriorRing.CoordinateSequence,
        _ => null,
    };

    /// <summary>
    /// True when <paramref name="ring"/>, as the only ring of a polygon, is certainly valid for <see cref="IsValidOp"/>:
    /// closed, at least four points, no repeated point, a turn at every vertex, and no two non-adjacent segments
    /// that meet. The segment tests are those of the <see cref="RobustLineIntersector"/> that <see cref="IsValidOp"/>
    /// uses (envelopes, then the same robust orientation predicate on the same points), so a ring accepted here
    /// has no intersection that <see cref="IsValidOp"/> could report. False means "not shown": <see cref="IsValidOp"/> decides.
    /// </summary>
    /// <remarks>The common case (a parcel without holes) then costs a sort and a sweep over its segments, with no allocation.</remarks>
    private static bool IsSimpleRing(CoordinateSequence ring)
    {
        var n = ring.Count;
        var segments = n - 1;
        if (n < 4 || ring.GetX(0) != ring.GetX(segments) || ring.GetY(0) != ring.GetY(segments))
        {
            return false;
        }

        var xs = ArrayPool<double>.Shared.Rent(n);
        var ys = ArrayPool<double>.Shared.Rent(n);
        var minXs = ArrayPool<double>.Shared.Rent(segments);
        var order = ArrayPool<int>.Shared.Rent(segments);
        try
        {
            for (var i = 0; i < n; i++)
            {
                (xs[i], ys[i]) = (ring.GetX(i), ring.GetY(i));
            }

            for (var v = 0; v < segments; v++)
            {
                // Adjacent segments must meet only at their shared vertex: no repeated point, no straight or reversed turn.
                var previous = v == 0 ? segments - 1 : v - 1;
                if ((xs[v] == xs[v + 1] && ys[v] == ys[v + 1])
                    || CGAlgorithmsDD.OrientationIndex(xs[previous], ys[previous], xs[v], ys[v], xs[v + 1], ys[v + 1]) == 0)
                {
                    return false;
                }

                minXs[v] = Math.Min(xs[v], xs[v + 1]);
                order[v] = v;
            }

            // Sweep the segments by their least x: each pair whose x ranges overlap is met once.
            var keys = minXs.AsSpan(0, segments);
            keys.Sort(order.AsSpan(0, segments));
            for (var a = 0; a < segments; a++)
            {
                var i = order[a];
                var maxX = Math.Max(xs[i], xs[i + 1]);
                var (minY, maxY) = (Math.Min(ys[i], ys[i + 1]), Math.Max(ys[i], ys[i + 1]));
                for (var b = a + 1; b < segments && keys[b] <= maxX; b++)
                {
                    var j = order[b];
                    var apart = Math.Abs(i - j);
                    if (apart == 1 || apart == segments - 1
                        || Math.Min(ys[j], ys[j + 1]) > maxY || Math.Max(ys[j], ys[j + 1]) < minY)
                    {
                        continue;
                    }

                    if (!Apart(xs, ys, i, j))
                    {
                        return false;
                    }
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(xs);
            ArrayPool<double>.Shared.Return(ys);
            ArrayPool<double>.Shared.Return(minXs);
            ArrayPool<int>.Shared.Return(order);
        }
    }

    /// <summary>True when segments i and j are strictly apart: both ends of one lie on the same side of the other.</summary>
    private static bool Apart(double[] xs, double[] ys, int i, int j)
    {
        var pq1 = CGAlgorithmsDD.OrientationIndex(xs[i], ys[i], xs[i + 1], ys[i + 1], xs[j], ys[j]);
        var pq2 = CGAlgorithmsDD.OrientationIndex(xs[i], ys[i], xs[i + 1], ys[i + 1], xs[j + 1], ys[j + 1]);
        if (pq1 != 0 && pq1 == pq2)
        {
            return true;
        }

        var qp1 = CGAlgorithmsDD.OrientationIndex(xs[j], ys[j], xs[j + 1], ys[j + 1], xs[i], ys[i]);
        var qp2 = CGAlgorithmsDD.OrientationIndex(xs[j], ys[j], xs[j + 1], ys[j + 1], xs[i + 1], ys[i + 1]);
        return qp1 != 0 && qp1 == qp2;
    }

    private static MultiPolygon ToMulti(Geometry geometry) => geometry switch
    {
        MultiPolygon multi => multi,
        Polygon polygon => Srid.Cgcs2000Factory.CreateMultiPolygon([polygon]),
        _ => throw new SpatialInputException(SpatialError.NotPolygonal, $"Expected a polygon, got {geometry.GeometryType}."),
    };

    /// <summary>A copy with only X and Y, built by the SRID-4490 factory.</summary>
    private static Geometry Force2D(Geometry geometry) =>
        new GeometryEditor(Srid.Cgcs2000Factory).Edit(geometry, new DropZ());

    private sealed class DropZ : GeometryEditor.CoordinateOperation
    {
        public override Coordinate[] Edit(Coordinate[] coordinates, Geometry geometry) =>
            coordinates.Select(c => new Coordinate(c.X, c.Y)).ToArray();
    }
}
