using Carter;
using EcoSpatial.SpatialApi.Contracts;
using EcoSpatial.SpatialApi.Import;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Problems;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Layers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EcoSpatial.SpatialApi.Modules;

/// <summary>Routes under <c>/api/layers</c>: the five layers, their versions, and importing a new version.</summary>
public sealed class LayersModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/layers").WithTags("Layers");
        group.MapGet("/", ListLayers).WithName("ListLayers")
            .WithSummary("The five layers, each with its number of versions and its current version.");
        group.MapGet("/{layer}/versions", ListVersions).WithName("ListVersions")
            .WithSummary("Every version of a layer, current (newest as-of date) first.");
        group.MapGet("/{layer}/versions/{id:long}", GetVersion).WithName("GetVersion")
            .WithSummary("One version of a layer, with its import report.");
        group.MapPost("/{layer}/versions", ImportVersion).WithName("ImportVersion")
            .WithSummary("Import a file (GeoJSON, zipped Shapefile or GeoPackage) as a new version (multipart: file, asOf, label, approval, crs, towgs84, map, member). Needs X-Api-Key.")
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .RequireEditorKey();
    }

    private static async Task<Ok<List<LayerResponse>>> ListLayers(EcoDbContext db, CancellationToken ct)
    {
        var layers = new List<LayerResponse>();
        foreach (var layer in LayerCatalog.All)
        {
            var versions = await db.VersionsOfAsync(layer.Id, ct);
            var current = versions.FirstOrDefault();
            layers.Add(new LayerResponse(layer.Id, layer.Title, layer.Description, versions.Count,
                current is null ? null : VersionResponse.From(current)));
        }

        return TypedResults.Ok(layers);
    }

    private static async Task<Ok<List<VersionResponse>>> ListVersions(string layer, EcoDbContext db, CancellationToken ct)
    {
        var kind = Layer(layer);
        var versions = await db.VersionsOfAsync(kind.Id, ct);
        return TypedResults.Ok(versions.Select(VersionResponse.From).ToList());
    }

    private static async Task<Ok<VersionResponse>> GetVersion(string layer, long id, EcoDbContext db, CancellationToken ct)
    {
        var kind = Layer(layer);
        var version = await db.VersionAsync(kind.Id, id, ct)
            ?? throw new SpatialInputException(SpatialError.NotFound, $"Layer '{kind.Id}' has no version {id}.");
        return TypedResults.Ok(VersionResponse.From(version));
    }

    private static async Task<Created<VersionResponse>> ImportVersion(
        string layer, IFormFile file, [FromForm] string? asOf, [FromForm] string? label, [FromForm] string? approval,
        [FromForm] string? crs, [FromForm] string? towgs84, [FromForm] string? map, [FromForm] string? member,
        NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var request = VersionRequest.Parse(layer, asOf, label, approval, file.FileName);
        var options = new ImportOptions(Blank(crs), Blank(towgs84), ImportOptions.ParseMap(map is null ? [] : [map]), Blank(member));
        var path = Path.GetTempFileName();
        try
        {
            await using (var target = File.Create(path))
            {
                await file.CopyToAsync(target, ct);
            }

            var version = await VersionImporter.ImportAsync(dataSource, request, path, "api", options, null, ct);
            return TypedResults.Created($"/api/layers/{request.Layer.Id}/versions/{version.Id}", VersionResponse.From(version));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static LayerKind Layer(string id) => LayerCatalog.Find(id) ?? throw new SpatialInputException(
        SpatialError.NotFound, $"Unknown layer '{id}'; the layers are {string.Join(", ", LayerCatalog.All.Select(l => l.Id))}.");
}
