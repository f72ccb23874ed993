using Carter;
using EcoSpatial.SpatialApi.Contracts;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Indicators;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialApi.Modules;

/// <summary>A proposed site: a GeoJSON geometry in lon/lat (CGCS2000 / CRS84), optionally buffered in metres.</summary>
public sealed record ScreeningRequest(Geometry? Geometry, double? BufferM, string? AsOf);

/// <summary>The screening answer: the zones the site touches, the rule of each, and the verdict.</summary>
public sealed record ScreeningResponse(double SiteAreaM2, ScreeningRule Verdict, IReadOnlyList<ScreeningFinding> Findings, IReadOnlyList<InputVersion> Inputs);

/// <summary><c>POST /api/screening</c>: which protected zones a proposed site touches, and what applies there.</summary>
public sealed class ScreeningModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app) =>
        app.MapPost("/api/screening", Screen).WithTags("Indicators").WithName("ScreenSite")
            .WithSummary("Screen a site (GeoJSON geometry, optional bufferM, asOf) against red lines, reserve zones and water-source zones.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static async Task<Ok<ScreeningResponse>> Screen(ScreeningRequest request, ReadDataSource reads, CancellationToken ct)
    {
        var db = reads.Source;
        var site = Site(request);
        var date = request.AsOf is null ? DateOnly.FromDateTime(DateTime.UtcNow)
            : DateOnly.TryParseExact(request.AsOf, "yyyy-MM-dd", out var d) ? d
            : throw new SpatialInputException(SpatialError.InvalidArgument, $"asOf '{request.AsOf}' is not a date in the form YYYY-MM-DD.");
        var versions = new List<LayerVersionRow>();
        async Task<long> InForce(string layer)
        {
            var version = await db.VersionInForceAsync(layer, date, ct);
            if (version is not null)
            {
                versions.Add(version);
            }

            return version?.Id ?? -1;
        }

        var (redlines, reserves, water) = (await InForce("redlines"), await InForce("reserves"), await InForce("water-source-zones"));
        var (siteArea, hits) = await db.ScreenAsync(site, request.BufferM ?? 0, redlines, reserves, water, ct);
        var result = SiteScreening.Evaluate(siteArea, hits);
        return TypedResults.Ok(new ScreeningResponse(result.SiteAreaM2, result.Verdict, result.Findings, versions.Select(InputVersion.From).ToList()));
    }

    /// <summary>The site as SRID-4490 geometry: a valid polygon, or any geometry when a positive buffer is given.</summary>
    private static Geometry Site(ScreeningRequest request)
    {
        var geometry = request.Geometry ?? throw new SpatialInputException(SpatialError.InvalidArgument, "The request needs a GeoJSON \"geometry\".");
        if (request.BufferM is < 0 or > 50_000 || (request.BufferM is { } b && !double.IsFinite(b)))
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, "bufferM must be between 0 and 50000 metres.");
        }

        if (geometry.IsEmpty || geometry.Coordinates.Any(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y) || Math.Abs(c.X) > 180 || Math.Abs(c.Y) > 90))
        {
            throw new SpatialInputException(SpatialError.InvalidGeometry, "The site must be a non-empty geometry in lon/lat degrees.");
        }

        if (request.BufferM is not > 0 && geometry is not (Polygon or MultiPolygon))
        {
            throw new SpatialInputException(SpatialError.NotPolygonal, $"A {geometry.GeometryType} site needs a positive bufferM.");
        }

        var site = Srid.Cgcs2000Factory.CreateGeometry(geometry);
        return site.IsValid ? site : NetTopologySuite.Geometries.Utilities.GeometryFixer.Fix(site);
    }
}
