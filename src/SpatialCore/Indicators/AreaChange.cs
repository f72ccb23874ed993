using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Overlay;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Union;

namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>An admin unit for breakdowns: code, name, terrain class and geometry (SRID 4490).</summary>
/// <param name="Code">GB/T 2260-style code (XZQDM).</param>
/// <param name="Name">Name (XZQMC).</param>
/// <param name="Terrain">Terrain class: 山区, 丘陵 or 平原 (null when unknown).</param>
/// <param name="Geometry">Its polygon.</param>
/// <param name="AreaM2">Its ellipsoidal area, m² (土地总面积, water included).</param>
public sealed record AdminUnit(string Code, string Name, string? Terrain, Geometry Geometry, double AreaM2);

/// <summary>Area change inside one admin unit.</summary>
public sealed record UnitAreaChange(string Code, string Name, double AreaFromM2, double AreaToM2, double NetM2, double LostM2, double GainedM2);

/// <summary>
/// How a layer's covered area changed between two versions.
/// </summary>
/// <param name="AreaFromM2">Area covered by the older version (union of its features), m².</param>
/// <param name="AreaToM2">Area covered by the newer version, m².</param>
/// <param name="NetM2"><c>AreaToM2 − AreaFromM2</c>.</param>
/// <param name="LostM2">Area covered before and not after, m².</param>
/// <param name="GainedM2">Area covered after and not before, m².</param>
/// <param name="Lost">The lost polygons (SRID 4490).</param>
/// <param name="Gained">The gained polygons (SRID 4490).</param>
/// <param name="ByUnit">The same figures inside each admin unit.</param>
public sealed record AreaChangeResult(
    double AreaFromM2, double AreaToM2, double NetM2, double LostM2, double GainedM2,
    Geometry Lost, Geometry Gained, IReadOnlyList<UnitAreaChange> ByUnit);

/// <summary>
/// Area change of a polygon layer between two versions: <c>lost = area(before − after)</c>,
/// <c>gained = area(after − before)</c>, <c>net = area(∪after) − area(∪before)</c>, all ellipsoidal on CGCS2000.
/// </summary>
/// <remarks>
/// Features of each version are unioned first, so overlapping features are counted once. Set operations use
/// <see cref="OverlayNGRobust"/> on lon/lat coordinates (straight edges, as PostGIS geometry); areas use
/// <see cref="EllipsoidalArea"/> (geodesic edges, as PostGIS geography). Per unit figures intersect each result
/// with the unit's polygon. The shared engine of <see cref="RedlineAreaChange"/> and <see cref="ReserveIntegrity"/>.
/// </remarks>
public static class AreaChange
{
    /// <summary>Computes the change from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static AreaChangeResult Compute(
        IReadOnlyCollection<Geometry> before, IReadOnlyCollection<Geometry> after, IReadOnlyList<AdminUnit> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var from = Union(before);
        var to = Union(after);
        var lost = Overlay(from, to, SpatialFunction.Difference);
        var gained = Overlay(to, from, SpatialFunction.Difference);
        var byUnit = units.Select(u =>
        {
            var (f, t) = (Area(Overlay(from, u.Geometry, SpatialFunction.Intersection)), Area(Overlay(to, u.Geometry, SpatialFunction.Intersection)));
            return new UnitAreaChange(u.Code, u.Name, f, t, t - f,
                Area(Overlay(lost, u.Geometry, SpatialFunction.Intersection)),
                Area(Overlay(gained, u.Geometry, SpatialFunction.Intersection)));
        }).ToList();
        var (areaFrom, areaTo) = (Area(from), Area(to));
        return new AreaChangeResult(areaFrom, areaTo, areaTo - areaFrom, Area(lost), Area(gained), lost, gained, byUnit);
    }

    /// <summary>The union of polygons as one polygonal geometry (empty when there are none).</summary>
    public static Geometry Union(IReadOnlyCollection<Geometry> geometries)
    {
        ArgumentNullException.ThrowIfNull(geometries);
        if (geometries.Count == 0)
        {
            return Srid.Cgcs2000Factory.CreateMultiPolygon();
        }

        var union = UnaryUnionOp.Union(geometries);
        return Polygonal(union);
    }

    /// <summary>Ellipsoidal area in m² of a polygonal result.</summary>
    public static double Area(Geometry geometry) => EllipsoidalArea.Of(geometry);

    private static Geometry Overlay(Geometry a, Geometry b, SpatialFunction operation) =>
        Polygonal(OverlayNGRobust.Overlay(a, b, operation));

    private static Geometry Polygonal(Geometry geometry)
    {
        var polygonal = ZoneOverlay.PolygonalPart(geometry);
        if (polygonal.SRID != Srid.Cgcs2000)
        {
            polygonal = Srid.Cgcs2000Factory.CreateGeometry(polygonal);
        }

        return polygonal;
    }
}
