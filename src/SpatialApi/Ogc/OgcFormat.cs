using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>The two encodings the OGC API serves.</summary>
public enum OgcFormat
{
    /// <summary>JSON (GeoJSON for features).</summary>
    Json,

    /// <summary>HTML for browsers.</summary>
    Html,
}

/// <summary>Content negotiation: <c>f=json|geojson|html</c> wins; else HTML when the Accept header names text/html.</summary>
public static class OgcFormats
{
    /// <exception cref="SpatialInputException">InvalidArgument: an unknown <c>f</c>.</exception>
    public static OgcFormat Of(HttpRequest request)
    {
        var f = request.Query["f"].ToString();
        return f switch
        {
            "json" or "geojson" => OgcFormat.Json,
            "html" => OgcFormat.Html,
            "" => request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase) ? OgcFormat.Html : OgcFormat.Json,
            _ => throw new SpatialInputException(SpatialError.InvalidArgument, $"'f' must be json, geojson or html; got '{f}'."),
        };
    }

    /// <summary>Refuses every query parameter but <c>f</c> and <paramref name="others"/> (OGC <c>query-param-unknown</c>).</summary>
    public static void Only(HttpRequest request, params string[] others)
    {
        var unknown = request.Query.Keys.FirstOrDefault(k => k != "f" && !others.Contains(k));
        if (unknown is not null)
        {
            throw new SpatialInputException(SpatialError.InvalidArgument,
                $"Unknown parameter '{unknown}'; this resource takes {string.Join(", ", ["f", .. others])}.");
        }
    }
}
