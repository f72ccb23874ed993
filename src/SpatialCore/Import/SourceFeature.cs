using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>One feature as read from a source file, before validation, in the source's CRS.</summary>
/// <param name="Index">0-based position in the source.</param>
/// <param name="SourceId">The feature's id in the source (GeoJSON <c>id</c>, GeoPackage primary key), when it has one.</param>
/// <param name="Geometry">The geometry in source coordinates, or null when absent or unreadable (see <paramref name="ReadError"/>).</param>
/// <param name="Attributes">
/// The feature's attributes in source order. Values are <see cref="string"/>, <see cref="double"/>, <see cref="long"/>,
/// <see cref="bool"/>, <see cref="DateTime"/>, <see cref="System.Text.Json.JsonElement"/> (nested GeoJSON values) or null.
/// </param>
/// <param name="ReadError">Why the geometry could not be read, or null.</param>
public sealed record SourceFeature(
    int Index, string? SourceId, Geometry? Geometry, IReadOnlyList<KeyValuePair<string, object?>> Attributes, string? ReadError);

/// <summary>
/// The seam between file formats and the import: one reader per format yields <see cref="SourceFeature"/>s one at a
/// time (streaming: nothing but the current feature is held), and says what CRS the file declares.
/// </summary>
public interface IFeatureSource : IDisposable
{
    /// <summary>The format, for reports: <c>GeoJSON</c>, <c>Shapefile</c>, <c>GeoPackage</c>.</summary>
    string Format { get; }

    /// <summary>
    /// The CRS the file declares: <c>EPSG:NNNN</c>, <c>OGC:CRS84</c>, or WKT text (<c>.prj</c>, GeoPackage definition);
    /// null when it declares none.
    /// </summary>
    string? DeclaredCrs { get; }

    /// <summary>The number of features, when the format says so up front (for progress), else null.</summary>
    int? Count { get; }

    /// <summary>What the user should know about how the file was read (encoding chosen, member read, …).</summary>
    IReadOnlyList<string> Notes { get; }

    /// <summary>The features in file order. Enumerate once.</summary>
    /// <exception cref="Errors.SpatialInputException">The file turns out to be malformed while reading.</exception>
    IEnumerable<SourceFeature> Read();
}
