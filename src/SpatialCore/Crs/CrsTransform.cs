using System.Globalization;
using EcoSpatial.SpatialCore.Errors;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Implementation;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace EcoSpatial.SpatialCore.Crs;

/// <summary>
/// Converts geometries from one source CRS to CGCS2000 lon/lat (SRID 4490), and refuses coordinates whose range
/// contradicts that CRS. One instance per thread: the ProjNet transform it holds is not shared.
/// </summary>
/// <remarks>
/// Transverse Mercator inverses (Gauss-Kruger, UTM) and the Beijing 1954 / Xi'an 1980 Helmert shifts are done by
/// ProjNet from WKT built here; Web Mercator's inverse is closed-form; GCJ-02 uses <see cref="Crs.Gcj02"/>.
/// WGS 84 results are taken as CGCS2000 (they agree to about 1 m in China).
/// </remarks>
public sealed class CrsTransform
{
    private const double WebMercatorRadius = 6378137.0;
    private const double WebMercatorLimit = 20037508.342789244;
    private readonly MathTransform? projNet;

    /// <summary>Prepares the conversion from <paramref name="source"/>.</summary>
    public CrsTransform(CrsDefinition source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Source = source;
        if (source.Projection == ProjectionKind.TransverseMercator || source.ToWgs84 is not null)
        {
            var factory = new CoordinateSystemFactory();
            var from = factory.CreateFromWkt(SourceWkt(source));
            var to = source.ToWgs84 is null && from is ProjectedCoordinateSystem projected
                ? projected.GeographicCoordinateSystem
                : factory.CreateFromWkt(Wgs84Wkt);
            projNet = new CoordinateTransformationFactory().CreateFromCoordinateSystems(from, to).MathTransform;
        }
    }

    /// <summary>The source CRS.</summary>
    public CrsDefinition Source { get; }

    /// <summary>True when the conversion changes coordinates (not 4490 or 4326 lon/lat).</summary>
    public bool Converts => Source.Projection != ProjectionKind.Geographic || Source.ToWgs84 is not null;

    /// <summary>
    /// The geometry in lon/lat degrees on CGCS2000, built with <see cref="Srid.Cgcs2000Factory"/>; the input itself
    /// when no conversion is needed. Call <see cref="CheckRange"/> first.
    /// </summary>
    public Geometry ToCgcs2000(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (!Converts)
        {
            return geometry;
        }

        if (Source.Projection == ProjectionKind.Gcj02)
        {
            return Gcj02.ToCgcs2000(geometry);
        }

        if (geometry is Polygon or MultiPolygon)
        {
            return ConvertPolygonal(geometry);
        }

        var copy = Srid.Cgcs2000Factory.CreateGeometry(geometry);
        copy.Apply(new ConvertFilter(this));
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>
    /// Throws when the coordinates in <paramref name="extent"/> contradict the CRS: lon/lat values in a projected
    /// CRS, metres in a lon/lat CRS, a Gauss-Kruger easting with a zone prefix the CRS does not have, or without
    /// the one it has.
    /// </summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.WrongCrs"/>, saying which contradiction.</exception>
    public void CheckRange(Envelope extent)
    {
        ArgumentNullException.ThrowIfNull(extent);
        if (extent.IsNull || !double.IsFinite(extent.MinX) || !double.IsFinite(extent.MaxX)
            || !double.IsFinite(extent.MinY) || !double.IsFinite(extent.MaxY))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var looksLonLat = Math.Abs(extent.MinX) <= 180 && Math.Abs(extent.MaxX) <= 180
            && Math.Abs(extent.MinY) <= 90 && Math.Abs(extent.MaxY) <= 90;
        var crs = $"{Source.Code} ({Source.Name})";
        if (Source.IsLonLat)
        {
            if (!looksLonLat)
            {
                throw Contradiction(string.Create(c,
                    $"coordinates up to ({Far(extent.MinX, extent.MaxX)}, {Far(extent.MinY, extent.MaxY)}) are outside the lon/lat range of {crs}; they look projected (metres): give the right --crs or a .prj"));
            }

            return;
        }

        if (looksLonLat)
        {
            throw Contradiction(string.Create(c,
                $"coordinates ({extent.MinX}, {extent.MinY}) … ({extent.MaxX}, {extent.MaxY}) look like lon/lat degrees, but {crs} is projected (metres)"));
        }

        if (Source.Projection == ProjectionKind.WebMercator)
        {
            if (Math.Max(Math.Abs(extent.MinX), Math.Abs(extent.MaxX)) > WebMercatorLimit * 1.0001
                || Math.Max(Math.Abs(extent.MinY), Math.Abs(extent.MaxY)) > WebMercatorLimit * 1.0001)
            {
                throw Contradiction(string.Create(c, $"coordinates up to ({Far(extent.MinX, extent.MaxX)}, {Far(extent.MinY, extent.MaxY)}) are outside the Web Mercator plane of {crs}"));
            }

            return;
        }

        var zone = Source.ZonePrefix;
        var (lowX, highX) = zone is { } prefix ? (prefix * 1e6, (prefix + 1) * 1e6) : (0.0, 1e6);
        if (extent.MinX >= lowX && extent.MaxX <= highX && Math.Abs(extent.MinY) <= 1e7 && Math.Abs(extent.MaxY) <= 1e7)
        {
            return;
        }

        var foundZone = (int)Math.Floor(extent.MinX / 1e6);
        throw Contradiction((zone, foundZone) switch
        {
            (null, >= 13 and <= 45) => string.Create(c,
                $"eastings from {extent.MinX} carry the Gauss-Kruger zone prefix {foundZone}, but {crs} has false easting 500000 (no zone prefix); the file is probably in the zone-{foundZone} variant"),
            ({ } z, 0) => string.Create(c,
                $"eastings from {extent.MinX} lack the Gauss-Kruger zone prefix {z} that {crs} expects (false easting {Source.FalseEasting}); the file is probably in the variant without the zone number"),
            ({ } z, _) => string.Create(c,
                $"eastings from {extent.MinX} belong to Gauss-Kruger zone {foundZone}, but {crs} is zone {z}"),
            _ => string.Create(c,
                $"coordinates ({extent.MinX}, {extent.MinY}) … ({extent.MaxX}, {extent.MaxY}) are outside the plane of {crs}"),
        });
    }

    /// <summary>Converts a Polygon or MultiPolygon straight into new X/Y sequences (one allocation per ring).</summary>
    private Geometry ConvertPolygonal(Geometry geometry)
    {
        var factory = Srid.Cgcs2000Factory;
        var polygons = new Polygon[geometry.NumGeometries];
        for (var p = 0; p < polygons.Length; p++)
        {
            var polygon = (Polygon)geometry.GetGeometryN(p);
            var holes = new LinearRing[polygon.NumInteriorRings];
            for (var h = 0; h < holes.Length; h++)
            {
                holes[h] = ConvertRing(polygon.GetInteriorRingN(h).CoordinateSequence, factory);
            }

            polygons[p] = polygon.IsEmpty ? factory.CreatePolygon() : factory.CreatePolygon(ConvertRing(polygon.ExteriorRing.CoordinateSequence, factory), holes);
        }

        return geometry is Polygon ? polygons[0] : factory.CreateMultiPolygon(polygons);
    }

    /// <summary>
    /// One ring converted into a packed sequence (one array of x, y pairs rather than an object per vertex: an import
    /// converts millions of vertices).
    /// </summary>
    private LinearRing ConvertRing(CoordinateSequence source, GeometryFactory factory)
    {
        var ordinates = new double[2 * source.Count];
        for (var i = 0; i < source.Count; i++)
        {
            (ordinates[2 * i], ordinates[(2 * i) + 1]) = Convert(source.GetX(i), source.GetY(i));
        }

        CoordinateSequence target = new PackedDoubleCoordinateSequence(ordinates, 2, 0);
        try
        {
            return factory.CreateLinearRing(target);
        }
        catch (ArgumentException)
        {
            // An unclosed or too-short ring: keep it as a line so validation rejects it with its own words.
            return factory.CreateLinearRing(target.Count >= 3 ? Close(target, factory) : factory.CoordinateSequenceFactory.Create(0, 2, 0));
        }
    }

    private static CoordinateSequence Close(CoordinateSequence open, GeometryFactory factory)
    {
        var closed = factory.CoordinateSequenceFactory.Create(open.Count + 1, 2, 0);
        for (var i = 0; i < open.Count; i++)
        {
            closed.SetX(i, open.GetX(i));
            closed.SetY(i, open.GetY(i));
        }

        closed.SetX(open.Count, open.GetX(0));
        closed.SetY(open.Count, open.GetY(0));
        return closed;
    }

    private static double Far(double min, double max) => Math.Abs(min) > Math.Abs(max) ? min : max;

    private static SpatialInputException Contradiction(string what) =>
        new(SpatialError.WrongCrs, $"The coordinates contradict the CRS: {what}.");

    private (double Lon, double Lat) Convert(double x, double y)
    {
        if (Source.Projection == ProjectionKind.WebMercator)
        {
            var lon = x / WebMercatorRadius * (180 / Math.PI);
            var lat = Math.Atan(Math.Sinh(y / WebMercatorRadius)) * (180 / Math.PI);
            return (lon, lat);
        }

        projNet!.Transform(ref x, ref y);
        return (x, y);
    }

    private const string Wgs84Wkt =
        "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563],TOWGS84[0,0,0,0,0,0,0]]," +
        "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]";

    /// <summary>OGC WKT 1 of the source, as ProjNet reads it.</summary>
    private static string SourceWkt(CrsDefinition crs)
    {
        var c = CultureInfo.InvariantCulture;
        var (a, f) = crs.Frame switch
        {
            GeodeticFrame.Cgcs2000 => (6378137.0, 298.257222101),
            GeodeticFrame.Wgs84 => (6378137.0, 298.257223563),
            GeodeticFrame.Beijing1954 => (6378245.0, 298.3),
            _ => (6378140.0, 298.257),
        };
        var helmert = crs.ToWgs84 is { } p
            ? $",TOWGS84[{string.Join(",", Enumerable.Range(0, 7).Select(i => (i < p.Count ? p[i] : 0).ToString("R", c)))}]"
            : "";
        var geographic = string.Create(c,
            $"GEOGCS[\"source\",DATUM[\"source\",SPHEROID[\"source\",{a:R},{f:R}]{helmert}],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]");
        if (crs.Projection != ProjectionKind.TransverseMercator)
        {
            return geographic;
        }

        return string.Create(c,
            $"PROJCS[\"source\",{geographic},PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",{crs.CentralMeridian:R}],PARAMETER[\"scale_factor\",{crs.ScaleFactor:R}],PARAMETER[\"false_easting\",{crs.FalseEasting:R}],PARAMETER[\"false_northing\",{crs.FalseNorthing:R}],UNIT[\"metre\",1]]");
    }

    private sealed class ConvertFilter(CrsTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (lon, lat) = transform.Convert(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, lon);
            seq.SetY(i, lat);
        }
    }
}
