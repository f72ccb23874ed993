using System.Globalization;
using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialCore.Crs;

/// <summary>
/// The source CRSs EcoSpatial converts to EPSG:4490, by EPSG code: CGCS2000 geographic (4490) and its Gauss-Kruger
/// zones (4491–4554), WGS 84 (4326) and its UTM zones (32601–32660, 32701–32760), Web Mercator (3857), and GCJ-02.
/// </summary>
/// <remarks>
/// The Gauss-Kruger codes follow the PROJ database (TM, k = 1, lat_0 = 0, GRS80):
/// 4491–4501 are the 6-degree zones 13–23 with the zone in the false easting (CM = 6·zone − 3);
/// 4502–4512 the same zones with false easting 500 000 m (CM 75°E … 135°E);
/// 4513–4533 the 3-degree zones 25–45 with the zone in the false easting (CM = 3·zone);
/// 4534–4554 the same with false easting 500 000 m (CM 75°E … 135°E).
/// </remarks>
public static class CrsCatalog
{
    /// <summary>GCJ-02, declared by the user as <c>--crs GCJ02</c> (no file format can declare it).</summary>
    public static CrsDefinition Gcj02 { get; } =
        new("GCJ02", "GCJ-02 (offset lon/lat of Chinese web maps)", GeodeticFrame.Wgs84, ProjectionKind.Gcj02);

    /// <summary>The definition of an EPSG code, or null when EcoSpatial does not convert from it.</summary>
    public static CrsDefinition? FromEpsg(int code)
    {
        var epsg = $"EPSG:{code.ToString(CultureInfo.InvariantCulture)}";
        switch (code)
        {
            case Srid.Cgcs2000:
                return new(epsg, "CGCS2000 (lon/lat)", GeodeticFrame.Cgcs2000, ProjectionKind.Geographic);
            case Srid.Wgs84:
                return new(epsg, "WGS 84 (lon/lat)", GeodeticFrame.Wgs84, ProjectionKind.Geographic);
            case 3857:
                return new(epsg, "WGS 84 / Pseudo-Mercator", GeodeticFrame.Wgs84, ProjectionKind.WebMercator);
            case >= 4491 and <= 4501:
                {
                    var zone = code - 4491 + 13;
                    return GaussKruger(epsg, $"CGCS2000 / Gauss-Kruger zone {zone}", zone * 6 - 3, zone * 1_000_000 + 500_000);
                }

            case >= 4502 and <= 4512:
                {
                    var cm = 75 + (code - 4502) * 6;
                    return GaussKruger(epsg, $"CGCS2000 / Gauss-Kruger CM {cm}E", cm, 500_000);
                }

            case >= 4513 and <= 4533:
                {
                    var zone = code - 4513 + 25;
                    return GaussKruger(epsg, $"CGCS2000 / 3-degree Gauss-Kruger zone {zone}", zone * 3, zone * 1_000_000 + 500_000);
                }

            case >= 4534 and <= 4554:
                {
                    var cm = 75 + (code - 4534) * 3;
                    return GaussKruger(epsg, $"CGCS2000 / 3-degree Gauss-Kruger CM {cm}E", cm, 500_000);
                }

            case >= 32601 and <= 32660:
                return Utm(epsg, code - 32600, north: true);
            case >= 32701 and <= 32760:
                return Utm(epsg, code - 32700, north: false);
            default:
                return null;
        }
    }

    /// <summary>
    /// Parses a user's <c>--crs</c> value: <c>EPSG:NNNN</c> (or a bare number) of a supported code, or <c>GCJ02</c>.
    /// </summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.WrongCrs"/> for anything else.</exception>
    public static CrsDefinition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.Replace("-", "", StringComparison.Ordinal).Equals("GCJ02", StringComparison.OrdinalIgnoreCase))
        {
            return Gcj02;
        }

        var digits = value.StartsWith("EPSG:", StringComparison.OrdinalIgnoreCase) ? value[5..] : value;
        if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return FromEpsg(code) ?? throw new SpatialInputException(SpatialError.WrongCrs,
                $"EPSG:{code} is not a CRS EcoSpatial converts from; supported: {Supported}.");
        }

        throw new SpatialInputException(SpatialError.WrongCrs, $"--crs '{text}' is neither EPSG:NNNN nor GCJ02; supported: {Supported}.");
    }

    /// <summary>The supported CRSs in one line, for messages.</summary>
    public const string Supported =
        "EPSG:4490, the CGCS2000 Gauss-Kruger zones EPSG:4491–4554, EPSG:4326, WGS 84 UTM EPSG:32601–32660/32701–32760, EPSG:3857, GCJ02";

    /// <summary>
    /// The EPSG definition of a CGCS2000 Transverse Mercator with these parameters, or null when none matches.
    /// 3-degree and 6-degree "CM" variants with the same central meridian are the same projection; the 3-degree
    /// code is chosen unless <paramref name="sixDegree"/> says otherwise.
    /// </summary>
    public static CrsDefinition? IdentifyGaussKruger(double centralMeridian, double falseEasting, bool sixDegree)
    {
        if (!IsWhole(centralMeridian) || !IsWhole(falseEasting - 500_000) || (falseEasting - 500_000) % 1_000_000 != 0)
        {
            return null;
        }

        var cm = (int)Math.Round(centralMeridian);
        var zone = (int)Math.Round((falseEasting - 500_000) / 1_000_000);
        int? code = zone switch
        {
            0 when !sixDegree && cm % 3 == 0 && cm is >= 75 and <= 135 => 4534 + (cm - 75) / 3,
            0 when (cm - 75) % 6 == 0 && cm is >= 75 and <= 135 => 4502 + (cm - 75) / 6,
            0 when cm % 3 == 0 && cm is >= 75 and <= 135 => 4534 + (cm - 75) / 3,
            >= 25 and <= 45 when cm == zone * 3 => 4513 + zone - 25,
            >= 13 and <= 23 when cm == zone * 6 - 3 => 4491 + zone - 13,
            _ => null,
        };
        return code is { } c ? FromEpsg(c) : null;
    }

    /// <summary>The EPSG definition of a WGS 84 UTM zone with these parameters, or null.</summary>
    public static CrsDefinition? IdentifyUtm(double centralMeridian, double falseNorthing)
    {
        if (!IsWhole((centralMeridian + 183) / 6))
        {
            return null;
        }

        var zone = (int)Math.Round((centralMeridian + 183) / 6);
        return (zone, falseNorthing) switch
        {
            ( >= 1 and <= 60, 0) => FromEpsg(32600 + zone),
            ( >= 1 and <= 60, 10_000_000) => FromEpsg(32700 + zone),
            _ => null,
        };
    }

    private static bool IsWhole(double value) => Math.Abs(value - Math.Round(value)) < 1e-9;

    private static CrsDefinition GaussKruger(string epsg, string name, int cm, int falseEasting) =>
        new(epsg, name, GeodeticFrame.Cgcs2000, ProjectionKind.TransverseMercator, cm, 1, falseEasting, 0);

    private static CrsDefinition Utm(string epsg, int zone, bool north) =>
        new(epsg, $"WGS 84 / UTM zone {zone}{(north ? "N" : "S")}", GeodeticFrame.Wgs84, ProjectionKind.TransverseMercator,
            zone * 6 - 183, 0.9996, 500_000, north ? 0 : 10_000_000);
}
