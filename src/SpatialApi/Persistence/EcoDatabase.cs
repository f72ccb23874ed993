using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>How the service reaches PostGIS: one data source with NetTopologySuite mapping, shared by EF and raw SQL.</summary>
public static class EcoDatabase
{
    /// <summary>The configuration key (and environment variable) holding the Npgsql connection string.</summary>
    public const string ConnectionKey = "ECO_DB";

    /// <summary>A data source that maps PostGIS geometry to NetTopologySuite (trap 1 of the stack notes).</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        return builder.Build();
    }

    /// <summary>EF options over <paramref name="dataSource"/>, with snake_case names so raw SQL reads naturally.</summary>
    public static TBuilder Configure<TBuilder>(TBuilder options, NpgsqlDataSource dataSource)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(dataSource, o => o.UseNetTopologySuite().MigrationsHistoryTable("__ef_migrations"))
            .UseSnakeCaseNamingConvention();
        return options;
    }

    /// <summary>The connection string from configuration, or a one-line explanation of what to set.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration[ConnectionKey] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ConnectionKey} is not set: give it an Npgsql connection string to a PostGIS database (./eco up does this for you).");

    /// <summary>Applies pending migrations.</summary>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var db = new EcoDbContext(Configure(new DbContextOptionsBuilder<EcoDbContext>(), dataSource).Options);
        await db.Database.MigrateAsync(ct);
    }
}
