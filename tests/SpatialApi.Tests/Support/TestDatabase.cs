using Npgsql;

namespace EcoSpatial.SpatialApi.Tests.Support;

/// <summary>
/// A fresh, empty PostGIS database for one fixture, created on the server named by <c>ECO_TEST_DB</c>
/// (./eco test starts a throwaway PostGIS and sets it) and dropped afterwards. Never anything but real PostGIS.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string adminConnection;

    private TestDatabase(string adminConnection, string name)
    {
        this.adminConnection = adminConnection;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(adminConnection) { Database = name, Pooling = false }.ConnectionString;
    }

    public string Name { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("ECO_TEST_DB") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "ECO_TEST_DB is not set: run the tests with ./eco test, or point ECO_TEST_DB at a PostGIS server (connection string with CREATE DATABASE rights).");
        var database = new TestDatabase(admin, $"eco_test_{Guid.NewGuid():N}");
        await database.ExecuteAdminAsync($"CREATE DATABASE {database.Name}");
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS postgis", connection);
        await command.ExecuteNonQueryAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAdminAsync($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
    }

    /// <summary>Runs one SQL statement in this database and returns the first column of the first row.</summary>
    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(adminConnection);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
