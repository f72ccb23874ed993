using SpatialSrid = EcoSpatial.SpatialCore.Srid;
using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>
/// A coordinate reference system a client may ask for (OGC API Features Part 2), named by its OGC URI.
/// </summary>
/// <param name="Uri">The OGC URI, e.g. <c>http://www.opengis.net/def/crs/EPSG/0/4490</c>.</param>
/// <param name="Srid">The PostGIS SRID that holds its definition (<c>spatial_ref_sys</c>).</param>
/// <param name="NorthingFirst">
/// True when the authority's axis order puts latitude or northing first: EPSG:4490, EPSG:4326 (lat, lon) and the
/// CGCS2000 Gauss-Kruger codes 4491–4554 (northing X, easting Y). Part 2 asks servers to honour it, so coordinates
/// are swapped (<c>ST_FlipCoordinates</c>) on output and read swapped in <c>bbox</c>. CRS84 and EPSG:3857 are x/y.
/// </param>
/// <param name="Geographic">True for degrees (written with 9 decimals, ~0.1 mm), false for metres (3 decimals).</param>
public sealed record OgcCrs(string Uri, int Srid, bool NorthingFirst, bool Geographic)
{
    private const string EpsgPrefix = "http://www.opengis.net/def/crs/EPSG/0/";

    /// <summary>OGC CRS84: WGS 84 lon/lat, the default of OGC API Features and of GeoJSON.</summary>
    public static OgcCrs Crs84 { get; } = new("http://www.opengis.net/def/crs/OGC/1.3/CRS84", SpatialSrid.Wgs84, false, true);

    /// <summary>The storage CRS: CGCS2000 geographic (EPSG:4490), lat/lon per EPSG.</summary>
    public static OgcCrs Storage { get; } = Epsg(SpatialSrid.Cgcs2000);

    /// <summary>Every CRS offered: CRS84, EPSG:4490, 4326, 3857 and the CGCS2000 Gauss-Kruger zones 4491–4554.</summary>
    public static IReadOnlyList<OgcCrs> Supported { get; } =
        [Crs84, Storage, Epsg(SpatialSrid.Wgs84), Epsg(3857), .. Enumerable.Range(4491, 4554 - 4491 + 1).Select(Epsg)];

    private static readonly Dictionary<string, OgcCrs> ByUri = Supported.ToDictionary(c => c.Uri, StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the output coordinates are the stored ones, untransformed (4490 → 4326 is an identity in PostGIS).</summary>
    public bool SameDatumAsStorage => Srid is SpatialSrid.Cgcs2000 or SpatialSrid.Wgs84;

    /// <summary>The CRS named by <paramref name="uri"/>, CRS84 when it is null or empty.</summary>
    /// <exception cref="SpatialInputException">InvalidArgument: the URI is not one of <see cref="Supported"/>.</exception>
    public static OgcCrs Parse(string? uri, string parameter)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            return Crs84;
        }

        return ByUri.TryGetValue(uri.Trim().Trim('<', '>'), out var crs)
            ? crs
            : throw new SpatialInputException(SpatialError.InvalidArgument,
                $"'{parameter}' must be one of the offered CRS URIs, e.g. {Crs84.Uri} or {EpsgPrefix}4490 (see the collection's 'crs' list); got '{uri}'.");
    }

    private static OgcCrs Epsg(int code) => new(EpsgPrefix + code, code, NorthingFirst: code != 3857, Geographic: code is SpatialSrid.Cgcs2000 or SpatialSrid.Wgs84);
}
