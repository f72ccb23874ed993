using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialApi.Problems;

/// <summary>
/// Every kind of problem the API reports (RFC 9457): a stable <c>type</c> URI, its status and a constant title.
/// The only place that knows both the domain errors and HTTP.
/// </summary>
public static class ProblemCatalog
{
    /// <summary>Base of every problem <c>type</c> URI.</summary>
    public const string BaseUri = "https://ecospatial.dev/problems/";

    private static readonly Dictionary<string, (int Status, string Title)> Kinds = new()
    {
        ["malformed-input"] = (400, "The input could not be read"),
        ["invalid-argument"] = (400, "An argument is not valid"),
        ["bad-request"] = (400, "The request is malformed"),
        ["unauthorized"] = (401, "An editor API key is required"),
        ["writes-disabled"] = (403, "Writes are disabled on this service"),
        ["not-found"] = (404, "Not found"),
        ["conflict"] = (409, "The resource exists already"),
        ["wrong-crs"] = (422, "The coordinate reference system is not supported here"),
        ["invalid-geometry"] = (422, "The geometry is not valid"),
        ["not-polygonal"] = (422, "The geometry is not polygonal"),
        ["nothing-to-import"] = (422, "Nothing valid to import"),
        ["not-ready"] = (503, "The service is not ready"),
        ["database-unavailable"] = (503, "The database cannot be reached"),
    };

    /// <summary>The problem kind (slug) of a domain error.</summary>
    public static string SlugOf(SpatialError error) => error switch
    {
        SpatialError.MalformedInput => "malformed-input",
        SpatialError.InvalidArgument => "invalid-argument",
        SpatialError.NotFound => "not-found",
        SpatialError.WrongCrs => "wrong-crs",
        SpatialError.InvalidGeometry => "invalid-geometry",
        SpatialError.NotPolygonal => "not-polygonal",
        SpatialError.NothingToImport => "nothing-to-import",
        _ => "bad-request",
    };

    /// <summary>Status, type URI and title of a problem kind.</summary>
    public static (int Status, string Type, string Title) Describe(string slug)
    {
        var (status, title) = Kinds[slug];
        return (status, BaseUri + slug, title);
    }

    /// <summary>An <c>application/problem+json</c> result of the given kind.</summary>
    public static IResult Result(string slug, string detail)
    {
        var (status, type, title) = Describe(slug);
        return TypedResults.Problem(detail, statusCode: status, title: title, type: type);
    }
}
