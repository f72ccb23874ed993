using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialCore.Layers;
using Microsoft.AspNetCore.Http;
using Npgsql;
using static EcoSpatial.Benchmarks.Timing;

namespace EcoSpatial.Benchmarks;

/// <summary>
/// OGC API Features against the same SQL run raw through Npgsql, in the same process and run:
/// (1) an items page (limit 1000, a bbox in the middle of the city) against <see cref="FeatureQueries.Items"/> run raw;
/// (2) paging a whole land-use version by next links (limit 10000) against one raw <c>ST_AsGeoJSON(record)</c>
/// stream, with the process's memory sampled while it runs.
/// </summary>
public sealed partial class OgcBenchmark : IBenchmarkSuite
{
    public string Name => "ogc";

    public string Summary => "OGC API Features items page and whole-collection paging vs raw SQL through Npgsql";

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var report = new StringBuilder();
        var layer = LayerCatalog.Landuse;
        var version = await VersionLookup.InForceAsync(context.DataSource, layer.Id, null, ct)
            ?? throw new InvalidOperationException("No land-use version in the database: load the demo (./eco up) first.");
        var extent = await BenchData.ExtentAsync(context.DataSource, layer.Table, version.Id, ct);

        // (1) one page: the middle 20 % × 20 % of the city's extent, limit 1000.
        double w = extent[2] - extent[0], h = extent[3] - extent[1];
        double[] box = [extent[0] + (0.4 * w), extent[1] + (0.4 * h), extent[0] + (0.6 * w), extent[1] + (0.6 * h)];
        var bbox = string.Join(',', box.Select(v => v.ToString("F6", CultureInfo.InvariantCulture)));
        var url = $"/ogc/collections/landuse/items?limit=1000&bbox={bbox}&version={version.Id}";
        var request = ItemsRequest.Parse(layer, new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["limit"] = "1000", ["bbox"] = bbox,
        }));
        var sql = FeatureQueries.Items(request, version.Id);

        var returned = 0;
        for (var i = 0; i < 5; i++)
        {
            returned = CountFeatures(await context.Http.GetByteArrayAsync(url, ct));
            await RawPageAsync(context.DataSource, sql, ct);
        }

        var rounds = context.Rounds(40, 10);
        var service = new List<double>();
        var raw = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            service.Add(await MillisecondsAsync(async () => await context.Http.GetByteArrayAsync(url, ct)));
            raw.Add(await MillisecondsAsync(() => RawPageAsync(context.DataSource, sql, ct)));
        }

        var pageRatio = Median(service) / Median(raw);
        var dataSet = $"demo: land use '{version.Label}' (version {version.Id})";
        context.Record(BenchResult.FromSamples($"items page limit 1000 bbox, service HTTP ({returned} features)", dataSet, service, "ms") with
        {
            Comparison = "raw SQL FeatureQueries.Items through Npgsql",
            ComparisonMedian = Median(raw),
            Throughput = returned / (Median(service) / 1000),
            ThroughputUnit = "features/s",
        });
        context.Record(BenchResult.FromSamples($"items page limit 1000 bbox, raw SQL ({returned} features)", dataSet, raw, "ms") with
        {
            Throughput = returned / (Median(raw) / 1000),
            ThroughputUnit = "features/s",
        });
        report.AppendLine(CultureInfo.InvariantCulture, $"Data: land use '{version.Label}' (version {version.Id}), {N(version.FeatureCount)} parcels.");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"**Items page** — `GET {url.Replace($"&version={version.Id}", "", StringComparison.Ordinal)}` ({returned} features), {rounds} rounds after 5 warm-up rounds, interleaved:");
        report.AppendLine();
        report.AppendLine("| | p50 ms | p10 ms | p90 ms | features/s (p50) |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        report.AppendLine(CultureInfo.InvariantCulture, $"| service (HTTP, GeoJSON body read) | {F(Median(service))} | {F(Percentile(service, 0.1))} | {F(Percentile(service, 0.9))} | {N(returned / (Median(service) / 1000))} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| raw SQL, same query (`FeatureQueries.Items`, `ST_AsGeoJSON`), Npgsql read | {F(Median(raw))} | {F(Percentile(raw, 0.1))} | {F(Percentile(raw, 0.9))} | {N(returned / (Median(raw) / 1000))} |");
        report.AppendLine(CultureInfo.InvariantCulture, $"| **ratio service / raw (p50)** | **{F(pageRatio)}×** (target ≤ 1.2×) | | | |");
        report.AppendLine();

        // (2) paging a whole collection: the demo, and the big set when given.
        var pagingRounds = context.Rounds(3, 1);
        report.AppendLine(CultureInfo.InvariantCulture, $"**Paging a whole land-use version** (next links, limit 10000) vs one raw SQL stream, median of {pagingRounds} round{(pagingRounds == 1 ? "" : "s")} "
            + $"(1 on the big set) after a one-page warm-up, interleaved; memory of this process (service + client) sampled every 50 ms while the service pages:");
        report.AppendLine();
        report.AppendLine("| data | features | service features/s (min–max) | raw `ST_AsGeoJSON(record)` features/s | raw same-SQL features/s | **ratio service / raw record** | working set min–max MB | GC heap max MB |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        report.AppendLine(await PagingRowAsync(context, "demo", context.Http, context.DataSource, pagingRounds, ct));
        if (context.BigConnectionString is { } big)
        {
            var (app, address) = await BenchContext.StartOtherAsync(big, ct);
            await using (app)
            {
                using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(30) };
                await using var dataSource = SpatialApi.Persistence.EcoDatabase.CreateDataSource(big);
                report.AppendLine(await PagingRowAsync(context, "big (`ECO_BENCH_BIG_DB`)", http, dataSource, 1, ct));
                await app.StopAsync(ct);
            }
        }

        report.AppendLine();
        report.AppendLine("The service pages by keyset (`feature_index > cursor`, index `(version_id, feature_index)`) and writes each row as it arrives (64 KiB flushes), so memory does not grow with the collection.");
        return report.ToString();
    }

    private static async Task<string> PagingRowAsync(BenchContext context, string name, HttpClient http, NpgsqlDataSource dataSource, int rounds, CancellationToken ct)
    {
        var layer = LayerCatalog.Landuse;
        var version = await VersionLookup.InForceAsync(dataSource, layer.Id, null, ct) ?? throw new InvalidOperationException("no land use");

        // Warm both paths on one page.
        await http.GetByteArrayAsync($"/ogc/collections/landuse/items?limit=1000&version={version.Id}", ct);

        var all = ItemsRequest.Parse(layer, new QueryCollection()) with { Limit = int.MaxValue - 1 };
        var (serviceRates, rawRecords, rawSames) = (new List<double>(), new List<double>(), new List<double>());
        var (minWs, maxWs, maxHeap) = (double.MaxValue, 0.0, 0.0);
        for (var round = 0; round < rounds; round++)
        {
            rawRecords.Add(await RawStreamAsync(dataSource, new SqlQuery(RecordSql(layer), [version.Id]), ct));
            rawSames.Add(await RawStreamAsync(dataSource, FeatureQueries.Items(all, version.Id), ct));

            GC.Collect();
            using var sampler = new MemorySampler();
            var clock = Stopwatch.StartNew();
            var count = 0L;
            string? next = $"/ogc/collections/landuse/items?limit=10000&version={version.Id}";
            while (next is not null)
            {
                var (returned, following) = await ReadPageAsync(http, next, ct);
                count += returned;
                next = following;
            }

            serviceRates.Add(count / clock.Elapsed.TotalSeconds);
            var (min, max, heap) = sampler.Stop();
            (minWs, maxWs, maxHeap) = (Math.Min(minWs, min), Math.Max(maxWs, max), Math.Max(maxHeap, heap));
            if (count != version.FeatureCount)
            {
                throw new InvalidOperationException($"paged {count} features, the version has {version.FeatureCount}");
            }
        }

        var (serviceRate, rawRecord, rawSame) = (Median(serviceRates), Median(rawRecords), Median(rawSames));
        var dataSet = $"{name.Replace("`", "", StringComparison.Ordinal)}: land use '{version.Label}' (version {version.Id})";
        var figures = new Dictionary<string, double>
        {
            ["features"] = version.FeatureCount, ["workingSetMinMb"] = minWs, ["workingSetMaxMb"] = maxWs, ["gcHeapMaxMb"] = maxHeap,
        };
        context.Record(BenchResult.FromSamples("paging a whole version, service next links limit 10000", dataSet, serviceRates, "features/s") with
        {
            Comparison = "raw ST_AsGeoJSON(record) stream through Npgsql",
            ComparisonMedian = rawRecord,
            Throughput = serviceRate,
            ThroughputUnit = "features/s",
            Figures = figures,
        });
        context.Record(BenchResult.FromSamples("paging a whole version, raw ST_AsGeoJSON(record) stream", dataSet, rawRecords, "features/s") with
        {
            Throughput = rawRecord, ThroughputUnit = "features/s",
        });
        context.Record(BenchResult.FromSamples("paging a whole version, raw same SQL (FeatureQueries.Items) stream", dataSet, rawSames, "features/s") with
        {
            Throughput = rawSame, ThroughputUnit = "features/s",
        });
        var spread = rounds > 1 ? $" ({N(serviceRates.Min())}–{N(serviceRates.Max())})" : "";
        return $"| {name} | {N(version.FeatureCount)} | {N(serviceRate)}{spread} | {N(rawRecord)} | {N(rawSame)} | **{F(serviceRate / rawRecord)}×** (target ≥ 1×) | {N(minWs)}–{N(maxWs)} | {N(maxHeap)} |";
    }

    /// <summary>The plain way to get GeoJSON features out of PostGIS: <c>ST_AsGeoJSON</c> of the whole row.</summary>
    private static string RecordSql(LayerKind layer) =>
        $"SELECT ST_AsGeoJSON(t.*) FROM (SELECT id, geom, {string.Join(", ", layer.Fields.Select(f => f.Column))}, area_m2 FROM {layer.Table} WHERE version_id = $1 ORDER BY feature_index) t";

    /// <summary>Reads every row of <paramref name="sql"/> (every column as the service would), returning rows per second.</summary>
    private static async Task<double> RawStreamAsync(NpgsqlDataSource dataSource, SqlQuery sql, CancellationToken ct)
    {
        await using var command = sql.CreateCommand(dataSource);
        var clock = Stopwatch.StartNew();
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = 0L;
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetValue(i);
            }

            rows++;
        }

        return rows / clock.Elapsed.TotalSeconds;
    }

    private static async Task RawPageAsync(NpgsqlDataSource dataSource, SqlQuery sql, CancellationToken ct)
    {
        await using var command = sql.CreateCommand(dataSource);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetValue(i);
            }
        }
    }

    /// <summary>Streams one page, keeping only its tail (numberReturned and the links come last), so the client stays flat too.</summary>
    private static async Task<(int Returned, string? Next)> ReadPageAsync(HttpClient http, string url, CancellationToken ct)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[64 * 1024];
        var tail = new byte[16 * 1024];
        var tailLength = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (read >= tail.Length)
            {
                Array.Copy(buffer, read - tail.Length, tail, 0, tail.Length);
                tailLength = tail.Length;
            }
            else
            {
                var keep = Math.Min(tailLength, tail.Length - read);
                Array.Copy(tail, tailLength - keep, tail, 0, keep);
                Array.Copy(buffer, 0, tail, keep, read);
                tailLength = keep + read;
            }
        }

        var end = Encoding.UTF8.GetString(tail, 0, tailLength);
        var returned = int.Parse(NumberReturned().Match(end).Groups[1].Value, CultureInfo.InvariantCulture);
        var next = NextLink().Match(end);
        return (returned, next.Success ? next.Groups[1].Value : null);
    }

    private static int CountFeatures(byte[] page) =>
        int.Parse(NumberReturned().Match(Encoding.UTF8.GetString(page, Math.Max(0, page.Length - 16384), Math.Min(page.Length, 16384))).Groups[1].Value,
            CultureInfo.InvariantCulture);

    [GeneratedRegex("\"numberReturned\":(\\d+)")]
    private static partial Regex NumberReturned();

    [GeneratedRegex("\"href\":\"([^\"]+)\",\"rel\":\"next\",\"type\":\"application/geo\\+json\"")]
    private static partial Regex NextLink();
}

/// <summary>Samples this process's working set and GC heap every 50 ms until stopped.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task<(double, double, double)> sampling;

    public MemorySampler() => sampling = Task.Run(async () =>
    {
        double min = double.MaxValue, max = 0, heap = 0;
        while (!stop.IsCancellationRequested)
        {
            using var process = Process.GetCurrentProcess();
            var ws = process.WorkingSet64 / 1048576.0;
            (min, max) = (Math.Min(min, ws), Math.Max(max, ws));
            heap = Math.Max(heap, GC.GetTotalMemory(false) / 1048576.0);
            try
            {
                await Task.Delay(50, stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (min, max, heap);
    });

    public (double MinWorkingSetMb, double MaxWorkingSetMb, double MaxHeapMb) Stop()
    {
        stop.Cancel();
        return sampling.GetAwaiter().GetResult();
    }

    public void Dispose() => stop.Dispose();
}
