using EcoSpatial.SpatialCore.Errors;
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
        foreach (var ring in Rings(geometry))
        {
            var sequence = ring.CoordinateSequence;
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

        return null;
    }

    /// <summary>True when the geometry already has SRID 4490 and only X/Y ordinates, so no copy is needed.</summary>
    private static bool IsFlatCgcs2000(Geometry geometry) =>
        geometry.SRID == Srid.Cgcs2000 && Rings(geometry).All(r => r.CoordinateSequence.Dimension == 2 && r.CoordinateSequence.Measures == 0);

    private static IEnumerable<LineString> Rings(Geometry geometry)
    {
        for (var p = 0; p < geometry.NumGeometries; p++)
        {
            if (geometry.GetGeometryN(p) is Polygon polygon)
            {
                yield return polygon.ExteriorRing;
                for (var h = 0; h < polygon.NumInteriorRings; h++)
                {
                    yield return polygon.GetInteriorRingN(h);
                }
            }
        }
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
