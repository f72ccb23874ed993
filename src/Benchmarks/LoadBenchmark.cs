using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialApi.Tiles;
using EcoSpatial.SpatialCore.Layers;
using Microsoft.Extensions.DependencyInjection;
using static EcoSpatial.Benchmarks.Timing;

namespace EcoSpatial.Benchmarks;

/// <summary>
/// <c>./eco bench load</c>: the service in this process on loopback, and N concurrent clients (default 16, then 64)
/// each sending one request after another for a bounded time (default 20 s per level): three in four a land-use
/// vector tile at z12–14 anywhere over the city, one in four an OGC items page (limit 100–1000, a random bbox in the
/// city). Reports requests/s, p50/p90/p99 latency per kind, and errors (statuses other than 2xx/304, exceptions).
/// </summary>
/// <remarks>
/// Bounded: no request starts after the level's time is up, each has a 30 s timeout, and whatever still runs
/// 30 s after the end is cancelled and counted as cut. The tile cache is cleared before each level, so every level
/// starts cold and then serves repeats from the cache as a map server would.
/// </remarks>
public sealed class LoadBenchmark : IBenchmarkSuite
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly int[] Limits = [100, 250, 500, 1000];

    public string Name => "load";

    public string Summary => "N concurrent clients (16, 64) on loopback for a bounded time: tiles z12–14 and items pages, req/s, p50/p99, errors";

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var seconds = Environment.GetEnvironmentVariable("ECO_BENCH_LOAD_SECONDS") is { Length: > 0 } s
            ? Math.Clamp(double.Parse(s, CultureInfo.InvariantCulture), 1, 600)
            : context.Quick ? 5 : 20;
        var levels = Environment.GetEnvironmentVariable("ECO_BENCH_LOAD_CLIENTS") is { Length: > 0 } c
            ? c.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => Math.Clamp(int.Parse(v, CultureInfo.InvariantCulture), 1, 1024)).ToArray()
            : [16, 64];

        var layer = LayerCatalog.Landuse;
        var version = await VersionLookup.InForceAsync(context.DataSource, layer.Id, null, ct)
            ?? throw new InvalidOperationException("No land-use version in the database: load the demo (./eco up) first.");
        var extent = await BenchData.ExtentAsync(context.DataSource, layer.Table, version.Id, ct);
        var mix = new RequestMix(version.Id, extent);
        var cache = context.App.Services.GetRequiredService<TileCache>();

        // Warm-up, not counted: JIT, connection pools, the version lookups.
        cache.Clear();
        await RunLevelAsync(context.BaseAddress, mix, 4, TimeSpan.FromSeconds(context.Quick ? 1 : 3), ct);

        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Data: land use '{version.Label}' (version {version.Id}), {N(version.FeatureCount)} parcels. Each client sends one request after another for "
            + $"{F(seconds, 0)} s: 3 in 4 a tile `/tiles/landuse/{{z}}/{{x}}/{{y}}.mvt` at z12–14 uniformly over the city's {N(mix.TileCount)} tiles, "
            + $"1 in 4 an items page `/ogc/collections/landuse/items` with limit 100, 250, 500 or 1000 and a random bbox of 5–20 % of the city's width and height; "
            + $"both pinned to the version as TileJSON and next links do. The tile cache is cleared before each level; a warm-up is not counted. "
            + $"Service and clients share this process and the 2 cores with PostgreSQL.");
        report.AppendLine();
        report.AppendLine("| clients | kind | requests | req/s | p50 ms | p90 ms | p99 ms | MB/s | errors (non-2xx/304) | exceptions | peak memory MB |");
        report.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var misses = new List<string>();
        foreach (var clients in levels)
        {
            cache.Clear();
            PeakMemory.Reset();
            var level = await RunLevelAsync(context.BaseAddress, mix, clients, TimeSpan.FromSeconds(seconds), ct);
            var peak = PeakMemory.Megabytes();
            var tileRequests = level.Samples.Where(x => x.Kind == "tile").ToList();
            misses.Add($"{clients} clients {N(tileRequests.Select(x => x.Url).Distinct().Count())} of {N(tileRequests.Count)}");
            foreach (var kind in new[] { "tile", "items", "all" })
            {
                var done = level.Samples.Where(x => kind == "all" || x.Kind == kind).ToList();
                if (done.Count == 0)
                {
                    continue;
                }

                var ok = done.Where(x => x.Ok).Select(x => x.Milliseconds).ToList();
                var errors = done.Count(x => x.Status is not null && !x.Ok);
                var exceptions = done.Count(x => x.Status is null);
                var rate = done.Count / level.Seconds;
                var megabytes = done.Sum(x => x.Bytes) / 1048576.0 / level.Seconds;
                var (p50, p90, p99) = ok.Count > 0 ? (Percentile(ok, 0.5), Percentile(ok, 0.9), Percentile(ok, 0.99)) : (0, 0, 0);
                var label = kind switch { "tile" => "tiles z12–14", "items" => "items pages", _ => "**all**" };
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {clients} | {label} | {N(done.Count)} | {(kind == "all" ? "**" + F(rate, 1) + "**" : F(rate, 1))} | {F(p50, 1)} | {F(p90, 1)} | {F(p99, 1)} | "
                    + $"{F(megabytes, 1)} | {errors}{Statuses(done)} | {exceptions}{Exceptions(done)} | {(kind == "all" ? N(peak) : "")} |");
                var figures = new Dictionary<string, double>
                {
                    ["clients"] = clients,
                    ["seconds"] = level.Seconds,
                    ["p99Ms"] = p99,
                    ["errors"] = errors,
                    ["exceptions"] = exceptions,
                    ["cutAtEnd"] = kind == "all" ? level.Cut : 0,
                    ["megabytesPerSecond"] = megabytes,
                };
                if (kind != "items")
                {
                    figures["distinctTiles"] = level.Samples.Where(x => x.Kind == "tile").Select(x => x.Url).Distinct().Count();
                }

                context.Record(new BenchResult
                {
                    Case = $"load {clients} clients, {(kind == "all" ? "all requests" : label)}",
                    DataSet = $"demo: land use '{version.Label}' (version {version.Id})",
                    N = ok.Count,
                    Median = p50,
                    P10 = ok.Count > 0 ? Percentile(ok, 0.1) : null,
                    P90 = p90,
                    Min = ok.Count > 0 ? ok.Min() : null,
                    Max = ok.Count > 0 ? ok.Max() : null,
                    Unit = "ms",
                    Throughput = rate,
                    ThroughputUnit = "requests/s",
                    PeakMemoryMb = peak,
                    Figures = figures,
                });
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"eco bench load: {clients} clients, {level.Samples.Count} requests in {level.Seconds:F1} s, load average {Machine.LoadAverageText()}"));
        }

        report.AppendLine();
        report.AppendLine($"Distinct tiles among the tile requests (each one's first request is made uncached, the repeats come from the cache): {string.Join("; ", misses)}.");
        report.AppendLine("Latencies are of successful requests, from sending to the last byte of the body read; req/s counts every finished request over "
            + "the level's wall time (including the tail after the deadline, at most 30 s). Peak memory is the resident set of this process (service + clients) during the level.");
        return report.ToString();
    }

    private static string Statuses(List<Sample> samples) =>
        samples.Where(x => x.Status is not null && !x.Ok).GroupBy(x => x.Status!.Value).Select(g => $"{(int)g.Key}×{g.Count()}") is var parts && parts.Any()
            ? " (" + string.Join(", ", parts) + ")"
            : "";

    private static string Exceptions(List<Sample> samples) =>
        samples.Where(x => x.Status is null).GroupBy(x => x.Error).Select(g => $"{g.Key}×{g.Count()}") is var parts && parts.Any()
            ? " (" + string.Join(", ", parts) + ")"
            : "";

    private static async Task<Level> RunLevelAsync(Uri baseAddress, RequestMix mix, int clients, TimeSpan duration, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = RequestTimeout };
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        hardStop.CancelAfter(duration + RequestTimeout);
        var clock = Stopwatch.StartNew();
        var cut = 0;
        var tasks = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(1000 + client);
            var samples = new List<Sample>();
            while (clock.Elapsed < duration && !hardStop.IsCancellationRequested)
            {
                var (kind, url) = mix.Next(random);
                var started = clock.Elapsed;
                try
                {
                    using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, hardStop.Token);
                    var body = await response.Content.ReadAsByteArrayAsync(hardStop.Token);
                    var ms = (clock.Elapsed - started).TotalMilliseconds;
                    var ok = response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified;
                    samples.Add(new Sample(kind, url, ms, response.StatusCode, ok, body.Length, null));
                }
                catch (OperationCanceledException) when (hardStop.IsCancellationRequested)
                {
                    if (ct.IsCancellationRequested)
                    {
                        throw;
                    }

                    Interlocked.Increment(ref cut);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    var name = e is TaskCanceledException ? "timeout" : e.GetType().Name;
                    samples.Add(new Sample(kind, url, (clock.Elapsed - started).TotalMilliseconds, null, false, 0, name));
                }
            }

            return samples;
        }, ct)).ToList();
        var all = (await Task.WhenAll(tasks)).SelectMany(x => x).ToList();
        return new Level(all, clock.Elapsed.TotalSeconds, cut);
    }

    private sealed record Sample(string Kind, string Url, double Milliseconds, HttpStatusCode? Status, bool Ok, long Bytes, string? Error);

    private sealed record Level(List<Sample> Samples, double Seconds, int Cut);

    /// <summary>The requests: tiles over the city at z12–14 and items pages with random bboxes in it.</summary>
    private sealed class RequestMix
    {
        private readonly long version;
        private readonly double[] extent;
        private readonly (int Z, int X0, int X1, int Y0, int Y1)[] ranges;

        public RequestMix(long version, double[] extent)
        {
            this.version = version;
            this.extent = extent;
            ranges = [.. new[] { 12, 13, 14 }.Select(z =>
            {
                var (x0, y0) = TilesBenchmark.TileOf(extent[0], extent[3], z);
                var (x1, y1) = TilesBenchmark.TileOf(extent[2], extent[1], z);
                return (z, x0, x1, y0, y1);
            })];
        }

        public int TileCount => ranges.Sum(r => (r.X1 - r.X0 + 1) * (r.Y1 - r.Y0 + 1));

        public (string Kind, string Url) Next(Random random)
        {
            if (random.Next(4) > 0)
            {
                var (z, x0, x1, y0, y1) = ranges[random.Next(ranges.Length)];
                return ("tile", $"/tiles/landuse/{z}/{random.Next(x0, x1 + 1)}/{random.Next(y0, y1 + 1)}.mvt?version={version}");
            }

            double w = extent[2] - extent[0], h = extent[3] - extent[1];
            var (bw, bh) = (w * (0.05 + (0.15 * random.NextDouble())), h * (0.05 + (0.15 * random.NextDouble())));
            var (x, y) = (extent[0] + ((w - bw) * random.NextDouble()), extent[1] + ((h - bh) * random.NextDouble()));
            var bbox = string.Join(',', new[] { x, y, x + bw, y + bh }.Select(v => v.ToString("F6", CultureInfo.InvariantCulture)));
            return ("items", $"/ogc/collections/landuse/items?limit={Limits[random.Next(Limits.Length)]}&bbox={bbox}&version={version}");
        }
    }
}
