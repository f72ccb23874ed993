namespace EcoSpatial.SpatialCore.Crs;

/// <summary>The geodetic frame a source CRS is defined on.</summary>
public enum GeodeticFrame
{
    /// <summary>CGCS2000 (GRS80 figures): the storage frame.</summary>
    Cgcs2000,

    /// <summary>WGS 84: within about 1 m of CGCS2000 in China; treated as equal to it.</summary>
    Wgs84,

    /// <summary>Beijing 1954 (Krasovsky 1940 ellipsoid): needs local transformation parameters.</summary>
    Beijing1954,

    /// <summary>Xi'an 1980 (IAG 1975 ellipsoid): needs local transformation parameters.</summary>
    Xian1980,
}

/// <summary>How source coordinates are projected from the frame's lon/lat.</summary>
public enum ProjectionKind
{
    /// <summary>None: lon/lat degrees.</summary>
    Geographic,

    /// <summary>Transverse Mercator (Gauss-Kruger, UTM).</summary>
    TransverseMercator,

    /// <summary>Web Mercator (EPSG:3857, spherical formulas on WGS 84 lon/lat).</summary>
    WebMercator,

    /// <summary>GCJ-02 offset lon/lat of Chinese web maps.</summary>
    Gcj02,
}

/// <summary>
/// A source coordinate reference system EcoSpatial can convert to CGCS2000 lon/lat (EPSG:4490).
/// </summary>
/// <param name="Code">The code the CRS is reported under: <c>EPSG:4547</c>, <c>GCJ02</c>, or a description for custom frames.</param>
/// <param name="Name">A human name, e.g. <c>CGCS2000 / 3-degree Gauss-Kruger CM 114E</c>.</param>
/// <param name="Frame">The geodetic frame.</param>
/// <param name="Projection">The projection (or <see cref="ProjectionKind.Geographic"/>).</param>
/// <param name="CentralMeridian">Central meridian, degrees (Transverse Mercator only).</param>
/// <param name="ScaleFactor">Scale factor on the central meridian (Transverse Mercator only).</param>
/// <param name="FalseEasting">False easting, metres (includes the zone prefix of the "zone" Gauss-Kruger variants).</param>
/// <param name="FalseNorthing">False northing, metres.</param>
/// <param name="ToWgs84">Helmert parameters dx,dy,dz[,rx,ry,rz,s] for Beijing 1954 / Xi'an 1980, else null.</param>
public sealed record CrsDefinition(
    string Code,
    string Name,
    GeodeticFrame Frame,
    ProjectionKind Projection,
    double CentralMeridian = 0,
    double ScaleFactor = 1,
    double FalseEasting = 0,
    double FalseNorthing = 0,
    IReadOnlyList<double>? ToWgs84 = null)
{
    /// <summary>True for lon/lat coordinates (geographic or GCJ-02).</summary>
    public bool IsLonLat => Projection is ProjectionKind.Geographic or ProjectionKind.Gcj02;

    /// <summary>
    /// The Gauss-Kruger zone number carried in the false easting (38 for 38 500 000 m), or null for the
    /// "CM" variants whose false easting is 500 000 m.
    /// </summary>
    public int? ZonePrefix => Projection == ProjectionKind.TransverseMercator && FalseEasting >= 1_000_000
        ? (int)Math.Floor(FalseEasting / 1_000_000)
        : null;
}
