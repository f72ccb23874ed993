using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Layers;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>The landing page (OGC API Features Part 1, 7.2).</summary>
public sealed record LandingPage(string Title, string Description, IReadOnlyList<OgcLink> Links);

/// <summary>The conformance declaration (Part 1, 7.4).</summary>
public sealed record Conformance(IReadOnlyList<string> ConformsTo);

/// <summary>Spatial extent: one CRS84 bbox.</summary>
public sealed record SpatialExtent(IReadOnlyList<double[]> Bbox, string Crs);

/// <summary>Temporal extent: first to last as-of date of the layer's versions.</summary>
public sealed record TemporalExtent(IReadOnlyList<string?[]> Interval, string Trs);

public sealed record Extent(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SpatialExtent? Spatial,
    TemporalExtent Temporal);

/// <summary>One stored version of a layer, and the items URL that reads it (an EcoSpatial extension of the collection).</summary>
public sealed record CollectionVersion(long Id, string Label, string AsOf, int FeatureCount, string Items);

/// <summary>A collection (Part 1, 7.14; Part 2 <c>crs</c> and <c>storageCrs</c>): one layer.</summary>
public sealed record Collection(
    string Id,
    string Title,
    string Description,
    string ItemType,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Extent? Extent,
    IReadOnlyList<string> Crs,
    string StorageCrs,
    IReadOnlyList<OgcLink> Links,
    IReadOnlyList<CollectionVersion> Versions);

/// <summary>The collections resource (Part 1, 7.13).</summary>
public sealed record CollectionList(IReadOnlyList<OgcLink> Links, IReadOnlyList<Collection> Collections);

/// <summary>Builds the metadata documents of <c>/ogc</c>.</summary>
public static class OgcDocuments
{
    /// <summary>Conformance classes: Part 1 core, GeoJSON, HTML, OpenAPI 3.0 and Part 2 CRS (exact URIs).</summary>
    public static IReadOnlyList<string> ConformanceClasses { get; } =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    ];

    /// <summary>JSON options for the documents: camelCase, non-ASCII written as is.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = FeatureWriter.Options.Encoder,
    };

    public static LandingPage Landing(HttpRequest request) => new(
        "EcoSpatial",
        "Ecological red lines, protected areas, water-source zones, land use and admin units as dated, immutable versions.",
        [
            .. OgcLinks.SelfAndAlternates(request, OgcLinks.Json, "This document", OgcLinks.Json, OgcLinks.Html),
            new(OgcLinks.Url(request, "/openapi/v1.json"), "service-desc", OgcLinks.OpenApi, "The API definition"),
            new(OgcLinks.Url(request, "/docs/index.html"), "service-doc", OgcLinks.Html, "The API documentation"),
            new(OgcLinks.Url(request, "/ogc/conformance"), "conformance", OgcLinks.Json, "Conformance classes"),
            new(OgcLinks.Url(request, "/ogc/collections"), "data", OgcLinks.Json, "The collections (layers)"),
        ]);

    public static Collection Collection(
        HttpRequest request, LayerKind layer, IReadOnlyList<LayerVersionRow> versions, double[]? currentBbox, bool self)
    {
        var path = $"/ogc/collections/{layer.Id}";
        var links = self
            ? OgcLinks.SelfAndAlternates(request, OgcLinks.Json, layer.Title, OgcLinks.Json, OgcLinks.Html)
            : [new OgcLink(OgcLinks.Url(request, path), "self", OgcLinks.Json, layer.Title)];
        links.Add(new OgcLink(OgcLinks.Url(request, path + "/items", [new("f", "json")]), "items", OgcLinks.GeoJson, "Features (GeoJSON)"));
        links.Add(new OgcLink(OgcLinks.Url(request, path + "/items", [new("f", "html")]), "items", OgcLinks.Html, "Features (HTML)"));
        links.Add(new OgcLink(OgcLinks.Url(request, $"/tiles/{layer.Id}.json"), "tiles", OgcLinks.Json, "Vector tiles (TileJSON)"));

        Extent? extent = null;
        if (versions.Count > 0)
        {
            var first = versions.Min(v => v.AsOf);
            var last = versions.Max(v => v.AsOf);
            extent = new Extent(
                currentBbox is null ? null : new SpatialExtent([currentBbox], OgcCrs.Crs84.Uri),
                new TemporalExtent([[Timestamp(first), Timestamp(last)]], "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"));
        }

        return new Collection(layer.Id, layer.Title, layer.Description, "feature", extent,
            [.. OgcCrs.Supported.Select(c => c.Uri)], OgcCrs.Storage.Uri, links,
            [.. versions.Select(v => new CollectionVersion(v.Id, v.Label, Date(v.AsOf), v.FeatureCount,
                OgcLinks.Url(request, path + "/items", [new("version", v.Id.ToString(CultureInfo.InvariantCulture))])))]);
    }

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Timestamp(DateOnly date) => Date(date) + "T00:00:00Z";
}
