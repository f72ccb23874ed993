using System.Text.Json;
using EcoSpatial.SpatialApi.Import;
using EcoSpatial.SpatialApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace EcoSpatial.SpatialApi.Startup;

/// <summary>
/// Runs before the server listens: applies migrations, loads the demo city into an empty database
/// (unless <c>ECO_LOAD_DEMO=false</c>), and warms up EF so the first request is not slow.
/// </summary>
internal sealed class DatabaseStartup(
    NpgsqlDataSource dataSource, IServiceScopeFactory scopes, IConfiguration configuration,
    IHostEnvironment environment, ILogger<DatabaseStartup> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await EcoDatabase.MigrateAsync(dataSource, ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EcoDbContext>();
        var empty = !await db.LayerVersions.AnyAsync(ct);
        if (empty && configuration.GetValue("ECO_LOAD_DEMO", true))
        {
            var folder = Path.GetFullPath(configuration["ECO_DEMO_DIR"] ?? "data/geo/demo", environment.ContentRootPath);
            await DemoLoader.LoadAsync(dataSource, folder, log, ct);
        }

        if (configuration.GetValue("ECO_LOAD_DEMO", true))
        {
            await Checks.DemoChecks.EnsureAsync(dataSource, log, ct);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Imports the demo city listed in <c>manifest.json</c> (made by <c>./eco gen</c>), in order.</summary>
public static class DemoLoader
{
    private sealed record Entry(string Layer, string File, string AsOf, string? Label, string? Approval);

    public static async Task LoadAsync(NpgsqlDataSource dataSource, string folder, ILogger log, CancellationToken ct)
    {
        var manifest = Path.Combine(folder, "manifest.json");
        if (!File.Exists(manifest))
        {
            log.LogWarning("No demo data at {Manifest}; the database stays empty", manifest);
            return;
        }

        var entries = JsonSerializer.Deserialize<List<Entry>>(await File.ReadAllTextAsync(manifest, ct), JsonSerializerOptions.Web) ?? [];
        foreach (var entry in entries)
        {
            var request = VersionRequest.Parse(entry.Layer, entry.AsOf, entry.Label, entry.Approval, entry.File);
            var started = System.Diagnostics.Stopwatch.StartNew();
            var version = await VersionImporter.ImportAsync(dataSource, request, Path.Combine(folder, entry.File), "demo-loader", ct);
            log.LogInformation("Demo: {Layer} '{Label}' as of {AsOf}: {Count} features in {Seconds:F1} s",
                version.Layer, version.Label, version.AsOf, version.FeatureCount, started.Elapsed.TotalSeconds);
        }
    }
}
