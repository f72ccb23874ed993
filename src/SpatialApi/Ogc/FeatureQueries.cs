using System.Text;
using EcoSpatial.SpatialCore;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Layers;
using Npgsql;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>A parameterised SQL text ($1, $2, …) and its arguments.</summary>
public sealed record SqlQuery(string Text, IReadOnlyList<object> Arguments)
{
    public NpgsqlCommand CreateCommand(NpgsqlDataSource dataSource)
    {
        var command = dataSource.CreateCommand(Text);
        foreach (var argument in Arguments)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = argument });
        }

        return command;
    }
}

/// <summary>
/// The SQL behind OGC API Features. PostGIS writes each geometry as GeoJSON; the service only frames it.
/// Table and column names come from <see cref="LayerCatalog"/>; every value from the request is a parameter.
/// Every query returns the columns <c>id, feature_index, geometry (GeoJSON text), properties…</c> in
/// <see cref="ItemsRequest.Properties"/> order.
/// </summary>
public static class FeatureQueries
{
    /// <summary>The ellipsoidal area (m²) stored with each feature, offered as a property besides the typed columns.</summary>
    public const string AreaProperty = "area_m2";

    /// <summary>The properties a feature of <paramref name="layer"/> carries: its typed columns, then <see cref="AreaProperty"/>.</summary>
    public static IReadOnlyList<string> PropertyNames(LayerKind layer) => [.. layer.Fields.Select(f => f.Column), AreaProperty];

    /// <summary>
    /// The properties named by a <c>properties</c> parameter (comma-separated), in <see cref="PropertyNames"/> order;
    /// all of them when the parameter is absent, none when it is empty.
    /// </summary>
    /// <exception cref="SpatialInputException">InvalidArgument: a name that is not a property of the layer.</exception>
    public static List<string> SelectProperties(LayerKind layer, string? list)
    {
        var all = PropertyNames(layer);
        if (list is null)
        {
            return [.. all];
        }

        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !all.Contains(n)).ToList();
        return unknown.Count == 0
            ? [.. all.Where(names.Contains)]
            : throw new SpatialInputException(SpatialError.InvalidArgument,
                $"Unknown properties {string.Join(", ", unknown)}; the properties of '{layer.Id}' are {string.Join(", ", all)}.");
    }

    /// <summary>
    /// One page of a version's features, in <c>feature_index</c> order (keyset: <c>feature_index &gt; cursor</c>,
    /// served by the <c>(version_id, feature_index)</c> index), optionally by bbox and attribute equality.
    /// Asks for <c>limit + 1</c> rows: the extra row only tells that a next page exists.
    /// </summary>
    public static SqlQuery Items(ItemsRequest request, long versionId)
    {
        var arguments = new List<object> { versionId };
        var sql = new StringBuilder(Select(request.Layer, request.Crs, request.Properties));
        sql.Append(" WHERE t.version_id = $1");
        if (request.AfterIndex is { } after)
        {
            arguments.Add(after);
            sql.Append($" AND t.feature_index > ${arguments.Count}");
        }

        if (request.Bbox is { } box)
        {
            arguments.AddRange([box[0], box[1], box[2], box[3]]);
            var n = arguments.Count;
            var envelope = $"ST_MakeEnvelope(${n - 3}, ${n - 2}, ${n - 1}, ${n}, {request.BboxCrs.Srid})";
            sql.Append(request.BboxCrs.SameDatumAsStorage
                ? $" AND ST_Intersects(t.geom, ST_SetSRID({envelope}, {Srid.Cgcs2000}))"
                : $" AND ST_Intersects(t.geom, ST_Transform({envelope}, {Srid.Cgcs2000}))");
        }

        foreach (var filter in request.Filters)
        {
            arguments.Add(filter.Value);
            sql.Append($" AND t.{filter.Field.Column} = ${arguments.Count}");
        }

        sql.Append(" ORDER BY t.feature_index");
        arguments.Add(request.Limit + 1);
        sql.Append($" LIMIT ${arguments.Count}");
        if (request.Offset > 0)
        {
            arguments.Add(request.Offset);
            sql.Append($" OFFSET ${arguments.Count}");
        }

        return new SqlQuery(sql.ToString(), arguments);
    }

    /// <summary>
    /// One feature of a layer by its id (any version), found by the position the id names (<see cref="FeatureIds.Position"/>):
    /// one probe of the <c>(version_id, feature_index)</c> index of one partition. Null for a number no feature can have.
    /// </summary>
    public static SqlQuery? Item(LayerKind layer, long id, OgcCrs crs) => FeatureIds.Position(id) is (var versionId, var featureIndex)
        ? new SqlQuery(Select(layer, crs, PropertyNames(layer)) + " WHERE t.version_id = $1 AND t.feature_index = $2", [versionId, featureIndex])
        : null;

    /// <summary>The CRS84 bounding box (xmin, ymin, xmax, ymax) of a version; 4490 and CRS84 coordinates coincide.</summary>
    public static SqlQuery Extent(LayerKind layer, long versionId) => new(
        $"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM {layer.Table} WHERE version_id = $1) x",
        [versionId]);

    /// <summary>
    /// <c>SELECT id, feature_index, geometry, properties… FROM table t</c>. The geometry is oriented counter-clockwise
    /// (RFC 7946), transformed only for projected CRSs (EPSG:4490 to 4326 is an identity in PostGIS, so CRS84 is the
    /// stored coordinates), swapped to the authority's axis order when the CRS has northing first, and written
    /// with options 0 (no legacy <c>crs</c> member). The SRID and precision come from <see cref="OgcCrs.Supported"/>.
    /// </summary>
    private static string Select(LayerKind layer, OgcCrs crs, IReadOnlyList<string> properties)
    {
        var geometry = "ST_ForcePolygonCCW(t.geom)";
        if (!crs.SameDatumAsStorage)
        {
            geometry = $"ST_Transform({geometry}, {crs.Srid})";
        }

        if (crs.NorthingFirst)
        {
            geometry = $"ST_FlipCoordinates({geometry})";
        }

        var columns = string.Concat(properties.Select(p => ", t." + Column(layer, p)));
        return $"SELECT t.id, t.feature_index, ST_AsGeoJSON({geometry}, {(crs.Geographic ? 9 : 3)}, 0){columns} FROM {layer.Table} t";
    }

    /// <summary>The column of a property name; only names from <see cref="PropertyNames"/> ever reach SQL.</summary>
    private static string Column(LayerKind layer, string property) =>
        property == AreaProperty ? "area_m2"
        : layer.Fields.Single(f => f.Column == property).Column;
}
