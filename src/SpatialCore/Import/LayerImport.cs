using System.Globalization;
using System.Text.Json;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Layers;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>A feature ready to store in a layer version.</summary>
/// <param name="Index">0-based position in the source.</param>
/// <param name="SourceId">The feature's id in the source, when it had one.</param>
/// <param name="Geometry">Valid 2D MultiPolygon, SRID 4490.</param>
/// <param name="AreaM2">Its area on the CGCS2000 ellipsoid, m².</param>
/// <param name="Values">Typed attribute values, one per <see cref="LayerKind.Fields"/> entry (string, double or null).</param>
/// <param name="PropertiesJson">All original attributes as a JSON object.</param>
public sealed record PreparedFeature(
    int Index, string? SourceId, MultiPolygon Geometry, double AreaM2, IReadOnlyList<object?> Values, string PropertiesJson);

/// <summary>The features of one import, checked and measured, with the report of what happened to each.</summary>
/// <param name="Layer">The layer the features are for.</param>
/// <param name="Features">Features to store.</param>
/// <param name="Report">What was read, repaired and rejected.</param>
public sealed record PreparedLayer(LayerKind Layer, IReadOnlyList<PreparedFeature> Features, ImportReport Report);

/// <summary>
/// Prepares a GeoJSON source for a layer: validates, repairs and measures every feature and maps the standard
/// source fields (case-insensitively) to the layer's typed attributes. Nothing is stored here.
/// </summary>
public static class LayerImport
{
    /// <summary>How stored areas are computed; recorded in every report.</summary>
    public const string AreaMethod =
        "Ellipsoidal area on CGCS2000 (a = 6378137 m, 1/f = 298.257222101), geodesic edges; agrees with PostGIS ST_Area(geography) and GeographicLib Planimeter.";

    /// <summary>Reads and prepares a GeoJSON document for <paramref name="layer"/>.</summary>
    /// <exception cref="SpatialInputException">
    /// The document cannot be read (<see cref="SpatialError.MalformedInput"/>, <see cref="SpatialError.WrongCrs"/>),
    /// or no feature is left to store (<see cref="SpatialError.NothingToImport"/>).
    /// </exception>
    public static PreparedLayer FromGeoJson(LayerKind layer, Stream source)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var document = GeoJsonSource.Read(source);
        var features = new List<PreparedFeature>(document.Features.Count);
        var repaired = new List<FeatureIssue>();
        var rejected = new List<FeatureIssue>();
        foreach (var feature in document.Features)
        {
            var prepared = feature.ReadError is null
                ? FeatureGeometry.Prepare(feature.Geometry)
                : new PreparedGeometry(null, null, feature.ReadError);
            if (prepared.Geometry is null)
            {
                rejected.Add(new FeatureIssue(feature.Index, feature.SourceId, prepared.Rejection ?? "rejected"));
                continue;
            }

            if (prepared.Repair is not null)
            {
                repaired.Add(new FeatureIssue(feature.Index, feature.SourceId, prepared.Repair));
            }

            features.Add(new PreparedFeature(
                feature.Index,
                feature.SourceId,
                prepared.Geometry,
                EllipsoidalArea.Of(prepared.Geometry),
                layer.Fields.Select(f => TypedValue(feature.Properties, f)).ToArray(),
                feature.Properties.GetRawText()));
        }

        if (features.Count == 0)
        {
            var first = rejected.Count > 0 ? $" The first: feature {rejected[0].Index}: {rejected[0].Reason}." : "";
            throw new SpatialInputException(SpatialError.NothingToImport,
                $"No valid polygon feature to import: {document.Features.Count} read, {rejected.Count} rejected.{first}");
        }

        var notes = new List<string>();
        if (document.Crs != $"EPSG:{Srid.Cgcs2000}")
        {
            notes.Add($"Coordinates declared in {document.Crs} (WGS 84) were stored as CGCS2000 without transformation; the two frames agree to within about 1 m in China.");
        }

        var report = new ImportReport(
            document.Crs, document.Features.Count, features.Count, features.Sum(f => f.AreaM2), AreaMethod,
            repaired, rejected, notes);
        return new PreparedLayer(layer, features, report);
    }

    /// <summary>The value of the first source field (case-insensitive) that fills <paramref name="field"/>, typed.</summary>
    private static object? TypedValue(JsonElement properties, LayerField field)
    {
        foreach (var name in field.SourceFields)
        {
            foreach (var property in properties.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return Convert(property.Value, field.Type);
                }
            }
        }

        return null;
    }

    private static object? Convert(JsonElement value, FieldType type) => (type, value.ValueKind) switch
    {
        (_, JsonValueKind.Null or JsonValueKind.Undefined) => null,
        (FieldType.Text, JsonValueKind.String) => value.GetString(),
        (FieldType.Text, _) => value.GetRawText(),
        (FieldType.Number, JsonValueKind.Number) => value.GetDouble(),
        (FieldType.Number, JsonValueKind.String) when double.TryParse(
            value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };
}
