using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Layers;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>What the user said about a source, beyond the file itself.</summary>
/// <param name="Crs">The <c>--crs</c> value (<c>EPSG:NNNN</c> or <c>GCJ02</c>); overrides what the file declares.</param>
/// <param name="ToWgs84">The <c>--towgs84</c> value, for Beijing 1954 and Xi'an 1980 sources.</param>
/// <param name="FieldMap">The <c>--map source=target</c> pairs: a source field name to a layer column or standard field name.</param>
/// <param name="Member">The <c>--member</c> value: which layer of a zip or GeoPackage holding several.</param>
public sealed record ImportOptions(
    string? Crs = null,
    string? ToWgs84 = null,
    IReadOnlyList<KeyValuePair<string, string>>? FieldMap = null,
    string? Member = null)
{
    /// <summary>No options: what the file declares is used.</summary>
    public static ImportOptions None { get; } = new();

    /// <summary>Parses <c>--map</c> values (<c>source=target</c>, several separated by commas or given one by one).</summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.InvalidArgument"/> for a value without <c>=</c>.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseMap(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                throw new SpatialInputException(SpatialError.InvalidArgument, $"--map '{part}' is not source=target (e.g. --map 地类编码=DLBM).");
            }

            pairs.Add(new(part[..eq].Trim(), part[(eq + 1)..].Trim()));
        }

        return pairs;
    }

    /// <summary>
    /// The layer field each <see cref="FieldMap"/> pair fills: the target may be the column (<c>class_code</c>) or any
    /// of its standard source names (<c>DLBM</c>), case-insensitively.
    /// </summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.InvalidArgument"/> for an unknown target.</exception>
    public IReadOnlyList<(string Source, LayerField Field)> MappedFields(LayerKind layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var mapped = new List<(string, LayerField)>();
        foreach (var (source, target) in FieldMap ?? [])
        {
            var field = layer.Fields.FirstOrDefault(f => f.Column.Equals(target, StringComparison.OrdinalIgnoreCase)
                    || f.SourceFields.Any(s => s.Equals(target, StringComparison.OrdinalIgnoreCase)))
                ?? throw new SpatialInputException(SpatialError.InvalidArgument,
                    $"--map {source}={target}: layer '{layer.Id}' has no field '{target}'; its fields are {string.Join(", ", layer.Fields.Select(f => $"{f.Column} ({f.SourceFields[0]})"))}.");
            mapped.Add((source, field));
        }

        return mapped;
    }
}
