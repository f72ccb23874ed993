using System.Globalization;
using Carter;
using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Tiles;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Layers;

namespace EcoSpatial.SpatialApi.Modules;

/// <summary>
/// Mapbox vector tiles made by PostGIS (<c>/tiles/{layer}/{z}/{x}/{y}.mvt</c>) and their TileJSON
/// (<c>/tiles/{layer}.json</c>). A tile is immutable per version: its ETag names the version, a tile URL that pins
/// <c>version</c> is cacheable for a year, and an unpinned one (the current version) for a minute.
/// </summary>
public sealed class TilesModule : ICarterModule
{
    public const string MvtType = "application/vnd.mapbox-vector-tile";

    /// <summary>Zoom range advertised in TileJSON; clients overzoom beyond it.</summary>
    private const int AdvertisedMaxZoom = 16;

    private static readonly string[] TileParameters = ["datetime", "version", "properties"];

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/tiles").WithTags("Vector tiles").AllowAnyOrigin();
        group.MapGet("/{layer}.json", GetTileJson).WithName("TileJson")
            .WithSummary("TileJSON 3.0 of a layer's version (datetime or version; default current); its tile URLs pin the version.");
        group.MapGet("/{layer}/{z:int}/{x:int}/{y:int}.mvt", GetTile).WithName("Tile")
            .WithSummary("A Mapbox vector tile (XYZ, EPSG:3857) of a layer's version; datetime, version and properties as for TileJSON.")
            .Produces(StatusCodes.Status200OK, contentType: MvtType)
            .Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    private static async Task<IResult> GetTileJson(string layer, HttpRequest request, ReadDataSource reads, VersionExtents extents, CancellationToken ct)
    {
        var dataSource = reads.Source;
        var kind = Layer(layer);
        RefuseUnknown(request);
        var properties = FeatureQueries.SelectProperties(kind, request.Query["properties"]);
        var version = await VersionSelection.ResolveAsync(dataSource, kind, request.Query["datetime"], request.Query["version"], ct)
            ?? throw new SpatialInputException(SpatialError.NotFound, $"Layer '{kind.Id}' has no version in force then.");
        var bounds = await extents.OfAsync(kind, version.Id, ct);
        var query = QueryString.Create("version", version.Id.ToString(CultureInfo.InvariantCulture));
        if (request.Query.ContainsKey("properties"))
        {
            query = query.Add("properties", string.Join(',', properties));
        }

        // The template's braces must stay literal: the query is appended to the path, not built through a URL API.
        var template = OgcLinks.Url(request, $"/tiles/{kind.Id}/") + "{z}/{x}/{y}.mvt" + query.ToUriComponent();
        var fields = properties.ToDictionary(p => p, p => kind.Fields.FirstOrDefault(f => f.Column == p) is { Type: FieldType.Text } ? "String" : "Number");
        return TypedResults.Json(new TileJson(
            "3.0.0", kind.Title, kind.Description, $"{version.Id}", $"EcoSpatial · {version.Label} (as of {OgcDocuments.Date(version.AsOf)})",
            "xyz", [template], 0, AdvertisedMaxZoom, bounds,
            bounds is null ? null : [(bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2, 10],
            [new VectorLayer(kind.Id, kind.Description, 0, AdvertisedMaxZoom, fields)]), OgcDocuments.Json);
    }

    /// <summary>
    /// Resolves the version, answers 304 when the client holds this version's tile, else serves it from the cache
    /// or has PostGIS make it.
    /// </summary>
    private static async Task<IResult> GetTile(
        string layer, int z, int x, int y, HttpContext http, ReadDataSource reads, TileCache cache, CancellationToken ct)
    {
        var dataSource = reads.Source;
        var kind = Layer(layer);
        var request = http.Request;
        RefuseUnknown(request);
        var address = new TileAddress(z, x, y);
        if (!address.IsValid)
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, $"No tile {z}/{x}/{y}: zoom is 0–{TileAddress.MaxZoom} and x, y are 0 to 2^zoom − 1.");
        }

        var properties = FeatureQueries.SelectProperties(kind, request.Query["properties"]);
        var pinned = request.Query.ContainsKey("version");
        var current = !pinned && !request.Query.ContainsKey("datetime");
        var version = await VersionSelection.ResolveAsync(dataSource, kind, request.Query["datetime"], request.Query["version"], ct);
        if (version is null)
        {
            return TypedResults.NoContent();
        }

        if (current)
        {
            cache.ObserveCurrent(kind.Id, version.Id);
        }

        // The version names the content, with the form of its feature ids ("i2": FeatureKeyIsPosition rewrote the
        // older ones, so a tile cached under the first form is not revalidated); a non-default property list is part
        // of the tag too ('.'-joined: no commas in ETags).
        var tag = properties.Count == FeatureQueries.PropertyNames(kind).Count
            ? $"\"v{version.Id}.i2\""
            : $"\"v{version.Id}.i2.{string.Join('.', properties)}\"";
        var headers = http.Response.Headers;
        headers.ETag = tag;
        headers.CacheControl = pinned ? "public, max-age=31536000, immutable" : "public, max-age=60";
        if (request.Headers.IfNoneMatch.Any(v => v is not null && (v == "*" || v.Split(',').Any(t => t.Trim() == tag))))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var key = $"{kind.Id}/{version.Id}/{z}/{x}/{y}/{string.Join(',', properties)}";
        if (!cache.TryGet(key, out var tile))
        {
            await using var command = TileQueries.Tile(kind, version.Id, address, properties).CreateCommand(dataSource);
            tile = await command.ExecuteScalarAsync(ct) as byte[] ?? [];
            cache.Set(kind.Id, key, tile);
        }

        return TypedResults.Bytes(tile, MvtType);
    }

    private static void RefuseUnknown(HttpRequest request)
    {
        var unknown = request.Query.Keys.FirstOrDefault(k => !TileParameters.Contains(k));
        if (unknown is not null)
        {
            throw new SpatialInputException(SpatialError.InvalidArgument,
                $"Unknown parameter '{unknown}'; tiles take {string.Join(", ", TileParameters)}.");
        }
    }

    private static LayerKind Layer(string id) => LayerCatalog.Find(id) ?? throw new SpatialInputException(
        SpatialError.NotFound, $"Unknown layer '{id}'; the layers are {string.Join(", ", LayerCatalog.All.Select(l => l.Id))}.");
}
