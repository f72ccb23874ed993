using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>A link of an OGC API resource; <c>type</c> is always given (GDAL and QGIS pick links by it).</summary>
public sealed record OgcLink(
    string Href,
    string Rel,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title = null);

/// <summary>Media types and absolute links of the OGC API, built from the request's scheme, host and path base.</summary>
public static class OgcLinks
{
    public const string GeoJson = "application/geo+json";
    public const string Json = "application/json";
    public const string Html = "text/html";
    public const string OpenApi = "application/vnd.oai.openapi+json;version=3.0";

    /// <summary>The absolute URL of <paramref name="path"/> (which starts with '/') on this service.</summary>
    public static string Url(HttpRequest request, string path, IEnumerable<KeyValuePair<string, StringValues>>? query = null)
    {
        var url = UriHelper.BuildAbsolute(request.Scheme, request.Host, request.PathBase, path);
        return query is null ? url : QueryHelpers.AddQueryString(url, query);
    }

    /// <summary>The request's query with <paramref name="drop"/> removed and <paramref name="set"/> added (f, paging).</summary>
    public static List<KeyValuePair<string, StringValues>> Query(
        HttpRequest request, IEnumerable<string> drop, params (string Key, string Value)[] set)
    {
        var removed = new HashSet<string>(drop.Concat(set.Select(s => s.Key)), StringComparer.Ordinal);
        var query = request.Query.Where(kv => !removed.Contains(kv.Key)).ToList();
        query.AddRange(set.Select(s => new KeyValuePair<string, StringValues>(s.Key, s.Value)));
        return query;
    }

    /// <summary>The <c>self</c> link in <paramref name="selfType"/> and <c>alternate</c> links for the other encodings.</summary>
    public static List<OgcLink> SelfAndAlternates(HttpRequest request, string selfType, string title, params string[] types)
    {
        var links = new List<OgcLink>();
        foreach (var type in types)
        {
            var f = type == Html ? "html" : "json";
            var href = Url(request, request.Path, Query(request, [], ("f", f)));
            links.Add(new OgcLink(href, type == selfType ? "self" : "alternate", type, type == selfType ? title : $"{title} ({f})"));
        }

        return links;
    }

    /// <summary>
    /// Lets web maps on any origin read the group (CORS for simple GETs: the data is open), and see the headers
    /// clients use (<c>ETag</c>, <c>Content-Crs</c>).
    /// </summary>
    public static RouteGroupBuilder AllowAnyOrigin(this RouteGroupBuilder group) =>
        group.AddEndpointFilter(async (context, next) =>
        {
            var headers = context.HttpContext.Response.Headers;
            headers.AccessControlAllowOrigin = "*";
            headers.AccessControlExposeHeaders = "ETag, Content-Crs";
            return await next(context);
        });
}
