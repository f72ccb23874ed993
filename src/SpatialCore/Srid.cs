using EcoSpatial.SpatialCore.Errors;
using NetTopologySuite;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore;

/// <summary>The coordinate reference systems EcoSpatial stores and reads, by EPSG code.</summary>
public static class Srid
{
    /// <summary>CGCS2000 geographic, lon/lat degrees: the storage CRS.</summary>
    public const int Cgcs2000 = 4490;

    /// <summary>WGS 84 geographic, lon/lat degrees. Within about 1 m of CGCS2000 in China and treated as equal to it.</summary>
    public const int Wgs84 = 4326;

    /// <summary>A geometry factory that stamps every geometry with SRID 4490 (never SRID 0: PostGIS would stamp it silently).</summary>
    public static GeometryFactory Cgcs2000Factory { get; } =
        NtsGeometryServices.Instance.CreateGeometryFactory(new PrecisionModel(), Cgcs2000);

    /// <summary>Throws unless <paramref name="geometry"/> carries SRID 4490 (lon/lat on the CGCS2000 ellipsoid).</summary>
    /// <exception cref="SpatialInputException">The SRID is anything else, including 0 (unknown).</exception>
    public static void RequireCgcs2000(Geometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.SRID != Cgcs2000)
        {
            throw new SpatialInputException(SpatialError.WrongCrs,
                $"Expected lon/lat geometry in EPSG:{Cgcs2000} (CGCS2000), got SRID {geometry.SRID}.");
        }
    }
}
