using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>
/// Where the heavy reads go: everything under <c>/ogc</c> and <c>/tiles</c>, the indicators served over HTTP,
/// screening, <c>/health/ready</c>, and the version lookups those make. With one host in <c>ECO_DB</c> it is the
/// service's only data source. With several (an Npgsql multi-host string, <c>Host=primary:5432,standby:5432</c>) it
/// prefers a hot standby (<see cref="TargetSessionAttributes.PreferStandby"/>) and falls back to the primary when no
/// standby answers; so these reads go on while the primary is down, and take their load off it while it is up. Writes
/// never come here: imports, migrations, the DI <see cref="EcoDbContext"/> (<c>/api/layers</c>), the checks' store
/// and ledger (and the indicators they judge, which must see an import at once), statistics and the demo load use
/// the primary <see cref="NpgsqlDataSource"/>.
/// A standby replays the primary's WAL a moment later (replication lag, usually milliseconds): a version just
/// imported may be missing here for that moment, so a read by id right after an import can answer 404 once.
/// </summary>
public sealed class ReadDataSource(NpgsqlDataSource source)
{
    /// <summary>DI key of the services that read through this source rather than the primary.</summary>
    public const string Key = "reads";

    public NpgsqlDataSource Source { get; } = source;
}

/// <summary>
/// How the service reaches PostGIS: data sources with NetTopologySuite mapping, shared by EF and raw SQL. Writes and
/// EF use the primary <see cref="NpgsqlDataSource"/>; the heavy reads a <see cref="ReadDataSource"/>, which is the
/// same data source unless <c>ECO_DB</c> lists several hosts.
/// </summary>
public static class EcoDatabase
{
    /// <summary>The configuration key (and environment variable) holding the Npgsql connection string.</summary>
    public const string ConnectionKey = "ECO_DB";

    /// <summary>EF's table of applied migrations.</summary>
    private const string MigrationsHistory = "__ef_migrations";

    /// <summary>The ids of this build's migrations, read from their attributes (no EF model is built for it).</summary>
    private static readonly string[] Migrations = [.. typeof(EcoDbContext).Assembly.GetTypes()
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id).OfType<string>()];

    /// <summary>The primary: where writes go (the only server, or the one not in recovery among several hosts).</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString) => CreateDataSources(connectionString).Primary;

    /// <summary>
    /// The primary and the read data source over <paramref name="connectionString"/>, both mapping PostGIS geometry to
    /// NetTopologySuite (trap 1 of the stack notes). One host: one data source, returned as both. Several hosts: one
    /// multi-host data source (one pool per host, shared), seen through two target session attributes.
    /// </summary>
    public static (NpgsqlDataSource Primary, ReadDataSource Reads) CreateDataSources(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseNetTopologySuite();
        if (builder.ConnectionStringBuilder.Host?.Contains(',', StringComparison.Ordinal) != true)
        {
            var single = builder.Build();
            return (single, new ReadDataSource(single));
        }

        var hosts = builder.BuildMultiHost();
        return (hosts.WithTargetSession(TargetSessionAttributes.Primary),
            new ReadDataSource(hosts.WithTargetSession(TargetSessionAttributes.PreferStandby)));
    }

    /// <summary>EF options over <paramref name="dataSource"/>, with snake_case names so raw SQL reads naturally.</summary>
    public static TBuilder Configure<TBuilder>(TBuilder options, NpgsqlDataSource dataSource)
        where TBuilder : DbContextOptionsBuilder
    {
        options.UseNpgsql(dataSource, o => o.UseNetTopologySuite().MigrationsHistoryTable(MigrationsHistory))
            .UseSnakeCaseNamingConvention();
        return options;
    }

    /// <summary>The connection string from configuration, or a one-line explanation of what to set.</summary>
    public static string ConnectionString(IConfiguration configuration) =>
        configuration[ConnectionKey] is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{ConnectionKey} is not set: give it an Npgsql connection string to a PostGIS database (./eco up does this for you).");

    /// <summary>
    /// Applies pending migrations (on the primary), with no command timeout: a migration that rewrites or re-indexes
    /// stored versions takes as long as the data it holds (minutes at millions of parcels), not the 30 s of a query.
    /// A database that has every migration of this build already is told by one query of its history, and EF is not
    /// started: building EF's model took a new process (`./eco import`, `./eco check`) over a second before its work.
    /// </summary>
    public static async Task MigrateAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        if (await IsCurrentAsync(dataSource, ct))
        {
            return;
        }

        await using var db = CreateContext(dataSource);
        db.Database.SetCommandTimeout(TimeSpan.Zero);
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>
    /// True when the database's migration history lists every migration of this build; false too when the database
    /// does not exist yet (EF creates it).
    /// </summary>
    public static async Task<bool> IsCurrentAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var exists = dataSource.CreateCommand($"SELECT to_regclass('{MigrationsHistory}') IS NOT NULL");
        try
        {
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                return false;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            return false;
        }

        await using var applied = dataSource.CreateCommand($"SELECT count(*) FROM {MigrationsHistory} WHERE migration_id = ANY($1)");
        applied.Parameters.Add(new() { Value = Migrations });
        return (long)(await applied.ExecuteScalarAsync(ct))! == Migrations.Length;
    }

    /// <summary>A context over <paramref name="dataSource"/>, outside DI (the DI one is over the primary).</summary>
    public static EcoDbContext CreateContext(NpgsqlDataSource dataSource) =>
        new(Configure(new DbContextOptionsBuilder<EcoDbContext>(), dataSource).Options);
}
