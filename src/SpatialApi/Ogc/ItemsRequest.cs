using System.Globalization;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Layers;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>An equality filter on a typed attribute (<c>DLBM=0301</c> or <c>class_code=0301</c>).</summary>
public sealed record AttributeFilter(LayerField Field, object Value);

/// <summary>
/// A validated <c>/ogc/collections/{layer}/items</c> request. Every query parameter is either one of
/// <see cref="Reserved"/> or an attribute filter named by a typed column or one of its source field names
/// (case-insensitive); anything else is refused (OGC <c>/req/core/query-param-unknown</c>).
/// </summary>
public sealed record ItemsRequest(
    LayerKind Layer,
    int Limit,
    long Offset,
    int? AfterIndex,
    double[]? Bbox,
    OgcCrs BboxCrs,
    OgcCrs Crs,
    IReadOnlyList<string> Properties,
    IReadOnlyList<AttributeFilter> Filters,
    string? Datetime,
    string? Version)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 10_000;

    /// <summary>The parameters of the items resource other than attribute filters.</summary>
    public static IReadOnlyList<string> Reserved { get; } =
        ["f", "limit", "offset", "cursor", "bbox", "bbox-crs", "datetime", "version", "properties", "crs"];

    /// <summary>True when the result is the whole selected version, so its stored feature count is numberMatched.</summary>
    public bool Unfiltered => Bbox is null && Filters.Count == 0;

    /// <exception cref="SpatialInputException">InvalidArgument for an unknown parameter or a bad value.</exception>
    public static ItemsRequest Parse(LayerKind layer, IQueryCollection query)
    {
        var filters = new List<AttributeFilter>();
        foreach (var (key, values) in query)
        {
            if (values.Count > 1)
            {
                throw Invalid($"Parameter '{key}' is given {values.Count} times; give it once.");
            }

            if (Reserved.Contains(key))
            {
                continue;
            }

            var field = layer.Fields.FirstOrDefault(f => f.Column.Equals(key, StringComparison.OrdinalIgnoreCase)
                || f.SourceFields.Any(s => s.Equals(key, StringComparison.OrdinalIgnoreCase)))
                ?? throw Invalid($"Unknown parameter '{key}'. The parameters are {string.Join(", ", Reserved)}, and attribute "
                    + $"filters on {string.Join(", ", layer.Fields.Select(f => $"{f.Column} ({string.Join("/", f.SourceFields)})"))}.");
            filters.Add(new AttributeFilter(field, FilterValue(field, values.ToString())));
        }

        var crs = OgcCrs.Parse(query["crs"], "crs");
        var bboxCrs = OgcCrs.Parse(query["bbox-crs"], "bbox-crs");
        if (query.ContainsKey("bbox-crs") && !query.ContainsKey("bbox"))
        {
            throw Invalid("'bbox-crs' is given without 'bbox'.");
        }

        return new ItemsRequest(
            layer,
            ParseLimit(query["limit"]),
            Integer(query["offset"], "offset") ?? 0,
            (int?)Integer(query["cursor"], "cursor"),
            ParseBbox(query["bbox"], bboxCrs),
            bboxCrs,
            crs,
            FeatureQueries.SelectProperties(layer, query["properties"]),
            filters,
            query["datetime"],
            query["version"]);
    }

    private static int ParseLimit(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return DefaultLimit;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
        {
            throw Invalid($"'limit' must be a whole number from 1 (larger than {MaxLimit} is read as {MaxLimit}); got '{text}'.");
        }

        return (int)Math.Min(limit, MaxLimit);
    }

    private static long? Integer(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= int.MaxValue
            ? value
            : throw Invalid($"'{name}' must be a whole number from 0; got '{text}'.");
    }

    /// <summary>minx,miny,maxx,maxy in the bbox CRS's axis order (6 numbers: the heights are ignored), returned as x/y.</summary>
    private static double[]? ParseBbox(string? text, OgcCrs crs)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var parts = text.Split(',');
        var numbers = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]) || !double.IsFinite(numbers[i]))
            {
                throw Invalid($"'bbox' must be 4 (or 6) comma-separated numbers; got '{text}'.");
            }
        }

        double[] box = numbers.Length switch
        {
            4 => numbers,
            6 => [numbers[0], numbers[1], numbers[3], numbers[4]],
            _ => throw Invalid($"'bbox' must be 4 (or 6) comma-separated numbers; got '{text}'."),
        };
        if (crs.NorthingFirst)
        {
            box = [box[1], box[0], box[3], box[2]];
        }

        return box[0] <= box[2] && box[1] <= box[3]
            ? box
            : throw Invalid($"'bbox' must give its lower corner first (min ≤ max on both axes, in the axis order of its CRS); got '{text}'.");
    }

    private static object FilterValue(LayerField field, string text) => field.Type switch
    {
        FieldType.Number => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Invalid($"The filter on '{field.Column}' needs a number; got '{text}'."),
        _ => text,
    };

    private static SpatialInputException Invalid(string message) => new(SpatialError.InvalidArgument, message);
}
