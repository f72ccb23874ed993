using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace EcoSpatial.SpatialCore.Tests.Support;

/// <summary>Reads WKT into geometry stamped with an SRID (4490 unless told otherwise).</summary>
public static class Wkt
{
    public static Geometry Read(string wkt, int srid = Srid.Cgcs2000)
    {
        var geometry = new WKTReader(Srid.Cgcs2000Factory.GeometryServices).Read(wkt);
        geometry.SRID = srid;
        return geometry;
    }
}
