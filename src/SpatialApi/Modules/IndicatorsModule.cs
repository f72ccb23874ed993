using Carter;
using EcoSpatial.SpatialApi.Contracts;
using EcoSpatial.SpatialApi.Indicators;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Indicators;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace EcoSpatial.SpatialApi.Modules;

/// <summary>
/// Routes for the indicators: the catalogue, computed values, the changed polygons of a layer and the encroaching
/// pieces as GeoJSON.
/// </summary>
public sealed class IndicatorsModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var indicators = app.MapGroup("/api/indicators").WithTags("Indicators");
        indicators.MapGet("/", () => TypedResults.Ok(IndicatorCatalog.All)).WithName("ListIndicators")
            .WithSummary("The indicator catalogue: id, names, unit, formula, table number, binding, target, layers, parameters.");
        indicators.MapGet("/{id}", GetIndicator).WithName("GetIndicator")
            .WithSummary("One indicator computed from the stored versions (region, asOf; from/to or since for changes); f=csv gives its breakdown rows as CSV.");

        app.MapGet("/api/changes/{layer}", GetChanges).WithTags("Indicators").WithName("GetChanges")
            .WithSummary("The lost and gained polygons of a layer between two versions (from, to: dates or version ids), as GeoJSON.");
        app.MapGet("/api/encroachments", GetEncroachments).WithTags("Indicators").WithName("GetEncroachments")
            .WithSummary("Construction land inside protected zones (asOf, since, zone kind), each piece with its rule, as GeoJSON.");
    }

    private static async Task<Results<Ok<IndicatorResponse>, ContentHttpResult>> GetIndicator(
        string id, string? region, string? asOf, string? from, string? to, string? since, string? f,
        [FromKeyedServices(ReadDataSource.Key)] IndicatorService indicators,
        Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (f is not (null or "json" or "csv"))
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, $"f must be json or csv, not '{f}'.");
        }

        var result = await indicators.ComputeAsync(id, new IndicatorQuery(region, asOf, from, to, since), ct);
        return f == "csv"
            ? TypedResults.Text(IndicatorCsv.Write(result, json.Value.SerializerOptions), "text/csv; charset=utf-8")
            : TypedResults.Ok(result);
    }

    private static async Task<IResult> GetChanges(
        string layer, string? from, string? to, [FromKeyedServices(ReadDataSource.Key)] IndicatorService indicators, CancellationToken ct)
    {
        if (layer is not ("redlines" or "reserves" or "water-source-zones"))
        {
            throw new SpatialInputException(SpatialError.NotFound, $"Changes are served for redlines, reserves and water-source-zones, not '{layer}'.");
        }

        var (fromVersion, toVersion) = await indicators.ChangeEndsAsync(layer, new IndicatorQuery(null, null, from, to, null), ct);
        if (fromVersion is null || toVersion is null)
        {
            throw new SpatialInputException(SpatialError.NotFound, $"Layer '{layer}' has no versions to compare.");
        }

        var change = await indicators.AreaChangeAsync(layer, fromVersion, toVersion, null, [], z => z.Geom, ct);
        var features = new FeatureCollection();
        foreach (var (kind, geometry) in new[] { ("lost", change.Lost), ("gained", change.Gained) })
        {
            for (var i = 0; i < geometry.NumGeometries; i++)
            {
                var part = geometry.GetGeometryN(i);
                if (part.IsEmpty)
                {
                    continue;
                }

                features.Add(new Feature(part, new AttributesTable
                {
                    { "change", kind }, { "areaM2", AreaChange.Area(part) }, { "fromVersion", fromVersion.Id }, { "toVersion", toVersion.Id },
                }));
            }
        }

        return TypedResults.Json(features, contentType: "application/geo+json");
    }

    private static async Task<IResult> GetEncroachments(
        string? region, string? asOf, string? since, string? zone, [FromKeyedServices(ReadDataSource.Key)] IndicatorService indicators,
        CancellationToken ct)
    {
        ZoneKind? kind = zone is null ? null : Enum.TryParse<ZoneKind>(zone.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var k) ? k
            : throw new SpatialInputException(SpatialError.InvalidArgument, $"zone must be one of {string.Join(", ", Enum.GetNames<ZoneKind>().Select(Kebab))}.");
        var overlaps = await indicators.OverlapsAsync(new IndicatorQuery(region, asOf, null, null, since), ct);
        var features = new FeatureCollection();
        foreach (var o in overlaps?.Overlaps ?? [])
        {
            if (Encroachment.RuleFor(o.Overlap) is not { } rule || (kind is not null && o.Overlap.Kind != kind))
            {
                continue;
            }

            var piece = OverlayNGRobust.Overlay(o.Parcel, o.Zone, SpatialFunction.Intersection);
            piece.SRID = Srid.Cgcs2000;
            features.Add(new Feature(piece, new AttributesTable
            {
                { "parcelCode", o.Overlap.ParcelCode }, { "classCode", o.Overlap.ClassCode }, { "zoneKind", Kebab(o.Overlap.Kind.ToString()) },
                { "zoneFeatureId", o.Overlap.ZoneFeatureId }, { "zoneName", o.Overlap.ZoneName }, { "adminCode", o.Overlap.AdminCode },
                { "overlapM2", o.Overlap.OverlapM2 }, { "isNew", o.Overlap.IsNew }, { "rule", rule.Rule }, { "severity", Kebab(rule.Severity.ToString()) },
            }));
        }

        return TypedResults.Json(features, contentType: "application/geo+json");
    }

    private static string Kebab(string name) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
