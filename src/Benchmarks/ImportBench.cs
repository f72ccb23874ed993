using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using EcoSpatial.SpatialApi.Import;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Import;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;
using Npgsql;

namespace EcoSpatial.Benchmarks;

/// <summary>
/// <c>./eco bench import</c>: imports a zipped 三调-style Shapefile of 100,000 parcels (CGCS2000 3-degree
/// Gauss-Kruger zone 38 with the zone prefix, GBK attributes, no .cpg; <c>ECO_BENCH_IMPORT_PARCELS</c> changes the
/// count) into a fresh database on the <c>ECO_DB</c> server with EcoSpatial (read, GBK decode, reproject to 4490,
/// validate, repair, measure, COPY, one transaction), and with <c>ogr2ogr -f PostgreSQL</c> on the same file into
/// the same database, alternately, five times each; reports medians and the peak memory of this process. The
/// EcoSpatial import runs warm, as in the running service (<c>POST /api/layers/{layer}/versions</c>) after its first
/// imports: four untimed imports first; the first, which pays for the JIT compiler, is timed and reported apart.
/// Each run also times <c>./eco import</c> of the same file: the service binary's <c>import</c> verb in a process of
/// its own, start-up, JIT compiling and the migrations check included.
/// </summary>
public sealed class ImportBenchmark : IBenchmarkSuite
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public string Name => "import";

    public string Summary => "zipped GK/GBK Shapefile import (100k parcels) vs ogr2ogr -f PostgreSQL on the same file and database";

    public Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parcels = Environment.GetEnvironmentVariable("ECO_BENCH_IMPORT_PARCELS") is { Length: > 0 } n
            ? int.Parse(n, NumberStyles.None, C)
            : context.Quick ? 10_000 : 100_000;
        return MeasureAsync(context.ConnectionString, parcels, context.Rounds(5, 1), ct, context.Record);
    }

    /// <summary>The measurement on the server of <paramref name="server"/> (a fresh database is made and dropped).</summary>
    public static async Task<string> MeasureAsync(string server, int parcels, int runs, CancellationToken ct, Action<BenchResult>? record = null)
    {
        var zip = await SampleAsync(parcels);
        Console.Error.WriteLine(string.Create(C, $"eco bench import: {parcels:N0} parcels, {zip} ({new FileInfo(zip).Length / 1e6:F1} MB), {runs} run(s) each"));
        var database = string.Create(C, $"eco_bench_import_{Environment.ProcessId}");
        var admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false };
        await ExecuteAsync(admin.ConnectionString, $"CREATE DATABASE {database}");
        var target = new NpgsqlConnectionStringBuilder(server) { Database = database, Pooling = true };
        try
        {
            await ExecuteAsync(target.ConnectionString, "CREATE EXTENSION IF NOT EXISTS postgis");
            await using var dataSource = EcoDatabase.CreateDataSource(target.ConnectionString);
            await EcoDatabase.MigrateAsync(dataSource, ct);
            var pg = string.Create(C, $"PG:host={target.Host} port={target.Port} user={target.Username} dbname={database}");
            var results = new Dictionary<string, List<double>>();
            void Add(string name, double seconds) =>
                (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(seconds);

            // The first import in this process runs while the JIT compiler is still at work, as in `./eco import`
            // in a new process: timed and reported apart. The runs compared with ogr2ogr are those of a warm service.
            var first = Stopwatch.StartNew();
            await VersionImporter.ImportAsync(dataSource, VersionRequest.Parse("landuse", "2020-12-31", "bench first", null, Path.GetFileName(zip)),
                zip, "bench", ImportOptions.None, null, ct);
            var firstSeconds = first.Elapsed.TotalSeconds;
            Console.Error.WriteLine(string.Create(C, $"  first import in this process: {firstSeconds:F2} s"));
            // The JIT compiler's tiers (tiered PGO) and the GC's budgets settle over about four imports of this size
            // (measured: 5.3, 2.5, 2.4, 2.2, then 1.9–2.0 s): three more, untimed, before the runs.
            for (var warm = 2; warm <= 4; warm++)
            {
                await VersionImporter.ImportAsync(dataSource, VersionRequest.Parse("landuse", "2020-12-31", $"bench warm-up {warm}", null, Path.GetFileName(zip)),
                    zip, "bench", ImportOptions.None, null, ct);
            }

            var peakMiB = 0L;
            for (var run = 1; run <= runs; run++)
            {
                var request = VersionRequest.Parse("landuse", "2021-12-31", $"bench {run}", null, Path.GetFileName(zip));
                await QuietAsync(target.ConnectionString, ct);
                var clock = Stopwatch.StartNew();
                var version = await VersionImporter.ImportAsync(dataSource, request, zip, "bench", ImportOptions.None, null, ct);
                var eco = clock.Elapsed.TotalSeconds;
                Add("EcoSpatial import in the warm service (GBK, GK→4490 in process, validate, repair 0.5 %, ellipsoidal area, TBMJ check, COPY)", eco);
                peakMiB = Math.Max(peakMiB, (long)PeakMemory.Megabytes());
                await QuietAsync(target.ConnectionString, ct);
                var plain = Ogr(pg, zip, $"ogr_plain_{run}", reproject: false);
                Add("`ogr2ogr -f PostgreSQL` (SHAPE_ENCODING=CP936, no reprojection, no validation)", plain);
                await QuietAsync(target.ConnectionString, ct);
                var reprojected = Ogr(pg, zip, $"ogr_4490_{run}", reproject: true);
                Add("`ogr2ogr -f PostgreSQL -t_srs EPSG:4490` (SHAPE_ENCODING=CP936)", reprojected);
                await QuietAsync(target.ConnectionString, ct);
                var cli = Cli(target.ConnectionString, zip, run);
                Add("`./eco import` in a new process (the same import, plus start-up, JIT compiling and the migrations check)", cli);
                Console.Error.WriteLine(string.Create(C,
                    $"  run {run}: EcoSpatial {version.FeatureCount:N0} in {eco:F2} s, ogr2ogr {plain:F2} s, ogr2ogr -t_srs {reprojected:F2} s, ./eco import {cli:F2} s"));
            }

            var table = new System.Text.StringBuilder();
            table.AppendLine(string.Create(C, $"{parcels:N0} hexagonal parcels (~6 vertices), zipped Shapefile in EPSG:4526 (GK zone 38), GBK attributes, no .cpg; same file, same database, alternating, each load after a checkpoint and once autovacuum is idle; median of {runs}. EcoSpatial imports in a warm process, as the service does after its first imports (four untimed imports first; the first, JIT compiling, took {firstSeconds:F2} s); `./eco import` is the same import in a process of its own, timed from its start to its exit."))
                .AppendLine()
                .AppendLine("| loader | median s | min–max s | features/s |")
                .AppendLine("|---|---:|---:|---:|");
            var medians = results.Values.Select(Timing.Median).ToArray(); // EcoSpatial, ogr2ogr, ogr2ogr -t_srs
            foreach (var (name, seconds) in results)
            {
                var median = seconds.Order().ElementAt(seconds.Count / 2);
                table.AppendLine(string.Create(C, $"| {name} | {median:F2} | {seconds.Min():F2}–{seconds.Max():F2} | {parcels / median:N0} |"));
                var isEco = name == results.First().Key;
                record?.Invoke(BenchResult.FromSamples(name.Replace("`", "", StringComparison.Ordinal), string.Create(C, $"{parcels:N0} hexagonal parcels, zipped GK/GBK Shapefile"), seconds, "s") with
                {
                    Comparison = isEco ? "ogr2ogr -f PostgreSQL (no reprojection, no validation)" : null,
                    ComparisonMedian = isEco ? medians[1] : null,
                    Throughput = parcels / median,
                    ThroughputUnit = "features/s",
                    Figures = isEco ? new Dictionary<string, double> { ["ratioToOgr2ogrReprojecting"] = medians[0] / medians[2], ["firstImportInProcessSeconds"] = firstSeconds } : null,
                });
            }

            table.AppendLine().AppendLine(string.Create(C,
                $"Peak working set of the benchmark process (EcoSpatial import in process): {peakMiB:N0} MiB. Load average at the end: {LoadAverage()}."));
            return table.ToString();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin.ConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    /// <summary>
    /// Before each timed load: a checkpoint (the previous load's dirty pages and WAL are written now, not during the
    /// next load) and a wait of up to 30 s for autovacuum workers (analysing the table just loaded) to finish, so
    /// each loader is timed on a quiet server.
    /// </summary>
    private static async Task QuietAsync(string connectionString, CancellationToken ct)
    {
        await ExecuteAsync(connectionString, "CHECKPOINT");
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var busy = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'", connection);
        for (var waited = 0; waited < 300 && (long)(await busy.ExecuteScalarAsync(ct))! > 0; waited++)
        {
            await Task.Delay(100, ct);
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>
    /// The service binary's <c>import</c> verb in a process of its own, as <c>./eco import</c> runs it (with the
    /// profile-guided JIT tier off, as <c>./eco</c> sets for its one-shot verbs); the binary is the one built next to
    /// this suite's (<c>src/SpatialApi/bin/Release/net10.0</c>).
    /// </summary>
    private static double Cli(string connectionString, string zip, int run)
    {
        var dll = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "SpatialApi", "bin", "Release", "net10.0", "EcoSpatial.SpatialApi.dll"));
        var info = new ProcessStartInfo("dotnet");
        foreach (var argument in (string[])[dll, "import", "landuse", zip, "--as-of", "2021-12-31", "--label", string.Create(C, $"bench cli {run}")])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["ECO_DB"] = connectionString;
        info.Environment["DOTNET_TieredPGO"] = "0";
        return Timed(info, $"{dll} import");
    }

    private static double Ogr(string pg, string zip, string table, bool reproject)
    {
        var arguments = new List<string>
        {
            "--config", "SHAPE_ENCODING", "CP936", "-f", "PostgreSQL", pg, "/vsizip/" + zip, "-nln", table,
            "-lco", "GEOMETRY_NAME=geom", "-nlt", "PROMOTE_TO_MULTI",
        };
        if (reproject)
        {
            arguments.AddRange(["-t_srs", "EPSG:4490"]);
        }

        var info = new ProcessStartInfo("ogr2ogr");
        arguments.ForEach(info.ArgumentList.Add);
        return Timed(info, "ogr2ogr");
    }

    /// <summary>Runs a process to its exit; returns the seconds it took, or throws with its stderr if it failed.</summary>
    private static double Timed(ProcessStartInfo info, string what)
    {
        info.RedirectStandardError = true;
        info.RedirectStandardOutput = true;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? clock.Elapsed.TotalSeconds
            : throw new InvalidOperationException($"{what} failed: {stderr.Result}");
    }

    /// <summary>
    /// The sample: hexagonal parcels of ~6 vertices (about 60 m across) around 113.9°E 30.9°N, 0.5 % of them
    /// self-intersecting (two vertices swapped) so repair is exercised, with 三调 DLTB attributes (BSM, DLBM, DLMC,
    /// ZLDWDM, QSDWDM, TBMJ = the parcel's ellipsoidal area to 0.01 m²). Written with NetTopologySuite in 4490,
    /// projected to EPSG:4526 with GBK attributes by ogr2ogr, the .cpg removed, zipped; cached in the temp folder.
    /// </summary>
    public static async Task<string> SampleAsync(int parcels)
    {
        var folder = Path.Combine(Path.GetTempPath(), "eco-bench-import");
        Directory.CreateDirectory(folder);
        var zip = Path.Combine(folder, string.Create(C, $"dltb-{parcels}.zip"));
        if (File.Exists(zip))
        {
            return zip;
        }

        var work = Directory.CreateTempSubdirectory("eco-bench-sample-").FullName;
        try
        {
            var lonlat = Path.Combine(work, "lonlat.shp");
            var options = new ShapefileWriterOptions(ShapeType.Polygon) { Encoding = System.Text.Encoding.UTF8 };
            options.AddCharacterField("BSM", 18);
            options.AddCharacterField("DLBM", 5);
            options.AddCharacterField("DLMC", 60);
            options.AddCharacterField("ZLDWDM", 19);
            options.AddCharacterField("QSDWDM", 19);
            options.Fields.Add(new NetTopologySuite.IO.Esri.Dbf.Fields.DbfNumericDoubleField("TBMJ", 16, 2));
            string[] codes = ["0101", "0102", "0103", "0201", "0301", "0305", "0307", "0404", "0702", "1003", "1006", "1101", "1104", "1107", "1202", "1203"];
            string[] names = ["水田", "水浇地", "旱地", "果园", "乔木林地", "灌木林地", "其他林地", "其他草地", "农村宅基地", "公路用地", "农村道路", "河流水面", "坑塘水面", "沟渠", "设施农用地", "田坎"];
            var factory = EcoSpatial.SpatialCore.Srid.Cgcs2000Factory;
            var columns = (int)Math.Ceiling(Math.Sqrt(parcels));
            const double dx = 0.0006;
            const double dy = 0.00052;
            var random = new Random(20261129);
            using (var writer = Shapefile.OpenWrite(lonlat, options))
            {
                for (var i = 0; i < parcels; i++)
                {
                    var (row, column) = Math.DivRem(i, columns);
                    var cx = 113.6 + column * dx + (row % 2) * dx / 2;
                    var cy = 30.6 + row * dy;
                    var ring = new Coordinate[7];
                    for (var k = 0; k < 6; k++)
                    {
                        var angle = Math.PI / 6 + k * Math.PI / 3;
                        var r = 0.98 + random.NextDouble() * 0.02;
                        ring[k] = new Coordinate(cx + Math.Cos(-angle) * dx / Math.Sqrt(3) * r, cy + Math.Sin(-angle) * dy / 1.5 * r);
                    }

                    if (i % 200 == 7)
                    {
                        (ring[1], ring[2]) = (ring[2], ring[1]);
                    }

                    ring[6] = ring[0].Copy();
                    var polygon = factory.CreatePolygon(ring);
                    var c = i % codes.Length;
                    writer.Geometry = polygon;
                    writer.Fields["BSM"].Value = string.Create(C, $"4209020{i:D11}");
                    writer.Fields["DLBM"].Value = codes[c];
                    writer.Fields["DLMC"].Value = names[c];
                    writer.Fields["ZLDWDM"].Value = string.Create(C, $"420902{100 + row % 20:D3}0000000000");
                    writer.Fields["QSDWDM"].Value = string.Create(C, $"420902{100 + row % 20:D3}0010000000");
                    writer.Fields["TBMJ"].Value = Math.Round(polygon.IsValid ? EllipsoidalArea.Of(polygon) : 0, 2);
                    writer.Write();
                }
            }

            await File.WriteAllTextAsync(Path.Combine(work, "lonlat.cpg"), "UTF-8");
            var gk = Path.Combine(work, "out");
            Directory.CreateDirectory(gk);
            var info = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true };
            foreach (var a in new[]
            {
                "-f", "ESRI Shapefile", Path.Combine(gk, "DLTB.shp"), lonlat, "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4526",
                "-lco", "ENCODING=CP936", "-nln", "DLTB",
            })
            {
                info.ArgumentList.Add(a);
            }

            using (var process = Process.Start(info)!)
            {
                var stderr = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"ogr2ogr failed making the sample: {stderr}");
                }
            }

            File.Delete(Path.Combine(gk, "DLTB.cpg"));
            var partial = zip + ".partial";
            ZipFile.CreateFromDirectory(gk, partial);
            File.Move(partial, zip);
            return zip;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, C, out var value) ? value : fallback;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
