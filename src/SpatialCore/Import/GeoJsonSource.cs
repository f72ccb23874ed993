using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using EcoSpatial.SpatialCore.Errors;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>A GeoJSON document read into features, with the CRS it declares.</summary>
/// <param name="Crs">The declared CRS: <c>OGC:CRS84</c> (RFC 7946 default), <c>EPSG:4326</c> or <c>EPSG:4490</c>.</param>
/// <param name="Features">The features in document order.</param>
public sealed record GeoJsonDocument(string Crs, IReadOnlyList<SourceFeature> Features);

/// <summary>
/// Reads RFC 7946 GeoJSON (a FeatureCollection or a single Feature), plus the legacy 2008 <c>crs</c> member when it
/// names EPSG:4490, EPSG:4326 or CRS84. Each geometry is read on its own, so one unreadable geometry rejects that
/// feature, not the file.
/// </summary>
public static partial class GeoJsonSource
{
    private static readonly JsonSerializerOptions GeometryOptions = new()
    {
        Converters = { new GeoJsonConverterFactory(Srid.Cgcs2000Factory) },
    };

    /// <summary>Reads a GeoJSON document.</summary>
    /// <exception cref="SpatialInputException">
    /// <see cref="SpatialError.MalformedInput"/> when the text is not JSON or not a FeatureCollection/Feature;
    /// <see cref="SpatialError.WrongCrs"/> when the legacy <c>crs</c> member names a CRS other than those above.
    /// </exception>
    public static GeoJsonDocument Read(Stream stream)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new SpatialInputException(SpatialError.MalformedInput, $"The file is not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t)
                && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            var crs = DeclaredCrs(root);
            return type switch
            {
                "FeatureCollection" when root.TryGetProperty("features", out var features)
                    && features.ValueKind == JsonValueKind.Array =>
                    new GeoJsonDocument(crs, features.EnumerateArray().Select(ReadFeature).ToList()),
                "Feature" => new GeoJsonDocument(crs, [ReadFeature(root, 0)]),
                _ => throw new SpatialInputException(SpatialError.MalformedInput,
                    "The file is JSON but not a GeoJSON FeatureCollection or Feature (a top-level \"type\" and a \"features\" array are required)."),
            };
        }
    }

    /// <summary>A JSON value as an attribute value: string, double, bool, null, or the element for arrays and objects.</summary>
    private static object? ValueOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.Clone(),
    };

    private static SourceFeature ReadFeature(JsonElement feature, int index)
    {
        if (feature.ValueKind != JsonValueKind.Object)
        {
            return new SourceFeature(index, null, null, [], "the feature is not a JSON object");
        }

        var id = feature.TryGetProperty("id", out var idElement) ? idElement.ValueKind switch
        {
            JsonValueKind.String => idElement.GetString(),
            JsonValueKind.Number => idElement.GetRawText(),
            _ => null,
        } : null;
        var properties = feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p.EnumerateObject().Select(m => new KeyValuePair<string, object?>(m.Name, ValueOf(m.Value))).ToArray()
            : [];

        if (!feature.TryGetProperty("geometry", out var geometryElement) || geometryElement.ValueKind == JsonValueKind.Null)
        {
            return new SourceFeature(index, id, null, properties, "the feature has no geometry");
        }

        try
        {
            var geometry = geometryElement.Deserialize<Geometry>(GeometryOptions);
            return new SourceFeature(index, id, geometry, properties, geometry is null ? "the feature has no geometry" : null);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or FormatException)
        {
            return new SourceFeature(index, id, null, properties, $"unreadable geometry: {e.Message}");
        }
    }

    /// <summary>The CRS named by a legacy <c>crs</c> member, else CRS84 as RFC 7946 prescribes.</summary>
    private static string DeclaredCrs(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("crs", out var crs)
            || crs.ValueKind != JsonValueKind.Object
            || !crs.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            return "OGC:CRS84";
        }

        var name = nameElement.GetString() ?? "";
        if (name.Contains("CRS84", StringComparison.OrdinalIgnoreCase))
        {
            return "OGC:CRS84";
        }

        var match = EpsgCode().Match(name);
        var code = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : (int?)null;
        return code switch
        {
            Srid.Cgcs2000 or Srid.Wgs84 => $"EPSG:{code}",
            _ => throw new SpatialInputException(SpatialError.WrongCrs,
                $"The GeoJSON declares the CRS \"{name}\"; GeoJSON import reads EPSG:4490, EPSG:4326 or CRS84 lon/lat."),
        };
    }

    [GeneratedRegex(@"EPSG(?:::|:|/0/|/)(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgCode();
}

/// <summary>A GeoJSON file as an <see cref="IFeatureSource"/>. GeoJSON is parsed whole (it is not the format of large files).</summary>
/// <param name="stream">The GeoJSON text.</param>
public sealed class GeoJsonFeatureSource(Stream stream) : IFeatureSource
{
    private readonly GeoJsonDocument document = GeoJsonSource.Read(stream);

    /// <inheritdoc/>
    public string Format => "GeoJSON";

    /// <inheritdoc/>
    public string? DeclaredCrs => document.Crs;

    /// <inheritdoc/>
    public int? Count => document.Features.Count;

    /// <inheritdoc/>
    public IReadOnlyList<string> Notes => [];

    /// <inheritdoc/>
    public IEnumerable<SourceFeature> Read() => document.Features;

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
