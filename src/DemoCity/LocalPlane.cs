using EcoSpatial.SpatialCore;
using EcoSpatial.SpatialCore.Geodesy;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Precision;

namespace EcoSpatial.DemoCity;

/// <summary>
/// A local metric plane around the frame: an affine map lon/lat ↔ metres (east, north) scaled by the CGCS2000
/// radii of curvature at the centre. Within the ~60 km frame, distances are right to about 0.5 %, which is what
/// "a 150 m buffer" needs. Being affine, it maps straight lines to straight lines, so a Voronoi diagram or a buffer
/// built in metres is still a polygon in degrees.
/// </summary>
internal sealed class LocalPlane
{
    private readonly double _lon0;
    private readonly double _lat0;
    private readonly double _metresPerDegreeLon;
    private readonly double _metresPerDegreeLat;

    public LocalPlane(double lon0, double lat0)
    {
        _lon0 = lon0;
        _lat0 = lat0;
        var phi = lat0 * Math.PI / 180;
        var w = 1 - Cgcs2000Ellipsoid.E2 * Math.Sin(phi) * Math.Sin(phi);
        var primeVertical = Cgcs2000Ellipsoid.A / Math.Sqrt(w);
        var meridian = Cgcs2000Ellipsoid.A * (1 - Cgcs2000Ellipsoid.E2) / (w * Math.Sqrt(w));
        _metresPerDegreeLon = primeVertical * Math.Cos(phi) * Math.PI / 180;
        _metresPerDegreeLat = meridian * Math.PI / 180;
    }

    /// <summary>Factory for metric geometries (SRID 0: they never leave the generator).</summary>
    public static GeometryFactory MetricFactory { get; } = new(new PrecisionModel(), 0);

    public (double X, double Y) ToMetres(double lon, double lat) =>
        ((lon - _lon0) * _metresPerDegreeLon, (lat - _lat0) * _metresPerDegreeLat);

    public (double Lon, double Lat) ToDegrees(double x, double y) =>
        (_lon0 + x / _metresPerDegreeLon, _lat0 + y / _metresPerDegreeLat);

    /// <summary>A lon/lat point (SRID 4490) for a metric position.</summary>
    public Point ToDegreesPoint((double X, double Y) p)
    {
        var (lon, lat) = ToDegrees(p.X, p.Y);
        return Srid.Cgcs2000Factory.CreatePoint(new Coordinate(lon, lat));
    }

    /// <summary>A metric copy of a lon/lat geometry.</summary>
    public Geometry ToMetres(Geometry degrees) => Map(degrees, MetricFactory, ToMetres);

    /// <summary>A lon/lat copy (SRID 4490) of a metric geometry; not yet rounded to the output grid.</summary>
    public Geometry ToDegrees(Geometry metres) => Map(metres, Srid.Cgcs2000Factory, ToDegrees);

    private static Geometry Map(Geometry g, GeometryFactory factory, Func<double, double, (double, double)> map)
    {
        var copy = factory.CreateGeometry(g);
        copy.Apply(new MapFilter(map));
        copy.GeometryChanged();
        return copy;
    }

    private sealed class MapFilter(Func<double, double, (double, double)> map) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = map(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}

/// <summary>
/// The output grid: lon/lat rounded to 7 decimals (about 1 cm). Every output geometry is made on this grid by
/// snap-rounding overlay or <see cref="GeometryPrecisionReducer"/>, which keep polygons valid.
/// </summary>
internal static class OutputGrid
{
    /// <summary>Fixed precision model, 1e-7 degree.</summary>
    public static PrecisionModel Model { get; } = new(1e7);

    /// <summary>Rounds one ordinate to the grid, exactly as the overlay does.</summary>
    public static double Round(double value) => Model.MakePrecise(value);

    /// <summary>The geometry rounded to the grid and kept valid (collapsed parts are dropped).</summary>
    public static Geometry Reduce(Geometry g) => Polygonal(GeometryPrecisionReducer.Reduce(g, Model));

    /// <summary><c>a ∩ b</c> on the grid, polygons only.</summary>
    public static Geometry Intersection(Geometry a, Geometry b) => Overlay(a, b, SpatialFunction.Intersection);

    /// <summary><c>a − b</c> on the grid, polygons only.</summary>
    public static Geometry Difference(Geometry a, Geometry b) => Overlay(a, b, SpatialFunction.Difference);

    /// <summary><c>a ∪ b</c> on the grid, polygons only.</summary>
    public static Geometry Union(Geometry a, Geometry b) => Overlay(a, b, SpatialFunction.Union);

    /// <summary>Area in m² on the CGCS2000 ellipsoid.</summary>
    public static double Area(Geometry g) => EllipsoidalArea.Of(g);

    /// <summary>The polygons of a geometry as one Polygon or MultiPolygon (an empty Polygon if none).</summary>
    public static Geometry Polygonal(Geometry g)
    {
        var polygons = PolygonExtracter.GetPolygons(g).Cast<Polygon>().Where(p => !p.IsEmpty).ToArray();
        var factory = Srid.Cgcs2000Factory;
        return polygons.Length switch
        {
            0 => factory.CreatePolygon(),
            1 => factory.CreatePolygon(polygons[0].Shell, polygons[0].Holes),
            _ => factory.CreateMultiPolygon(polygons.Select(p => factory.CreatePolygon(p.Shell, p.Holes)).ToArray()),
        };
    }

    private static Geometry Overlay(Geometry a, Geometry b, SpatialFunction op)
    {
        var overlay = new OverlayNG(a, b, Model, op) { StrictMode = true };
        return Polygonal(overlay.GetResult());
    }
}
