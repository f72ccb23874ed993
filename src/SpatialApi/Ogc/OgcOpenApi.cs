using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>
/// The query parameters of the OGC resources, for the API definition. The handlers read the raw query (so that
/// unknown parameters can be refused), so the parameters are described here; GDAL reads <c>limit</c>'s maximum.
/// </summary>
public static class OgcOpenApi
{
    public static TBuilder WithFormatParameter<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            Add(operation, "f", "Encoding: json (geojson for features) or html; by default from the Accept header.", Text());
            return Task.CompletedTask;
        });

    public static TBuilder WithItemsParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            Add(operation, "limit", $"Features per page (default {ItemsRequest.DefaultLimit}; larger than {ItemsRequest.MaxLimit} reads as {ItemsRequest.MaxLimit}).",
                new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Maximum = ItemsRequest.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = JsonValue.Create(ItemsRequest.DefaultLimit) });
            Add(operation, "offset", "Features to skip (the next links use 'cursor' instead).", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" });
            Add(operation, "cursor", "Continue after this feature_index (as written in the next link).", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0" });
            Add(operation, "bbox", "minx,miny,maxx,maxy in CRS84, or in bbox-crs (in its axis order).", Text());
            Add(operation, "bbox-crs", "CRS URI of bbox (one of the collection's crs list).", Text());
            Add(operation, "crs", "CRS URI of the response geometry (one of the collection's crs list); the response says it in Content-Crs.", Text());
            Add(operation, "datetime", "Instant or interval (RFC 3339); selects the version in force at it (or at the interval's end). Default: the current version.", Text());
            Add(operation, "version", "A version id (see the collection's versions); instead of datetime.", new OpenApiSchema { Type = JsonSchemaType.Integer });
            Add(operation, "properties", "Comma-separated property names to return (default all).", Text());
            return Task.CompletedTask;
        });

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String };

    private static void Add(OpenApiOperation operation, string name, string description, OpenApiSchema schema)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema });
    }
}
