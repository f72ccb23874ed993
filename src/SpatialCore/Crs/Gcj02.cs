using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Crs;

/// <summary>
/// GCJ-02, the offset coordinate system of Chinese web maps, to and from WGS84 / CGCS2000 lon/lat degrees.
/// </summary>
/// <remarks>
/// <para>The forward transform (<see cref="FromWgs84"/>) is the public formula: a polynomial-plus-sine offset in
/// metres, taken relative to lon 105°E, lat 35°N, turned into degrees with the Krasovsky ellipsoid
/// (a = 6378245 m, e² = 0.00669342162296594323). Near 孝感 the offset is about 590 m.</para>
/// <para>There is no closed-form inverse. <see cref="ToWgs84"/> solves <c>FromWgs84(w) = g</c> by fixed-point
/// iteration <c>w ← w − (FromWgs84(w) − g)</c>; the offset changes by less than 1e-3 of a degree per degree, so each
/// step gains about three digits and the result reproduces the input to better than 1e-9° within a few steps.</para>
/// <para>Outside the usual bounding box of China (lon 72.004–137.8347°E, lat 0.8293–55.8271°N) the offset is zero, as
/// web maps apply it only inside China. WGS84 and CGCS2000 agree to about 1 m in China and are treated as equal.</para>
/// </remarks>
public static class Gcj02
{
    private const double KrasovskyA = 6378245.0;
    private const double KrasovskyE2 = 0.00669342162296594323;
    private const int MaxIterations = 30;
    private const double Tolerance = 1e-12;

    /// <summary>Converts a GCJ-02 lon/lat (degrees) to WGS84 / CGCS2000 lon/lat (degrees).</summary>
    /// <param name="lon">GCJ-02 longitude, degrees east.</param>
    /// <param name="lat">GCJ-02 latitude, degrees north.</param>
    /// <returns>The WGS84 point whose forward transform is the input, to better than 1e-9°; the input itself outside China.</returns>
    public static (double Lon, double Lat) ToWgs84(double lon, double lat)
    {
        if (OutsideChina(lon, lat))
        {
            return (lon, lat);
        }

        var (wLon, wLat) = (lon, lat);
        for (var i = 0; i < MaxIterations; i++)
        {
            var (gLon, gLat) = FromWgs84(wLon, wLat);
            var (dLon, dLat) = (gLon - lon, gLat - lat);
            wLon -= dLon;
            wLat -= dLat;
            if (Math.Abs(dLon) < Tolerance && Math.Abs(dLat) < Tolerance)
            {
                break;
            }
        }

        return (wLon, wLat);
    }

    /// <summary>Converts a WGS84 / CGCS2000 lon/lat (degrees) to GCJ-02 by the public forward formula.</summary>
    /// <param name="lon">WGS84 longitude, degrees east.</param>
    /// <param name="lat">WGS84 latitude, degrees north.</param>
    /// <returns>The GCJ-02 lon/lat in degrees; the input itself outside China.</returns>
    public static (double Lon, double Lat) FromWgs84(double lon, double lat)
    {
        if (OutsideChina(lon, lat))
        {
            return (lon, lat);
        }

        var x = lon - 105.0;
        var y = lat - 35.0;
        var radLat = lat / 180.0 * Math.PI;
        var sinLat = Math.Sin(radLat);
        var magic = 1 - KrasovskyE2 * sinLat * sinLat;
        var sqrtMagic = Math.Sqrt(magic);
        var dLat = OffsetNorth(x, y) * 180.0 / (KrasovskyA * (1 - KrasovskyE2) / (magic * sqrtMagic) * Math.PI);
        var dLon = OffsetEast(x, y) * 180.0 / (KrasovskyA / sqrtMagic * Math.Cos(radLat) * Math.PI);
        return (lon + dLon, lat + dLat);
    }

    /// <summary>
    /// Returns a copy of a GCJ-02 geometry with every coordinate converted by <see cref="ToWgs84"/>, built with
    /// <see cref="Srid.Cgcs2000Factory"/> (SRID 4490). The input is not changed and its SRID is not checked.
    /// </summary>
    /// <param name="gcj">A geometry in GCJ-02 lon/lat degrees.</param>
    /// <returns>The converted geometry in EPSG:4490. It may be invalid where the input was; repair it afterwards.</returns>
    public static Geometry ToCgcs2000(Geometry gcj)
    {
        ArgumentNullException.ThrowIfNull(gcj);
        var copy = Srid.Cgcs2000Factory.CreateGeometry(gcj);
        copy.Apply(new ToWgs84Filter());
        copy.GeometryChanged();
        return copy;
    }

    /// <summary>True outside the bounding box in which web maps apply the offset.</summary>
    /// <param name="lon">Longitude, degrees.</param>
    /// <param name="lat">Latitude, degrees.</param>
    /// <returns>Whether the offset is zero at this point.</returns>
    public static bool OutsideChina(double lon, double lat) =>
        lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;

    private static double OffsetNorth(double x, double y)
    {
        var ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        ret += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        ret += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        ret += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;
        return ret;
    }

    private static double OffsetEast(double x, double y)
    {
        var ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        ret += (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;
        ret += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        ret += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;
        return ret;
    }

    private sealed class ToWgs84Filter : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (lon, lat) = ToWgs84(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, lon);
            seq.SetY(i, lat);
        }
    }
}
