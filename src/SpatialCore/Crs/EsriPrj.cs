using System.Globalization;
using System.Text;
using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialCore.Crs;

/// <summary>
/// Identifies the CRS of an ESRI <c>.prj</c> (or any OGC WKT 1 text, as GeoPackages carry) as one of the
/// <see cref="CrsCatalog"/> definitions: by its EPSG authority when it has one, else by datum, projection and
/// parameters, so the names ArcGIS writes (<c>Gauss_Kruger</c>, <c>CGCS2000_3_Degree_GK_CM_114E</c>,
/// <c>D_China_2000</c>) are understood.
/// </summary>
public static class EsriPrj
{
    /// <summary>Identifies <paramref name="wkt"/>.</summary>
    /// <param name="wkt">The WKT text.</param>
    /// <param name="toWgs84">User-given Helmert parameters (<c>--towgs84</c>), needed for Beijing 1954 and Xi'an 1980.</param>
    /// <exception cref="SpatialInputException">
    /// <see cref="SpatialError.WrongCrs"/>: the text is not WKT, or names a CRS that cannot be converted (the
    /// message names what was found), or Beijing 1954 / Xi'an 1980 without <paramref name="toWgs84"/>.
    /// </exception>
    public static CrsDefinition Identify(string wkt, IReadOnlyList<double>? toWgs84 = null)
    {
        ArgumentNullException.ThrowIfNull(wkt);
        var root = WktNode.Parse(wkt) ?? throw Unidentified($"text that is not WKT (\"{Shorten(wkt)}\")");
        var rootName = root.Name;

        if ((root.Child("AUTHORITY") ?? root.Child("ID")) is { } authority
            && authority.Text(0)?.Equals("EPSG", StringComparison.OrdinalIgnoreCase) == true
            && int.TryParse(authority.Text(1), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            && CrsCatalog.FromEpsg(code) is { } known)
        {
            return RequireNoHelmert(known, toWgs84);
        }

        var geographic = root.Keyword is "GEOGCS" or "GEOGCRS" or "GEODCRS" ? root : root.Child("GEOGCS") ?? root.Child("BASEGEOGCRS")
            ?? throw Unidentified($"a {root.Keyword} named \"{rootName}\" without a geographic CRS");
        var datum = geographic.Child("DATUM");
        var spheroid = datum?.Child("SPHEROID") ?? datum?.Child("ELLIPSOID");
        var a = spheroid?.Number(1) ?? double.NaN;
        var inverseFlattening = spheroid?.Number(2) ?? double.NaN;
        var datumName = datum?.Text(0) ?? "(none)";
        var frame = FrameOf(Normalise(datumName), a, inverseFlattening) ?? throw Unidentified(string.Create(CultureInfo.InvariantCulture,
            $"the datum \"{datumName}\" (ellipsoid \"{spheroid?.Text(0)}\", a = {a}, 1/f = {inverseFlattening}), which is not CGCS2000, WGS 84, Beijing 1954 or Xi'an 1980"));

        if (root.Keyword is "GEOGCS" or "GEOGCRS" or "GEODCRS")
        {
            return frame switch
            {
                GeodeticFrame.Cgcs2000 => CrsCatalog.FromEpsg(Srid.Cgcs2000)!,
                GeodeticFrame.Wgs84 => CrsCatalog.FromEpsg(Srid.Wgs84)!,
                _ => Legacy(frame, rootName, ProjectionKind.Geographic, 0, 1, 0, 0, toWgs84),
            };
        }

        if (root.Keyword != "PROJCS")
        {
            throw Unidentified($"a {root.Keyword} named \"{rootName}\" (only WKT 1 PROJCS/GEOGCS are read without an EPSG code)");
        }

        var unit = root.Child("UNIT");
        if (unit?.Number(1) is { } factor && Math.Abs(factor - 1) > 1e-12)
        {
            throw Unidentified($"\"{rootName}\" with the linear unit \"{unit.Text(0)}\" ({factor} m); only metres are read");
        }

        var projection = root.Child("PROJECTION")?.Text(0) ?? "(none)";
        var parameters = root.Children("PARAMETER")
            .Where(p => p.Text(0) is not null && p.Number(1) is not null)
            .GroupBy(p => Normalise(p.Text(0)!))
            .ToDictionary(g => g.Key, g => g.First().Number(1)!.Value);
        double P(string name, double fallback) => parameters.GetValueOrDefault(name, fallback);
        var cm = P("centralmeridian", P("longitudeofcenter", double.NaN));
        var k = P("scalefactor", 1);
        var fe = P("falseeasting", 0);
        var fn = P("falsenorthing", 0);
        var lat0 = P("latitudeoforigin", 0);

        var kind = Normalise(projection) switch
        {
            "gausskruger" or "transversemercator" or "gaussianprojection" => ProjectionKind.TransverseMercator,
            "mercatorauxiliarysphere" or "popularvisualisationpseudomercator" => ProjectionKind.WebMercator,
            "mercator1sp" or "mercator" when Normalise(rootName).Contains("webmercator", StringComparison.Ordinal)
                || Normalise(rootName).Contains("pseudomercator", StringComparison.Ordinal) => ProjectionKind.WebMercator,
            _ => throw Unidentified($"\"{rootName}\" with the projection \"{projection}\"; only Gauss-Kruger/Transverse Mercator and Web Mercator are read"),
        };

        if (kind == ProjectionKind.WebMercator)
        {
            return frame is GeodeticFrame.Wgs84 or GeodeticFrame.Cgcs2000 && fe == 0 && fn == 0
                ? RequireNoHelmert(CrsCatalog.FromEpsg(3857)!, toWgs84)
                : throw Unidentified($"\"{rootName}\", a Web Mercator with a datum or offsets other than EPSG:3857's");
        }

        var described = string.Create(CultureInfo.InvariantCulture,
            $"\"{rootName}\" (Transverse Mercator on {datumName}, central meridian {cm}, scale {k}, false easting {fe}, false northing {fn}, latitude of origin {lat0})");
        if (lat0 != 0 || double.IsNaN(cm))
        {
            throw Unidentified(described);
        }

        switch (frame)
        {
            case GeodeticFrame.Cgcs2000 when k == 1 && fn == 0:
                var sixDegree = Normalise(rootName) is var n && n.Contains("gk", StringComparison.Ordinal)
                    && !n.Contains("3degree", StringComparison.Ordinal);
                return RequireNoHelmert(CrsCatalog.IdentifyGaussKruger(cm, fe, sixDegree) ?? throw Unidentified(
                    described + ", which matches none of the CGCS2000 Gauss-Kruger zones EPSG:4491–4554"), toWgs84);
            case GeodeticFrame.Wgs84 when Math.Abs(k - 0.9996) < 1e-12 && fe == 500_000:
                return RequireNoHelmert(CrsCatalog.IdentifyUtm(cm, fn) ?? throw Unidentified(
                    described + ", which is not a WGS 84 UTM zone"), toWgs84);
            case GeodeticFrame.Beijing1954 or GeodeticFrame.Xian1980:
                return Legacy(frame, rootName, ProjectionKind.TransverseMercator, cm, k, fe, fn, toWgs84);
            default:
                throw Unidentified(described + ", which is not a CGCS2000 Gauss-Kruger zone or a WGS 84 UTM zone");
        }
    }

    /// <summary>Parses <c>--towgs84 dx,dy,dz[,rx,ry,rz,s]</c> (metres, arc-seconds, ppm).</summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.InvalidArgument"/> unless 3 or 7 numbers.</exception>
    public static IReadOnlyList<double> ParseToWgs84(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new List<double>();
        foreach (var part in parts)
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                break;
            }

            values.Add(v);
        }

        return values.Count == parts.Length && parts.Length is 3 or 7
            ? values
            : throw new SpatialInputException(SpatialError.InvalidArgument,
                $"--towgs84 '{text}' must be 3 or 7 comma-separated numbers: dx,dy,dz[,rx,ry,rz,s] (metres, arc-seconds, ppm).");
    }

    private static CrsDefinition RequireNoHelmert(CrsDefinition crs, IReadOnlyList<double>? toWgs84) => toWgs84 is null
        ? crs
        : throw new SpatialInputException(SpatialError.InvalidArgument,
            $"--towgs84 applies to Beijing 1954 and Xi'an 1980 sources only; this source is {crs.Code} ({crs.Name}).");

    private static CrsDefinition Legacy(GeodeticFrame frame, string name, ProjectionKind projection,
        double cm, double k, double fe, double fn, IReadOnlyList<double>? toWgs84)
    {
        var frameName = frame == GeodeticFrame.Beijing1954 ? "Beijing 1954" : "Xi'an 1980";
        if (toWgs84 is null)
        {
            throw new SpatialInputException(SpatialError.WrongCrs,
                $"The source is in {frameName} (\"{name}\"), which cannot be converted to CGCS2000 without local transformation parameters; give them with --towgs84 dx,dy,dz[,rx,ry,rz,s].");
        }

        var helmert = string.Join(",", toWgs84.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return new CrsDefinition($"{name} +towgs84={helmert}", $"{frameName} ({name})", frame, projection, cm, k, fe, fn, toWgs84);
    }

    private static GeodeticFrame? FrameOf(string datum, double a, double inverseFlattening)
    {
        if (datum.Contains("china2000", StringComparison.Ordinal) || datum.Contains("cgcs2000", StringComparison.Ordinal)
            || datum.Contains("chinageodeticcoordinatesystem2000", StringComparison.Ordinal))
        {
            return GeodeticFrame.Cgcs2000;
        }

        if (datum.Contains("wgs1984", StringComparison.Ordinal) || datum.Contains("wgs84", StringComparison.Ordinal)
            || datum.Contains("worldgeodeticsystem1984", StringComparison.Ordinal))
        {
            return GeodeticFrame.Wgs84;
        }

        if (datum.Contains("beijing1954", StringComparison.Ordinal))
        {
            return GeodeticFrame.Beijing1954;
        }

        if (datum.Contains("xian1980", StringComparison.Ordinal))
        {
            return GeodeticFrame.Xian1980;
        }

        return (a, inverseFlattening) switch
        {
            (6378137, var f) when Math.Abs(f - 298.257222101) < 1e-6 => GeodeticFrame.Cgcs2000,
            (6378137, var f) when Math.Abs(f - 298.257223563) < 1e-6 => GeodeticFrame.Wgs84,
            (6378245, _) => GeodeticFrame.Beijing1954,
            (6378140, _) => GeodeticFrame.Xian1980,
            _ => null,
        };
    }

    private static string Normalise(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static string Shorten(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= 60 ? oneLine : oneLine[..60] + "…";
    }

    private static SpatialInputException Unidentified(string what) =>
        new(SpatialError.WrongCrs, $"The CRS cannot be identified: found {what}. Supported: {CrsCatalog.Supported}; or give --crs.");

    /// <summary>A WKT node: <c>KEYWORD["text", number, CHILD[...], ...]</c>.</summary>
    private sealed class WktNode(string keyword)
    {
        public string Keyword { get; } = keyword.ToUpperInvariant();

        public List<object> Items { get; } = [];

        public string Name => Text(0) ?? "";

        public string? Text(int i) => i < Items.Count ? Items[i] as string : null;

        public double? Number(int i) => i < Items.Count && Items[i] is string s
            && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

        public WktNode? Child(string keyword) => Children(keyword).FirstOrDefault();

        public IEnumerable<WktNode> Children(string keyword) =>
            Items.OfType<WktNode>().Where(n => n.Keyword == keyword);

        public static WktNode? Parse(string text)
        {
            var position = 0;
            try
            {
                var node = ReadNode(text, ref position);
                return node;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private static WktNode? ReadNode(string s, ref int i)
        {
            SkipSpace(s, ref i);
            var start = i;
            while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] == '_'))
            {
                i++;
            }

            if (i == start || i >= s.Length || (s[i] != '[' && s[i] != '('))
            {
                return null;
            }

            var node = new WktNode(s[start..i]);
            i++;
            while (true)
            {
                SkipSpace(s, ref i);
                if (i >= s.Length)
                {
                    throw new FormatException("unterminated");
                }

                if (s[i] is ']' or ')')
                {
                    i++;
                    return node;
                }

                if (s[i] == ',')
                {
                    i++;
                    continue;
                }

                if (s[i] == '"')
                {
                    var end = s.IndexOf('"', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException("unterminated string");
                    }

                    node.Items.Add(s[(i + 1)..end]);
                    i = end + 1;
                    continue;
                }

                var tokenStart = i;
                while (i < s.Length && s[i] is not (',' or ']' or ')' or '[' or '(') && !char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                SkipSpace(s, ref i);
                if (i < s.Length && s[i] is '[' or '(')
                {
                    i = tokenStart;
                    node.Items.Add(ReadNode(s, ref i) ?? throw new FormatException("bad node"));
                }
                else
                {
                    node.Items.Add(s[tokenStart..i].Trim());
                }
            }
        }

        private static void SkipSpace(string s, ref int i)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i]))
            {
                i++;
            }
        }
    }
}
