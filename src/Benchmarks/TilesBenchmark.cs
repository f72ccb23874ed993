using System.Globalization;
using System.Text;
using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialApi.Tiles;
using EcoSpatial.SpatialCore.Layers;
using Microsoft.Extensions.DependencyInjection;
using static EcoSpatial.Benchmarks.Timing;

namespace EcoSpatial.Benchmarks;

/// <summary>
/// Vector tiles at zooms 12–14 over the middle of the city (3 × 3 tiles per zoom): the service with its cache
/// cleared before every request against <see cref="TileQueries.Tile"/> run raw through Npgsql, interleaved; then
/// the same tiles from the cache; and the size of a tile per zoom.
/// </summary>
public sealed class TilesBenchmark : IBenchmarkSuite
{
    public string Name => "tiles";

    public string Summary => "MVT tiles z12–14: uncached service vs raw ST_AsMVT, cached tiles, sizes per zoom";

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var layer = LayerCatalog.Landuse;
        var version = await VersionLookup.InForceAsync(context.DataSource, layer.Id, null, ct)
            ?? throw new InvalidOperationException("No land-use version in the database: load the demo (./eco up) first.");
        var extent = await BenchData.ExtentAsync(context.DataSource, layer.Table, version.Id, ct);
        var (lon, lat) = ((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2);
        var cache = context.App.Services.GetRequiredService<TileCache>();
        var properties = FeatureQueries.PropertyNames(layer);

        var tiles = new List<TileAddress>();
        foreach (var z in new[] { 12, 13, 14 })
        {
            var (cx, cy) = TileOf(lon, lat, z);
            for (var dx = -1; dx <= 1; dx++)
            {
                for (var dy = -1; dy <= 1; dy++)
                {
                    tiles.Add(new TileAddress(z, cx + dx, cy + dy));
                }
            }
        }

        string Url(TileAddress t) => $"/tiles/landuse/{t.Z}/{t.X}/{t.Y}.mvt?version={version.Id}";
        async Task RawAsync(TileAddress t)
        {
            await using var command = TileQueries.Tile(layer, version.Id, t, properties).CreateCommand(context.DataSource);
            _ = await command.ExecuteScalarAsync(ct);
        }

        foreach (var t in tiles)
        {
            cache.Clear();
            await context.Http.GetByteArrayAsync(Url(t), ct);
            await RawAsync(t);
        }

        var rounds = context.Rounds(5, 2);
        var service = new List<double>();
        var raw = new List<double>();
        var ratios = new List<double>();
        var bytes = new Dictionary<int, List<int>>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var t in tiles)
            {
                cache.Clear();
                var size = 0;
                var s = await MillisecondsAsync(async () => size = (await context.Http.GetByteArrayAsync(Url(t), ct)).Length);
                var r = await MillisecondsAsync(() => RawAsync(t));
                service.Add(s);
                raw.Add(r);
                ratios.Add(s / r);
                (bytes.TryGetValue(t.Z, out var list) ? list : bytes[t.Z] = []).Add(size);
            }
        }

        var cached = new List<double>();
        foreach (var t in tiles)
        {
            await context.Http.GetByteArrayAsync(Url(t), ct);
        }

        for (var round = 0; round < context.Rounds(20, 5); round++)
        {
            foreach (var t in tiles)
            {
                cached.Add(await MillisecondsAsync(async () => await context.Http.GetByteArrayAsync(Url(t), ct)));
            }
        }

        var lowZoom = new List<string>();
        foreach (var z in new[] { 6, 8, 10 })
        {
            var (x, y) = TileOf(lon, lat, z);
            var size = (await context.Http.GetByteArrayAsync(Url(new TileAddress(z, x, y)), ct)).Length;
            lowZoom.Add($"z{z}: {N(size / 1024.0)} KiB");
        }

        var dataSet = $"demo: land use '{version.Label}' (version {version.Id}), {tiles.Count} tiles z12–14 around the centre";
        context.Record(BenchResult.FromSamples("tile z12–14, service HTTP, cache cleared", dataSet, service, "ms") with
        {
            Comparison = "raw SQL TileQueries.Tile (ST_AsMVT) through Npgsql",
            ComparisonMedian = Median(raw),
            Ratio = Median(ratios),
            Throughput = 1000 / Median(service),
            ThroughputUnit = "tiles/s (one client)",
            Figures = new Dictionary<string, double> { ["ratioOfMedians"] = Median(service) / Median(raw) },
        });
        context.Record(BenchResult.FromSamples("tile z12–14, raw SQL ST_AsMVT", dataSet, raw, "ms") with
        {
            Throughput = 1000 / Median(raw), ThroughputUnit = "tiles/s (one client)",
        });
        context.Record(BenchResult.FromSamples("tile z12–14, service HTTP, cached", dataSet, cached, "ms") with
        {
            Throughput = 1000 / Median(cached),
            ThroughputUnit = "tiles/s (one client)",
            Figures = new Dictionary<string, double> { ["p99Ms"] = Percentile(cached, 0.99) },
        });

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"Data: land use '{version.Label}' (version {version.Id}), {N(version.FeatureCount)} parcels; "
            + $"{tiles.Count} tiles (3 × 3 around the city centre at z12, z13, z14), {rounds} rounds after a warm-up round, all properties.");
        report.AppendLine();
        report.AppendLine("| | p50 ms | p10 ms | p90 ms | tiles/s, one client (p50) |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| service, cache cleared before each request (HTTP) | {F(Median(service))} | {F(Percentile(service, 0.1))} | {F(Percentile(service, 0.9))} | {F(1000 / Median(service), 1)} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| raw SQL, same query (`TileQueries.Tile`, `ST_AsMVT`), Npgsql | {F(Median(raw))} | {F(Percentile(raw, 0.1))} | {F(Percentile(raw, 0.9))} | {F(1000 / Median(raw), 1)} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| **ratio service / raw** (p50 of per-tile ratios; ratio of p50s {F(Median(service) / Median(raw))}×) | **{F(Median(ratios))}×** (target ≤ 1.1×) | | | |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| service, cached tile (HTTP) | **{F(Median(cached), 3)}** (target < 2 ms) | {F(Percentile(cached, 0.1), 3)} | {F(Percentile(cached, 0.9), 3)} (p99 {F(Percentile(cached, 0.99), 3)}) | {N(1000 / Median(cached))} |");
        report.AppendLine();
        report.AppendLine("Mean tile size: " + string.Join(", ", bytes.OrderBy(b => b.Key).Select(b => $"z{b.Key}: {N(b.Value.Average() / 1024.0)} KiB"))
            + "; the centre tile at lower zooms (simplified by one pixel, features under 2 × 2 pixels left out): " + string.Join(", ", lowZoom) + ". "
            + $"Peak memory of this process (service + client) during the suite: {N(PeakMemory.Megabytes())} MB.");
        return report.ToString();
    }

    /// <summary>XYZ tile of a lon/lat point.</summary>
    internal static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = Math.Pow(2, z);
        var latRad = lat * Math.PI / 180;
        return ((int)Math.Floor((lon + 180) / 360 * n), (int)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n));
    }
}
