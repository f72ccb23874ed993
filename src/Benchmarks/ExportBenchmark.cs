using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialCore.Layers;
using Npgsql;
using static EcoSpatial.Benchmarks.Timing;

namespace EcoSpatial.Benchmarks;

/// <summary>
/// <c>./eco bench export</c>: a whole land-use version (the current one) out as GeoJSON, three ways, interleaved in
/// one run: (1) through the service, paging <c>/ogc/collections/landuse/items?limit=10000</c> by its next links and
/// writing every page body to a file; (2) GDAL reading the service, <c>ogr2ogr -f GeoJSON OAPIF:…/ogc landuse</c>
/// with 10,000 a page; (3) the best a user has without the service, <c>ogr2ogr -f GeoJSON PG:… -sql "SELECT …
/// WHERE version_id = N"</c> straight from PostGIS. Both ogr2ogr runs write RFC 7946 (CRS84, like the service).
/// On the demo it also runs GDAL on the service with its default page size once. Every output's features are
/// counted in the file and compared with the version's stored count. <c>ECO_BENCH_BIG_DB</c> adds the big set
/// (one round).
/// </summary>
public sealed partial class ExportBenchmark : IBenchmarkSuite
{
    private const string ServiceCase = "service: page items?limit=10000 by next links, bodies to a file";
    private const string OapifCase = "GDAL on the service: ogr2ogr -f GeoJSON OAPIF:…/ogc landuse -oo PAGE_SIZE=10000";
    private const string OapifDefaultCase = "GDAL on the service, default page size: ogr2ogr -f GeoJSON OAPIF:…/ogc landuse";
    private const string PostgisCase = "ogr2ogr -f GeoJSON PG:… -sql \"SELECT … FROM landuse WHERE version_id = N\" (straight from PostGIS)";

    public string Name => "export";

    public string Summary => "a whole land-use version as GeoJSON: service paging and GDAL via OAPIF vs ogr2ogr straight from PostGIS";

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var work = Directory.CreateTempSubdirectory("eco-bench-export-").FullName;
        try
        {
            var rows = new List<Outcome>();
            var demoRounds = context.Rounds(5, 1);
            rows.AddRange(await MeasureAsync(context, new Target("demo", context.Http, context.BaseAddress, context.DataSource, context.ConnectionString),
                work, demoRounds, fullWarmUp: true, defaultPageSize: !context.Quick, ct));
            if (context.BigConnectionString is { } big)
            {
                var (app, address) = await BenchContext.StartOtherAsync(big, ct);
                await using (app)
                {
                    using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(30) };
                    await using var dataSource = SpatialApi.Persistence.EcoDatabase.CreateDataSource(big);
                    rows.AddRange(await MeasureAsync(context, new Target("big (`ECO_BENCH_BIG_DB`)", http, address, dataSource, big),
                        work, rounds: 1, fullWarmUp: false, defaultPageSize: false, ct));
                    await app.StopAsync(ct);
                }
            }

            return Report(rows, demoRounds, context.BigConnectionString is not null);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>A data set to export: the service instance over it and the database it reads.</summary>
    private sealed record Target(string Name, HttpClient Http, Uri BaseAddress, NpgsqlDataSource DataSource, string ConnectionString);

    /// <summary>One way of exporting measured on one data set: seconds per round and what the last round wrote.</summary>
    private sealed record Outcome(string Data, string Case, SelectedVersion Version, List<double> Seconds, long Bytes,
        long FeaturesInFile, long? FeaturesReported, double ProcessPeakMb, double? ToolPeakMb, double ProcessCpuS, double? ToolCpuS)
    {
        public bool CountsAgree => FeaturesInFile == Version.FeatureCount && (FeaturesReported ?? FeaturesInFile) == Version.FeatureCount;
    }

    /// <summary>
    /// One run of one way: its time, output size, features counted in the output, peak resident sets and CPU seconds
    /// (user + system) of this process (the service) and of ogr2ogr.
    /// </summary>
    private sealed record Run(double Seconds, long Bytes, long FeaturesInFile, long? FeaturesReported, double ProcessPeakMb, double? ToolPeakMb,
        double ProcessCpuS = 0, double? ToolCpuS = null);

    private static async Task<List<Outcome>> MeasureAsync(BenchContext context, Target target, string work, int rounds, bool fullWarmUp,
        bool defaultPageSize, CancellationToken ct)
    {
        var layer = LayerCatalog.Landuse;
        var version = await VersionLookup.InForceAsync(target.DataSource, layer.Id, null, ct)
            ?? throw new InvalidOperationException($"No land-use version in the {target.Name} database: load the demo (./eco up) first.");
        var ogc = new Uri(target.BaseAddress, "/ogc").ToString();
        var pg = PgDataset(target.ConnectionString);
        var sql = string.Create(CultureInfo.InvariantCulture,
            $"SELECT id, {string.Join(", ", layer.Fields.Select(f => f.Column))}, area_m2, geom FROM {layer.Table} WHERE version_id = {version.Id}");
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"eco bench export: {target.Name}, land use version {version.Id}, {version.FeatureCount:N0} features, {rounds} round(s)"));

        var ways = new (string Case, Func<string, Task<Run>> Export)[]
        {
            (ServiceCase, file => ServicePagesAsync(target.Http, file, ct)),
            (OapifCase, file => OgrAsync(target.ConnectionString, ["-f", "GeoJSON", file, "OAPIF:" + ogc, layer.Id, "-oo", "PAGE_SIZE=10000", "-lco", "RFC7946=YES"], ct)),
            (PostgisCase, file => OgrAsync(target.ConnectionString, ["-f", "GeoJSON", file, pg, "-sql", sql, "-nln", layer.Id, "-lco", "RFC7946=YES"], ct)),
        };

        // Warm-up: the version's rows read once (database cache), then one whole export each way on small sets, one page on big ones.
        await ScanAsync(target.DataSource, layer.Table, version.Id, ct);
        if (fullWarmUp)
        {
            foreach (var (_, export) in ways)
            {
                await ExportOnceAsync(work, export);
            }
        }
        else
        {
            await target.Http.GetByteArrayAsync(new Uri("/ogc/collections/landuse/items?limit=1000", UriKind.Relative), ct);
        }

        var runs = ways.Select(_ => new List<Run>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            // Rotate the order each round, so no way always runs right after another one.
            for (var k = 0; k < ways.Length; k++)
            {
                var i = (round + k) % ways.Length;
                var run = await ExportOnceAsync(work, ways[i].Export);
                runs[i].Add(run);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  round {round + 1}: {ways[i].Case[..Math.Min(40, ways[i].Case.Length)]}… {run.Seconds:F2} s, {run.FeaturesInFile:N0} features, {run.Bytes / 1e6:F1} MB"));
            }
        }

        var outcomes = ways.Select((w, i) => ToOutcome(target.Name, w.Case, version, runs[i])).ToList();
        if (defaultPageSize)
        {
            var run = await ExportOnceAsync(work, file => OgrAsync(target.ConnectionString, ["-f", "GeoJSON", file, "OAPIF:" + ogc, layer.Id, "-lco", "RFC7946=YES"], ct));
            outcomes.Add(ToOutcome(target.Name, OapifDefaultCase, version, [run]));
        }

        Record(context, outcomes);
        return outcomes;
    }

    private static Outcome ToOutcome(string data, string @case, SelectedVersion version, List<Run> runs)
    {
        var last = runs[^1];
        var worst = runs.FirstOrDefault(r => r.FeaturesInFile != version.FeatureCount || (r.FeaturesReported ?? r.FeaturesInFile) != version.FeatureCount) ?? last;
        return new Outcome(data, @case, version, [.. runs.Select(r => r.Seconds)], last.Bytes, worst.FeaturesInFile, worst.FeaturesReported,
            runs.Max(r => r.ProcessPeakMb), runs.Any(r => r.ToolPeakMb is not null) ? runs.Max(r => r.ToolPeakMb ?? 0) : null,
            Median([.. runs.Select(r => r.ProcessCpuS)]), runs.All(r => r.ToolCpuS is not null) ? Median([.. runs.Select(r => r.ToolCpuS!.Value)]) : null);
    }

    /// <summary>Runs one export into a fresh file, resetting this process's peak-memory mark first; deletes the file after.</summary>
    private static async Task<Run> ExportOnceAsync(string work, Func<string, Task<Run>> export)
    {
        var file = Path.Combine(work, "out.geojson");
        File.Delete(file);
        GC.Collect();
        PeakMemory.Reset();
        var cpu = CpuSeconds();
        try
        {
            var run = await export(file);
            return run with { ProcessPeakMb = PeakMemory.Megabytes(), ProcessCpuS = CpuSeconds() - cpu };
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static double CpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// Pages the collection as a client would: each body streamed to the file (one page a line), the next link and
    /// numberReturned read from the page's tail; the features in the file are then counted on their own.
    /// </summary>
    private static async Task<Run> ServicePagesAsync(HttpClient http, string file, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long reported = 0;
        await using (var output = new FileStream(file, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
        {
            var tail = new byte[16 * 1024];
            // Absolute throughout: the next links are absolute URLs (and a rooted relative string would read as a file path on Unix).
            string? next = new Uri(http.BaseAddress!, "/ogc/collections/landuse/items?limit=10000").ToString();
            while (next is not null)
            {
                using var response = await http.GetAsync(new Uri(next, UriKind.Absolute), HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                var start = output.Position;
                await using (var body = await response.Content.ReadAsStreamAsync(ct))
                {
                    await body.CopyToAsync(output, 1 << 16, ct);
                }

                var end = output.Position;
                await output.FlushAsync(ct);
                var length = (int)Math.Min(tail.Length, end - start);
                var read = await RandomAccess.ReadAsync(output.SafeFileHandle, tail.AsMemory(0, length), end - length, ct);
                var text = Encoding.UTF8.GetString(tail, 0, read);
                reported += long.Parse(NumberReturned().Match(text) is { Success: true } m ? m.Groups[1].Value
                    : throw new InvalidOperationException($"no numberReturned at the end of page {next}"), CultureInfo.InvariantCulture);
                next = NextLink().Match(text) is { Success: true } link ? link.Groups[1].Value : null;
                output.WriteByte((byte)'\n');
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new Run(seconds, new FileInfo(file).Length, await CountAsync(file, "{\"type\":\"Feature\",", ct), reported, 0, null);
    }

    /// <summary>
    /// Runs ogr2ogr (under <c>/usr/bin/time</c> when present, for its peak resident set) and counts the features it
    /// wrote (GDAL's GeoJSON writer starts each one with <c>{ "type": "Feature",</c>).
    /// </summary>
    private static async Task<Run> OgrAsync(string connectionString, string[] arguments, CancellationToken ct)
    {
        const string timeTool = "/usr/bin/time";
        var timed = File.Exists(timeTool);
        var info = new ProcessStartInfo(timed ? timeTool : "ogr2ogr") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (timed)
        {
            foreach (var a in new[] { "-f", "eco-peak-kb %M cpu-s %U %S", "ogr2ogr" })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["GDAL_HTTP_TIMEOUT"] = "600";
        if (new NpgsqlConnectionStringBuilder(connectionString).Password is { Length: > 0 } password)
        {
            info.Environment["PGPASSWORD"] = password; // not on the command line
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("ogr2ogr could not be started: install gdal-bin");
        var errors = process.StandardError.ReadToEndAsync(ct);
        var output = process.StandardOutput.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        var stderr = await errors;
        await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ogr2ogr {string.Join(' ', arguments.Take(4))}… failed ({process.ExitCode}): {stderr}");
        }

        var usage = Usage().Match(stderr);
        double? peak = usage.Success ? double.Parse(usage.Groups[1].Value, CultureInfo.InvariantCulture) / 1024 : null;
        double? cpu = usage.Success
            ? double.Parse(usage.Groups[2].Value, CultureInfo.InvariantCulture) + double.Parse(usage.Groups[3].Value, CultureInfo.InvariantCulture)
            : null;
        var file = arguments[2];
        return new Run(seconds, new FileInfo(file).Length, await CountAsync(file, "{ \"type\": \"Feature\",", ct), null, 0, peak, ToolCpuS: cpu);
    }

    /// <summary>Reads the version's rows once (geometry included), so every way starts from the same warm cache.</summary>
    private static async Task ScanAsync(NpgsqlDataSource dataSource, string table, long versionId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"SELECT count(*), sum(ST_NPoints(geom)) FROM {table} WHERE version_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = versionId });
        command.CommandTimeout = 600;
        await command.ExecuteScalarAsync(ct);
    }

    /// <summary>How many times <paramref name="marker"/> occurs in the file (streamed, so 1 GB outputs cost no memory).</summary>
    private static async Task<long> CountAsync(string file, string marker, CancellationToken ct)
    {
        var pattern = Encoding.UTF8.GetBytes(marker);
        var buffer = new byte[(1 << 20) + pattern.Length];
        await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
        long count = 0;
        var carried = 0;
        int read;
        while ((read = await input.ReadAsync(buffer.AsMemory(carried, buffer.Length - carried), ct)) > 0)
        {
            var filled = carried + read;
            var span = buffer.AsSpan(0, filled);
            var at = 0;
            int found;
            while ((found = span[at..].IndexOf(pattern)) >= 0)
            {
                count++;
                at += found + pattern.Length;
            }

            // Keep the last pattern.Length - 1 bytes not inside a match: a marker may straddle two reads.
            carried = Math.Min(pattern.Length - 1, filled - at);
            span[(filled - carried)..].CopyTo(buffer);
        }

        return count;
    }

    /// <summary>ogr2ogr's PG: dataset for a connection string (the password, if any, goes by PGPASSWORD).</summary>
    private static string PgDataset(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return string.Create(CultureInfo.InvariantCulture, $"PG:host={b.Host} port={b.Port} user={b.Username} dbname={b.Database}");
    }

    private static void Record(BenchContext context, List<Outcome> outcomes)
    {
        var postgis = outcomes.Single(o => o.Case == PostgisCase);
        var comparison = Median(postgis.Seconds);
        foreach (var o in outcomes)
        {
            var isComparison = ReferenceEquals(o, postgis);
            var figures = new Dictionary<string, double>
            {
                ["features"] = o.Version.FeatureCount,
                ["featuresInOutput"] = o.FeaturesInFile,
                ["outputBytes"] = o.Bytes,
                ["countsAgree"] = o.CountsAgree ? 1 : 0,
            };
            if (o.FeaturesReported is { } reported)
            {
                figures["featuresReportedByPages"] = reported;
            }

            figures["processCpuS"] = o.ProcessCpuS;
            if (o.ToolPeakMb is { } tool)
            {
                figures["ogr2ogrPeakMb"] = tool;
            }

            if (o.ToolCpuS is { } toolCpu)
            {
                figures["ogr2ogrCpuS"] = toolCpu;
            }

            context.Record(BenchResult.FromSamples(o.Case, $"{o.Data.Replace("`", "", StringComparison.Ordinal)}: land use '{o.Version.Label}' (version {o.Version.Id})", o.Seconds, "s") with
            {
                Comparison = isComparison ? null : "ogr2ogr -f GeoJSON PG:… -sql (straight from PostGIS, RFC7946=YES)",
                ComparisonMedian = isComparison ? null : comparison,
                Throughput = o.Version.FeatureCount / Median(o.Seconds),
                ThroughputUnit = "features/s",
                PeakMemoryMb = o.ProcessPeakMb,
                Figures = figures,
            });
        }
    }

    private static string Report(List<Outcome> rows, int demoRounds, bool withBig)
    {
        var report = new StringBuilder();
        var demo = rows[0].Version;
        report.AppendLine($"A whole land-use version (the current one) written to a GeoJSON file. Demo: '{demo.Label}' (version {demo.Id}), {N(demo.FeatureCount)} parcels, "
            + $"median of {N(demoRounds)} round{(demoRounds == 1 ? "" : "s")} after a warm-up round{(withBig ? "; big set: 1 round after reading the version once in SQL (warm cache) and one page" : "")}. "
            + "The three ways alternate, their order rotating each round. Both ogr2ogr runs write `-lco RFC7946=YES` (CRS84, 7 decimals, like the service's output); "
            + "the service in this process on a loopback port, as in the ogc suite.");
        report.AppendLine();
        report.AppendLine("| data | way | median s | min–max s | features/s | output MB | features in output (stored) | **time / ogr2ogr from PostGIS** | peak RSS of this process (service) MB | ogr2ogr peak RSS MB | CPU s: this process / ogr2ogr |");
        report.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var group in rows.GroupBy(r => r.Data))
        {
            var comparison = Median(group.Single(r => r.Case == PostgisCase).Seconds);
            foreach (var r in group)
            {
                var median = Median(r.Seconds);
                var spread = r.Seconds.Count > 1 ? $"{F(r.Seconds.Min())}–{F(r.Seconds.Max())}" : "(1 round)";
                var counts = r.CountsAgree ? $"{N(r.FeaturesInFile)} ✓" : $"**{N(r.FeaturesInFile)}{(r.FeaturesReported is { } p ? $" (pages said {N(p)})" : "")} ≠ {N(r.Version.FeatureCount)}**";
                var ratio = r.Case == PostgisCase ? "1 (comparison)" : $"**{F(median / comparison)}×**";
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Data} | {Way(r.Case)} | {F(median)} | {spread} | {N(r.Version.FeatureCount / median)} | {F(r.Bytes / 1e6, 1)} | {counts} | {ratio} | {N(r.ProcessPeakMb)} | {(r.ToolPeakMb is { } t ? N(t) : "–")} | {F(r.ProcessCpuS, 1)} / {(r.ToolCpuS is { } c ? F(c, 1) : "–")} |");
            }
        }

        foreach (var group in rows.GroupBy(r => r.Data))
        {
            var (service, oapif) = (group.Single(r => r.Case == ServiceCase), group.Single(r => r.Case == OapifCase));
            if (oapif.ToolCpuS is { } gdalCpu)
            {
                report.AppendLine();
                report.AppendLine(CultureInfo.InvariantCulture,
                    $"Where GDAL-on-the-service's time goes ({group.Key}): {F(Median(oapif.Seconds))} s, of which ogr2ogr used {F(gdalCpu, 1)} CPU-s "
                    + $"and this process (the service) {F(oapif.ProcessCpuS, 1)}; the service alone pages the same version to a file in {F(Median(service.Seconds))} s.");
            }
        }

        report.AppendLine();
        report.AppendLine("Ways: **service** — `GET /ogc/collections/landuse/items?limit=10000`, then each `next` link, every body streamed to one file (a FeatureCollection a line; features counted in the file and against the pages' `numberReturned`); "
            + "**GDAL on the service** — `ogr2ogr -f GeoJSON out.geojson OAPIF:http://127.0.0.1:PORT/ogc landuse -oo PAGE_SIZE=10000 -lco RFC7946=YES` (GDAL's own default is 10 a page: the demo row without `PAGE_SIZE`, one round); "
            + "**ogr2ogr from PostGIS** — `ogr2ogr -f GeoJSON out.geojson PG:\"host=… port=… user=… dbname=…\" -sql \"SELECT id, parcel_code, class_code, class_name, admin_code, official_area_m2, area_m2, geom FROM landuse WHERE version_id = N\" -nln landuse -lco RFC7946=YES` "
            + "(the same properties; GDAL reprojects 4490 to CRS84, an identity). Time ratio below 1 means faster than ogr2ogr from PostGIS. "
            + "Peak RSS of this process is Linux's VmHWM reset before each export (the service and, for the service way, the client writing the file); ogr2ogr's is `/usr/bin/time`'s maximum resident set. "
            + "CPU seconds (user + system, medians): this process's during the export (the service, and the client for the service way), and ogr2ogr's from `/usr/bin/time`; PostgreSQL's own CPU is not counted.");
        return report.ToString();
    }

    private static string Way(string @case) => @case switch
    {
        ServiceCase => "service, next links (limit 10000)",
        OapifCase => "GDAL on the service (OAPIF, PAGE_SIZE=10000)",
        OapifDefaultCase => "GDAL on the service (OAPIF, default 10 a page)",
        _ => "ogr2ogr from PostGIS (`PG:` `-sql`)",
    };

    [GeneratedRegex("\"numberReturned\":(\\d+)")]
    private static partial Regex NumberReturned();

    [GeneratedRegex("\"href\":\"([^\"]+)\",\"rel\":\"next\",\"type\":\"application/geo\\+json\"")]
    private static partial Regex NextLink();

    [GeneratedRegex(@"eco-peak-kb (\d+) cpu-s ([\d.]+) ([\d.]+)")]
    private static partial Regex Usage();
}
