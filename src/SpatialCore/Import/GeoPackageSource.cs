using System.Globalization;
using EcoSpatial.SpatialCore.Errors;
using Microsoft.Data.Sqlite;
using NetTopologySuite.IO;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// A GeoPackage feature table as an <see cref="IFeatureSource"/>: the only feature table, or the one named by
/// <c>--member</c>; its CRS from <c>gpkg_spatial_ref_sys</c> (the EPSG code when the organisation is EPSG, else the
/// WKT definition); its rows streamed one at a time. The file is opened read-only.
/// </summary>
public sealed class GeoPackageSource : IFeatureSource
{
    private readonly SqliteConnection connection;
    private readonly string table;
    private readonly string geometryColumn;
    private readonly string? keyColumn;
    private readonly List<string> notes = [];

    private GeoPackageSource(SqliteConnection connection, string? member)
    {
        this.connection = connection;
        List<string> tables;
        try
        {
            tables = Strings("SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name");
        }
        catch (SqliteException e)
        {
            throw Malformed($"The file is SQLite but not a GeoPackage (no gpkg_contents table): {e.Message}");
        }

        table = member is null
            ? tables.Count switch
            {
                1 => tables[0],
                0 => throw Malformed("The GeoPackage holds no feature table."),
                _ => throw Malformed($"The GeoPackage holds {tables.Count} feature tables ({string.Join(", ", tables)}); choose one with --member NAME."),
            }
            : tables.FirstOrDefault(t => t.Equals(member, StringComparison.OrdinalIgnoreCase)) ?? throw new SpatialInputException(
                SpatialError.InvalidArgument, $"--member {member}: the GeoPackage has no such feature table; it holds {string.Join(", ", tables)}.");
        if (tables.Count > 1)
        {
            notes.Add($"Read the feature table {table} of the GeoPackage.");
        }

        using (var command = Command("SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = $t"))
        {
            command.Parameters.AddWithValue("$t", table);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                throw Malformed($"The GeoPackage table {table} has no entry in gpkg_geometry_columns.");
            }

            geometryColumn = reader.GetString(0);
            var srsId = reader.GetInt32(1);
            DeclaredCrs = SpatialReference(srsId);
        }

        using (var command = Command("SELECT name FROM pragma_table_info($t) WHERE pk = 1"))
        {
            command.Parameters.AddWithValue("$t", table);
            keyColumn = command.ExecuteScalar() as string;
        }

        using (var command = Command($"SELECT count(*) FROM {Quote(table)}"))
        {
            Count = System.Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }
    }

    /// <inheritdoc/>
    public string Format => "GeoPackage";

    /// <inheritdoc/>
    public string? DeclaredCrs { get; }

    /// <inheritdoc/>
    public int? Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Notes => notes;

    /// <summary>Opens <paramref name="path"/> read-only.</summary>
    /// <exception cref="SpatialInputException">Not a GeoPackage, no (or no such) feature table.</exception>
    public static GeoPackageSource Open(string path, string? member)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            return new GeoPackageSource(connection, member);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Malformed($"The GeoPackage cannot be read: {e.Message}");
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public IEnumerable<SourceFeature> Read()
    {
        var geometryReader = new GeoPackageGeoReader();
        using var command = Command($"SELECT * FROM {Quote(table)}");
        SqliteDataReader reader;
        try
        {
            reader = command.ExecuteReader();
        }
        catch (SqliteException e)
        {
            throw Malformed($"The GeoPackage table {table} cannot be read: {e.Message}");
        }

        using (reader)
        {
            var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            var geometryOrdinal = Array.FindIndex(names, n => n.Equals(geometryColumn, StringComparison.OrdinalIgnoreCase));
            var keyOrdinal = keyColumn is null ? -1 : Array.FindIndex(names, n => n.Equals(keyColumn, StringComparison.OrdinalIgnoreCase));
            var index = 0;
            while (true)
            {
                SourceFeature feature;
                try
                {
                    if (!reader.Read())
                    {
                        break;
                    }

                    var attributes = new List<KeyValuePair<string, object?>>(names.Length);
                    for (var i = 0; i < names.Length; i++)
                    {
                        if (i != geometryOrdinal && i != keyOrdinal)
                        {
                            attributes.Add(new(names[i], reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                            {
                                byte[] => "(binary)",
                                var v => v,
                            }));
                        }
                    }

                    var id = keyOrdinal >= 0 && !reader.IsDBNull(keyOrdinal)
                        ? System.Convert.ToString(reader.GetValue(keyOrdinal), CultureInfo.InvariantCulture)
                        : null;
                    NetTopologySuite.Geometries.Geometry? geometry = null;
                    string? error = null;
                    if (geometryOrdinal < 0 || reader.IsDBNull(geometryOrdinal))
                    {
                        error = "the feature has no geometry";
                    }
                    else
                    {
                        try
                        {
                            geometry = geometryReader.Read((byte[])reader.GetValue(geometryOrdinal));
                        }
                        catch (Exception e) when (e is ParseException or ArgumentException or InvalidOperationException
                            or IOException or FormatException or InvalidCastException or IndexOutOfRangeException)
                        {
                            error = $"unreadable geometry blob: {e.Message}";
                        }
                    }

                    feature = new SourceFeature(index, id, geometry, attributes, error);
                }
                catch (SqliteException e)
                {
                    throw Malformed($"The GeoPackage is corrupt at row {index + 1}: {e.Message}");
                }

                yield return feature;
                index++;
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => connection.Dispose();

    private string? SpatialReference(int srsId)
    {
        using var command = Command("SELECT organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys WHERE srs_id = $id");
        command.Parameters.AddWithValue("$id", srsId);
        using var reader = command.ExecuteReader();
        if (!reader.Read() || srsId is 0 or -1)
        {
            return null;
        }

        var organisation = reader.IsDBNull(0) ? "" : reader.GetString(0);
        return organisation.Equals("EPSG", StringComparison.OrdinalIgnoreCase)
            && CrsCatalogFallback(reader.GetInt32(1)) is { } code
            ? code
            : reader.IsDBNull(2) ? null : reader.GetString(2);
    }

    private static string? CrsCatalogFallback(int code) =>
        EcoSpatial.SpatialCore.Crs.CrsCatalog.FromEpsg(code) is not null ? $"EPSG:{code.ToString(CultureInfo.InvariantCulture)}" : null;

    private SqliteCommand Command(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private List<string> Strings(string sql)
    {
        using var command = Command(sql);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static SpatialInputException Malformed(string message) => new(SpatialError.MalformedInput, message);
}
