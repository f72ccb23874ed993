using System.Text;
using EcoSpatial.SpatialApi.Import;
using EcoSpatial.SpatialApi.Tests.Support;
using Npgsql;
using NpgsqlTypes;

namespace EcoSpatial.SpatialApi.Tests.Import;

/// <summary>Rows written by <see cref="BinaryCopyWriter"/> are stored exactly as Npgsql's own binary importer stores them.</summary>
public class BinaryCopyWriterTests
{
    private const string Columns = "(n bigint, i integer, t text, d double precision, u uuid, j json, g geometry)";

    private static readonly object?[][] Rows =
    [
        [42L, 7, "水田 paddy", 3237.6176461600826, Guid.Parse("e7bfc22f-60de-2d6e-6819-1c6ea7a4ee43"), """{"DLMC":"水田","TBMJ":3237.62}""", "SRID=4490;MULTIPOLYGON(((113 30,113.001 30,113.001 30.001,113 30)))"],
        [-1L, int.MinValue, "", double.NegativeInfinity, Guid.Empty, "[]", null],
        [long.MaxValue, 0, null, -0.0, Guid.NewGuid(), "null", "SRID=4490;POINT(1 2)"],
        [0L, int.MaxValue, new string('长', 40_000), double.Epsilon, Guid.NewGuid(), "{\"k\":\"" + new string('x', 100_000) + "\"}", null],
    ];

    [Fact]
    public async Task Every_value_type_and_NULL_round_trip_as_with_Npgsqls_importer()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await Execute(connection, $"CREATE EXTENSION IF NOT EXISTS postgis; CREATE TABLE ours {Columns}; CREATE TABLE theirs {Columns}");
        var ewkb = await EwkbAsync(connection);

        await using (var stream = await connection.BeginRawBinaryCopyAsync("COPY ours FROM STDIN (FORMAT BINARY)"))
        {
            var writer = new BinaryCopyWriter(stream);
            foreach (var row in Rows)
            {
                writer.StartRow(7);
                writer.Write((long)row[0]!);
                writer.Write((int)row[1]!);
                if (row[2] is string text)
                {
                    writer.Write(text);
                }
                else
                {
                    writer.WriteNull();
                }

                writer.Write((double)row[3]!);
                writer.Write((Guid)row[4]!);
                writer.Write(Encoding.UTF8.GetBytes((string)row[5]!));
                if (row[6] is string geometry)
                {
                    writer.Write(ewkb[geometry]);
                }
                else
                {
                    writer.WriteNull();
                }
            }

            writer.Complete();
        }

        await using (var importer = await connection.BeginBinaryImportAsync("COPY theirs FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in Rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync((long)row[0]!, NpgsqlDbType.Bigint);
                await importer.WriteAsync((int)row[1]!, NpgsqlDbType.Integer);
                await importer.WriteAsync<object>(row[2] ?? DBNull.Value, NpgsqlDbType.Text);
                await importer.WriteAsync((double)row[3]!, NpgsqlDbType.Double);
                await importer.WriteAsync((Guid)row[4]!, NpgsqlDbType.Uuid);
                await importer.WriteAsync((string)row[5]!, NpgsqlDbType.Json);
                await importer.WriteAsync<object>(row[6] is string g ? ewkb[g] : DBNull.Value, NpgsqlDbType.Bytea);
            }

            await importer.CompleteAsync();
        }

        // Row for row, every column: same values (text forms, so −0, ∞ and NULL are compared too) in the same order.
        const string AsText = "SELECT n::text, i::text, t, d::text, u::text, j::text, ST_AsEWKT(g) FROM {0} ORDER BY ctid";
        var ours = await ReadAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, AsText, "ours"));
        var theirs = await ReadAsync(connection, string.Format(System.Globalization.CultureInfo.InvariantCulture, AsText, "theirs"));
        Assert.Equal(Rows.Length, ours.Count);
        Assert.Equal(theirs, ours);
        Assert.Equal("水田 paddy", ours[0][2]);
        Assert.Equal(Rows[0][4]!.ToString(), ours[0][4]);
    }

    [Fact]
    public async Task A_row_with_the_wrong_field_count_is_refused_by_the_server()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await Execute(connection, "CREATE TABLE t (n bigint, i integer)");

        var e = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var stream = await connection.BeginRawBinaryCopyAsync("COPY t FROM STDIN (FORMAT BINARY)");
            var writer = new BinaryCopyWriter(stream);
            writer.StartRow(1);
            writer.Write(1L);
            writer.Complete();
        });

        Assert.Equal(PostgresErrorCodes.BadCopyFileFormat, e.SqlState);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM t", connection);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
    }

    private static async Task<Dictionary<string, byte[]>> EwkbAsync(NpgsqlConnection connection)
    {
        var ewkb = new Dictionary<string, byte[]>();
        foreach (var wkt in Rows.Select(r => r[6]).OfType<string>())
        {
            await using var command = new NpgsqlCommand("SELECT ST_AsEWKB($1::geometry)", connection);
            command.Parameters.Add(new() { Value = wkt });
            ewkb[wkt] = (byte[])(await command.ExecuteScalarAsync())!;
        }

        return ewkb;
    }

    private static async Task<List<string?[]>> ReadAsync(NpgsqlConnection connection, string sql)
    {
        var rows = new List<string?[]>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]);
        }

        return rows;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
