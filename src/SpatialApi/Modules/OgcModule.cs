using System.Globalization;
using System.Text.Json;
using Carter;
using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Layers;
using Npgsql;

namespace EcoSpatial.SpatialApi.Modules;

/// <summary>
/// OGC API – Features (Part 1 core, GeoJSON, HTML, OpenAPI 3.0; Part 2 CRS) under <c>/ogc</c>: one collection per
/// layer; <c>datetime</c> or <c>version</c> picks the version read. Features are streamed from PostGIS. Everything
/// here reads through <see cref="ReadDataSource"/> (a standby when <c>ECO_DB</c> lists one), so map clients keep
/// working while the primary is down.
/// </summary>
public sealed class OgcModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/ogc").WithTags("OGC API Features").AllowAnyOrigin();
        group.MapGet("/", Landing).WithName("OgcLanding").WithSummary("Landing page.").WithFormatParameter();
        group.MapGet("/conformance", ConformanceDeclaration).WithName("OgcConformance")
            .WithSummary("Conformance classes.").WithFormatParameter();
        group.MapGet("/collections", ListCollections).WithName("OgcCollections")
            .WithSummary("The five layers as collections.").WithFormatParameter();
        group.MapGet("/collections/{collectionId}", GetCollection).WithName("OgcCollection")
            .WithSummary("One collection: extents, CRSs, versions.").WithFormatParameter();
        group.MapGet("/collections/{collectionId}/items", Items).WithName("OgcItems")
            .WithSummary("Features of the selected version (GeoJSON or HTML), paged by next links. Typed attributes filter by equality, e.g. DLBM=0301.")
            .Produces(StatusCodes.Status200OK, contentType: OgcLinks.GeoJson)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithFormatParameter().WithItemsParameters();
        group.MapGet("/collections/{collectionId}/items/{featureId}", Item).WithName("OgcItem")
            .WithSummary("One feature (any version) by id.")
            .Produces(StatusCodes.Status200OK, contentType: OgcLinks.GeoJson)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithFormatParameter();
    }

    private static IResult Landing(HttpRequest request)
    {
        OgcFormats.Only(request);
        var landing = OgcDocuments.Landing(request);
        return OgcFormats.Of(request) == OgcFormat.Json
            ? TypedResults.Json(landing, OgcDocuments.Json)
            : OgcHtml.Page(landing.Title, html =>
            {
                html.Append("<p>").Append(OgcHtml.E(landing.Description)).Append("</p>");
                OgcHtml.Links(html, landing.Links);
            });
    }

    private static IResult ConformanceDeclaration(HttpRequest request)
    {
        OgcFormats.Only(request);
        return OgcFormats.Of(request) == OgcFormat.Json
            ? TypedResults.Json(new Conformance(OgcDocuments.ConformanceClasses), OgcDocuments.Json)
            : OgcHtml.Page("Conformance", html => OgcHtml.Links(html, OgcDocuments.ConformanceClasses.Select(c => new OgcLink(c, "conformance", OgcLinks.Html, c))));
    }

    private static async Task<IResult> ListCollections(HttpRequest request, ReadDataSource reads, VersionExtents extents, CancellationToken ct)
    {
        OgcFormats.Only(request);
        await using var db = EcoDatabase.CreateContext(reads.Source);
        var collections = new List<Collection>();
        foreach (var layer in LayerCatalog.All)
        {
            collections.Add(await CollectionAsync(request, layer, db, extents, self: false, ct));
        }

        var links = OgcLinks.SelfAndAlternates(request, OgcLinks.Json, "Collections", OgcLinks.Json, OgcLinks.Html);
        return OgcFormats.Of(request) == OgcFormat.Json
            ? TypedResults.Json(new CollectionList(links, collections), OgcDocuments.Json)
            : OgcHtml.Page("Collections", html => OgcHtml.Table(html, ["collection", "description", "versions"],
                collections.Select(c => new (string, string?)[]
                {
                    (c.Title, OgcLinks.Url(request, $"/ogc/collections/{c.Id}", [new("f", "html")])),
                    (c.Description, null),
                    (c.Versions.Count.ToString(CultureInfo.InvariantCulture), null),
                })));
    }

    /// <summary>
    /// One collection. It takes <c>datetime</c> and <c>version</c> too, because GDAL's OAPIF driver sends the query of
    /// a dataset URL such as <c>OAPIF:…/collections/landuse?datetime=2020-12-31</c> with every request; the spatial
    /// extent is then that of the selected version.
    /// </summary>
    private static async Task<IResult> GetCollection(
        string collectionId, HttpRequest request, ReadDataSource reads, VersionExtents extents, CancellationToken ct)
    {
        var layer = Layer(collectionId);
        OgcFormats.Only(request, "datetime", "version");
        await using var db = EcoDatabase.CreateContext(reads.Source);
        var selected = request.Query.ContainsKey("datetime") || request.Query.ContainsKey("version")
            ? await VersionSelection.ResolveAsync(reads.Source, layer, request.Query["datetime"], request.Query["version"], ct)
            : null;
        var collection = await CollectionAsync(request, layer, db, extents, self: true, ct, selected?.Id);
        return OgcFormats.Of(request) == OgcFormat.Json
            ? TypedResults.Json(collection, OgcDocuments.Json)
            : OgcHtml.Page(collection.Title, html =>
            {
                html.Append("<p>").Append(OgcHtml.E(collection.Description)).Append("</p>");
                if (collection.Extent?.Spatial is { } spatial)
                {
                    html.Append("<p>Extent (CRS84) of the current version: ")
                        .Append(OgcHtml.E(string.Join(", ", spatial.Bbox[0].Select(OgcHtml.Number)))).Append("</p>");
                }

                OgcHtml.Links(html, collection.Links);
                html.Append("<h2>Versions</h2>");
                OgcHtml.Table(html, ["id", "label", "as of", "features"], collection.Versions.Select(v => new (string, string?)[]
                {
                    (v.Id.ToString(CultureInfo.InvariantCulture), v.Items + "&f=html"), (v.Label, null), (v.AsOf, null),
                    (v.FeatureCount.ToString(CultureInfo.InvariantCulture), null),
                }));
            });
    }

    /// <summary>
    /// A page of features. The query runs before the first byte is written (so its errors become problems); then the
    /// features are written as PostGIS returns them, and the page ends with numberReturned, numberMatched (only when the
    /// whole version is read: the stored count is exact and free), and the links, with <c>next</c> when a row beyond
    /// the limit exists. The next link pins the version and continues by <c>cursor</c> (keyset), never by offset.
    /// </summary>
    private static async Task Items(string collectionId, HttpContext http, ReadDataSource reads, CancellationToken ct)
    {
        var dataSource = reads.Source;
        var layer = Layer(collectionId);
        var request = ItemsRequest.Parse(layer, http.Request.Query);
        var format = OgcFormats.Of(http.Request);
        var version = await VersionSelection.ResolveAsync(dataSource, layer, request.Datetime, request.Version, ct);
        await using var command = version is null ? null : FeatureQueries.Items(request, version.Id).CreateCommand(dataSource);
        await using var reader = command is null ? null : await command.ExecuteReaderAsync(ct);
        if (format == OgcFormat.Html)
        {
            await ItemsHtml(http, layer, request, version, reader, ct);
            return;
        }

        http.Response.ContentType = OgcLinks.GeoJson;
        http.Response.Headers["Content-Crs"] = $"<{request.Crs.Uri}>";
        await using var json = new Utf8JsonWriter(http.Response.BodyWriter, FeatureWriter.Options);
        json.WriteStartObject();
        json.WriteString("type"u8, "FeatureCollection"u8);
        json.WriteStartArray("features"u8);
        var end = reader is null
            ? new PageEnd(0, false, null)
            : await FeatureWriter.WriteFeaturesAsync(json, http.Response.BodyWriter, reader, layer, request.Properties, request.Limit, ct);
        json.WriteEndArray();
        json.WriteNumber("numberReturned"u8, end.NumberReturned);
        if (version is null || request.Unfiltered)
        {
            json.WriteNumber("numberMatched"u8, version?.FeatureCount ?? 0);
        }

        json.WriteString("timeStamp"u8, DateTimeOffset.UtcNow);
        json.WritePropertyName("links"u8);
        JsonSerializer.Serialize(json, PageLinks(http.Request, layer, version, end), OgcDocuments.Json);
        json.WriteEndObject();
        json.Flush();
        await http.Response.BodyWriter.FlushAsync(ct);
    }

    private static List<OgcLink> PageLinks(HttpRequest request, LayerKind layer, SelectedVersion? version, PageEnd end)
    {
        var links = OgcLinks.SelfAndAlternates(request, OgcLinks.GeoJson, "This page", OgcLinks.GeoJson, OgcLinks.Html);
        links.Add(new OgcLink(OgcLinks.Url(request, $"/ogc/collections/{layer.Id}"), "collection", OgcLinks.Json, layer.Title));
        if (end.HasMore && version is not null && end.LastIndex is { } last)
        {
            foreach (var (type, f) in new[] { (OgcLinks.GeoJson, "json"), (OgcLinks.Html, "html") })
            {
                var query = OgcLinks.Query(request, ["offset", "datetime"], ("version", version.Id.ToString(CultureInfo.InvariantCulture)),
                    ("cursor", last.ToString(CultureInfo.InvariantCulture)), ("f", f));
                links.Add(new OgcLink(OgcLinks.Url(request, request.Path, query), "next", type, $"Next page ({f})"));
            }
        }

        return links;
    }

    private static async Task ItemsHtml(
        HttpContext http, LayerKind layer, ItemsRequest request, SelectedVersion? version, NpgsqlDataReader? reader, CancellationToken ct)
    {
        var rows = new List<(string Text, string? Href)[]>();
        var more = false;
        int? last = null;
        while (reader is not null && await reader.ReadAsync(ct))
        {
            if (rows.Count == request.Limit)
            {
                more = true;
                break;
            }

            last = reader.GetInt32(1);
            var id = reader.GetInt64(0).ToString(CultureInfo.InvariantCulture);
            var row = new List<(string, string?)> { (id, OgcLinks.Url(http.Request, $"/ogc/collections/{layer.Id}/items/{id}", [new("f", "html")])) };
            for (var i = 0; i < request.Properties.Count; i++)
            {
                row.Add((reader.IsDBNull(i + 3) ? "" : Convert.ToString(reader.GetValue(i + 3), CultureInfo.InvariantCulture) ?? "", null));
            }

            rows.Add([.. row]);
        }

        var title = version is null ? $"{layer.Title}: no version in force" : $"{layer.Title}: {version.Label} (as of {OgcDocuments.Date(version.AsOf)})";
        var links = PageLinks(http.Request, layer, version, new PageEnd(rows.Count, more, last));
        await OgcHtml.Page(title, html =>
        {
            html.Append("<p>").Append(rows.Count).Append(" features").Append(version is null ? "" : $" of {version.FeatureCount}").Append(".</p>");
            OgcHtml.Links(html, links);
            OgcHtml.Table(html, ["id", .. request.Properties], rows);
        }).ExecuteAsync(http);
    }

    private static async Task Item(string collectionId, string featureId, HttpContext http, ReadDataSource reads, CancellationToken ct)
    {
        var dataSource = reads.Source;
        var layer = Layer(collectionId);
        var unknown = http.Request.Query.Keys.FirstOrDefault(k => k is not ("f" or "crs"));
        if (unknown is not null)
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, $"Unknown parameter '{unknown}'; a feature takes 'f' and 'crs'.");
        }

        var crs = OgcCrs.Parse(http.Request.Query["crs"], "crs");
        var format = OgcFormats.Of(http.Request);
        if (!long.TryParse(featureId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            || FeatureQueries.Item(layer, id, crs) is not { } query)
        {
            throw NoFeature(layer, featureId);
        }

        await using var command = query.CreateCommand(dataSource);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            throw NoFeature(layer, featureId);
        }

        var properties = FeatureQueries.PropertyNames(layer);
        var links = OgcLinks.SelfAndAlternates(http.Request, OgcLinks.GeoJson, "This feature", OgcLinks.GeoJson, OgcLinks.Html);
        links.Add(new OgcLink(OgcLinks.Url(http.Request, $"/ogc/collections/{layer.Id}"), "collection", OgcLinks.Json, layer.Title));
        if (format == OgcFormat.Html)
        {
            var cells = properties.Select((p, i) => new (string, string?)[]
            {
                (p, null), (reader.IsDBNull(i + 3) ? "" : Convert.ToString(reader.GetValue(i + 3), CultureInfo.InvariantCulture) ?? "", null),
            }).ToList();
            await OgcHtml.Page($"{layer.Title}: feature {id}", html =>
            {
                OgcHtml.Links(html, links);
                OgcHtml.Table(html, ["property", "value"], cells);
            }).ExecuteAsync(http);
            return;
        }

        http.Response.ContentType = OgcLinks.GeoJson;
        http.Response.Headers["Content-Crs"] = $"<{crs.Uri}>";
        await using var json = new Utf8JsonWriter(http.Response.BodyWriter, FeatureWriter.Options);
        FeatureWriter.WriteFeature(json, reader, properties, FeatureWriter.PropertyTypes(layer, properties),
            j => { j.WritePropertyName("links"u8); JsonSerializer.Serialize(j, links, OgcDocuments.Json); });
        json.Flush();
        await http.Response.BodyWriter.FlushAsync(ct);
    }

    /// <summary>The collection of a layer; its spatial extent is that of <paramref name="versionId"/>, else of the current version.</summary>
    private static async Task<Collection> CollectionAsync(
        HttpRequest request, LayerKind layer, EcoDbContext db, VersionExtents extents, bool self, CancellationToken ct, long? versionId = null)
    {
        var versions = await db.VersionsOfAsync(layer.Id, ct);
        var bbox = versions.Count == 0 ? null : await extents.OfAsync(layer, versionId ?? versions[0].Id, ct);
        return OgcDocuments.Collection(request, layer, versions, bbox, self);
    }

    private static SpatialInputException NoFeature(LayerKind layer, string featureId) =>
        new(SpatialError.NotFound, $"Collection '{layer.Id}' has no feature '{featureId}'.");

    private static LayerKind Layer(string id) => LayerCatalog.Find(id) ?? throw new SpatialInputException(
        SpatialError.NotFound, $"Unknown collection '{id}'; the collections are {string.Join(", ", LayerCatalog.All.Select(l => l.Id))}.");
}
