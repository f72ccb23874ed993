using System.Diagnostics;
using System.Globalization;
using System.Text;
using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Layers;
using NetTopologySuite.Geometries;
using Npgsql;
using static EcoSpatial.Benchmarks.Timing;

namespace EcoSpatial.Benchmarks;

/// <summary>
/// <c>./eco bench area</c>: the ellipsoidal area of every parcel of the current land-use version, SpatialCore's
/// <see cref="EllipsoidalArea"/> against PostGIS <c>ST_Area(geom::geography)</c> on the same polygons, in the same run:
/// PostGIS as <c>SELECT sum(ST_Area(geom::geography))</c> (all on the server, one row back) on one backend and with
/// the default plan; EcoSpatial on NTS geometries fetched beforehand, on one thread and with PLINQ, and fetch +
/// compute; then the largest relative difference between the two per polygon.
/// </summary>
public sealed class AreaBenchmark : IBenchmarkSuite
{
    private const string OneBackend = "PostGIS `SELECT sum(ST_Area(geom::geography))`, one backend (`max_parallel_workers_per_gather = 0`)";

    /// <summary>Polygons from this area on (m²) give the relative agreement; below it the absolute difference says more.</summary>
    private const double LargeM2 = 100;

    public string Name => "area";

    public string Summary => "SpatialCore ellipsoidal area vs PostGIS ST_Area(geography) on the land-use parcels: polygons/s, agreement";

    public async Task<string> RunAsync(BenchContext context, CancellationToken ct)
    {
        var report = new StringBuilder();
        await DataSetAsync(report, context, "demo", context.DataSource, context.Rounds(7, 3), ct);
        if (context.BigConnectionString is { } big)
        {
            await using var bigSource = SpatialApi.Persistence.EcoDatabase.CreateDataSource(big);
            await DataSetAsync(report, context, "big (`ECO_BENCH_BIG_DB`)", bigSource, 2, ct);
        }

        report.AppendLine("PostGIS times are the whole query as the client sees it (one row back, so no transfer to speak of); EcoSpatial times are the "
            + "area computation alone on geometries already in memory as NTS objects, except the fetch + compute row, which also reads them from PostGIS "
            + "through Npgsql (WKB → NTS). Ratios are times, EcoSpatial / PostGIS one backend: below 1 EcoSpatial is faster. "
            + "One warm-up round, then the rounds interleaved (each path once per round); spread is min–max over the rounds.");
        return report.ToString();
    }

    private static async Task DataSetAsync(StringBuilder report, BenchContext context, string name, NpgsqlDataSource db, int rounds, CancellationToken ct)
    {
        var version = await VersionLookup.InForceAsync(db, LayerCatalog.Landuse.Id, null, ct)
            ?? throw new InvalidOperationException("No land-use version in the database: load the demo (./eco up) first.");
        var dataSet = $"{name}: land use '{version.Label}' (version {version.Id})";
        const string Sum = "SELECT sum(ST_Area(geom::geography)) FROM landuse WHERE version_id = $1";
        const string Each = "SELECT ST_Area(geom::geography) FROM landuse WHERE version_id = $1 ORDER BY feature_index";
        const string Fetch = "SELECT geom FROM landuse WHERE version_id = $1 ORDER BY feature_index";

        // One backend held for the whole run, parallel query off; another with the server's default plan.
        await using var single = await db.OpenConnectionAsync(ct);
        await ExecuteAsync(single, "SET max_parallel_workers_per_gather = 0", ct);
        await using var parallel = await db.OpenConnectionAsync(ct);
        var workers = await WorkersPlannedAsync(parallel, Sum, version.Id, ct);

        var geometries = await FetchAsync(parallel, Fetch, version.Id, ct);
        var threads = Environment.ProcessorCount;
        var times = new Dictionary<string, List<double>>();
        var pgSum = 0.0;
        var ecoSum = 0.0;
        for (var round = -1; round < rounds; round++)
        {
            var measured = new Dictionary<string, double>
            {
                ["pg1"] = await MillisecondsAsync(async () => pgSum = await ScalarAsync(single, Sum, version.Id, ct)),
                ["pgN"] = await MillisecondsAsync(() => ScalarAsync(parallel, Sum, version.Id, ct)),
                ["pgEach"] = await MillisecondsAsync(() => ReadAllAsync(parallel, Each, version.Id, ct)),
                ["eco1"] = Milliseconds(() => ecoSum = SumSingle(geometries)),
                ["ecoN"] = Milliseconds(() => SumParallel(geometries)),
                ["fetch"] = await MillisecondsAsync(async () => SumSingle(await FetchAsync(parallel, Fetch, version.Id, ct))),
            };
            if (round < 0)
            {
                continue; // warm-up
            }

            foreach (var (key, ms) in measured)
            {
                (times.TryGetValue(key, out var list) ? list : times[key] = []).Add(ms);
            }
        }

        // Agreement, polygon by polygon: relative over all, and over polygons of at least LargeM2 (PostGIS's absolute
        // error on a parcel is up to ~1e-4 m², which on slivers of a few m² or less is a large relative figure), absolute in m².
        var postgis = await ReadAllAsync(parallel, Each, version.Id, ct);
        var ids = await ReadIdsAsync(parallel, version.Id, ct);
        var (maxRelative, worst, maxRelativeLarge, maxAbsolute, beyond) = (0.0, -1, 0.0, 0.0, 0);
        var worstAreas = (Eco: 0.0, PostGis: 0.0);
        var worstLarge = (Id: -1L, Eco: 0.0, PostGis: 0.0);
        for (var i = 0; i < geometries.Length; i++)
        {
            var eco = EllipsoidalArea.Of(geometries[i]);
            var absolute = Math.Abs(eco - postgis[i]);
            var relative = postgis[i] > 0 ? absolute / postgis[i] : 0;
            maxAbsolute = Math.Max(maxAbsolute, absolute);
            beyond += relative > 1e-9 ? 1 : 0;
            if (postgis[i] >= LargeM2 && relative > maxRelativeLarge)
            {
                (maxRelativeLarge, worstLarge) = (relative, (ids[i], eco, postgis[i]));
            }

            if (relative > maxRelative)
            {
                (maxRelative, worst, worstAreas) = (relative, i, (eco, postgis[i]));
            }
        }

        var sumRelative = Math.Abs(ecoSum - pgSum) / pgSum;
        var vertices = geometries.Average(g => (double)g.NumPoints);
        var count = geometries.Length;
        var pg1 = Median(times["pg1"]);

        var rows = new (string Key, string Label, string Case)[]
        {
            ("pg1", OneBackend, "PostGIS sum(ST_Area(geography)), one backend"),
            ("pgN", $"PostGIS, same query, default plan (parallel workers planned: {workers})", "PostGIS sum(ST_Area(geography)), default plan"),
            ("pgEach", "PostGIS `SELECT ST_Area(geom::geography)` per polygon, every area read through Npgsql", "PostGIS ST_Area(geography) per polygon, read"),
            ("eco1", "EcoSpatial `EllipsoidalArea.Of`, 1 thread, on fetched NTS geometries", "EcoSpatial EllipsoidalArea, 1 thread"),
            ("ecoN", $"EcoSpatial `EllipsoidalArea.Of`, PLINQ on {threads} threads, on fetched NTS geometries", $"EcoSpatial EllipsoidalArea, PLINQ {threads} threads"),
            ("fetch", "EcoSpatial fetch (Npgsql, WKB → NTS) + compute, 1 thread", "EcoSpatial fetch + EllipsoidalArea, 1 thread"),
        };

        report.AppendLine(CultureInfo.InvariantCulture,
            $"**{dataSet}**: {N(count)} polygons, {F(vertices, 1)} vertices each on average; {rounds} rounds after a warm-up.");
        report.AppendLine();
        report.AppendLine("| | median ms | min–max ms | polygons/s | ratio to PostGIS one backend |");
        report.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (key, label, caseName) in rows)
        {
            var samples = times[key];
            var median = Median(samples);
            var rate = count / (median / 1000);
            var bold = key is "pg1" or "eco1";
            report.AppendLine(CultureInfo.InvariantCulture,
                $"| {label} | {F(median, 1)} | {F(samples.Min(), 1)}–{F(samples.Max(), 1)} | {(bold ? "**" : "")}{N(rate)}{(bold ? "**" : "")} | {F(median / pg1)}× |");
            context.Record(BenchResult.FromSamples(caseName, dataSet, samples, "ms") with
            {
                Comparison = key == "pg1" ? null : "PostGIS sum(ST_Area(geography)), one backend",
                ComparisonMedian = key == "pg1" ? null : pg1,
                Throughput = rate,
                ThroughputUnit = "polygons/s",
                Figures = new Dictionary<string, double>
                {
                    ["polygons"] = count,
                    ["meanVertices"] = vertices,
                    ["maxRelativeDifference"] = maxRelative,
                    ["maxRelativeDifferenceFrom100M2"] = maxRelativeLarge,
                    ["maxAbsoluteDifferenceM2"] = maxAbsolute,
                    ["polygonsBeyond1e-9"] = beyond,
                    ["sumRelativeDifference"] = sumRelative,
                    ["threads"] = key switch { "ecoN" => threads, "pgN" => 1 + workers, _ => 1 },
                },
            });
        }

        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture,
            $"Agreement, polygon by polygon: largest relative difference **{maxRelativeLarge:E1}** over polygons of at least {LargeM2} m² "
            + $"(landuse id {worstLarge.Id}: EcoSpatial {worstLarge.Eco:R} m², PostGIS {worstLarge.PostGis:R} m²); over all "
            + $"polygons {maxRelative:E1}, on landuse id {(worst >= 0 ? ids[worst].ToString(CultureInfo.InvariantCulture) : "–")}, a sliver of {worstAreas.PostGis:G4} m² (EcoSpatial "
            + $"{worstAreas.Eco:G6} m², PostGIS {worstAreas.PostGis:G6} m²); largest absolute difference {maxAbsolute:E1} m²; {N(beyond)} of {N(count)} polygons "
            + $"differ by more than 1e-9 relative. Summed over the version: {pgSum.ToString("N2", CultureInfo.InvariantCulture)} m² (PostGIS), "
            + $"{ecoSum.ToString("N2", CultureInfo.InvariantCulture)} m² (EcoSpatial), relative difference {sumRelative:E1}. "
            + $"Peak memory of this process (service + geometries): {N(PeakMemory.Megabytes())} MB.");
        report.AppendLine();
    }

    private static double SumSingle(Geometry[] geometries)
    {
        var sum = 0.0;
        foreach (var geometry in geometries)
        {
            sum += EllipsoidalArea.Of(geometry);
        }

        return sum;
    }

    private static double SumParallel(Geometry[] geometries) => geometries.AsParallel().Sum(EllipsoidalArea.Of);

    private static double Milliseconds(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    private static async Task<Geometry[]> FetchAsync(NpgsqlConnection connection, string sql, long version, CancellationToken ct)
    {
        var geometries = new List<Geometry>();
        await using var command = Command(connection, sql, version);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            geometries.Add(reader.GetFieldValue<Geometry>(0));
        }

        return [.. geometries];
    }

    private static async Task<double[]> ReadAllAsync(NpgsqlConnection connection, string sql, long version, CancellationToken ct)
    {
        var values = new List<double>();
        await using var command = Command(connection, sql, version);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetDouble(0));
        }

        return [.. values];
    }

    private static async Task<long[]> ReadIdsAsync(NpgsqlConnection connection, long version, CancellationToken ct)
    {
        var values = new List<long>();
        await using var command = Command(connection, "SELECT id FROM landuse WHERE version_id = $1 ORDER BY feature_index", version);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetInt64(0));
        }

        return [.. values];
    }

    private static async Task<double> ScalarAsync(NpgsqlConnection connection, string sql, long version, CancellationToken ct)
    {
        await using var command = Command(connection, sql, version);
        return Convert.ToDouble(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    /// <summary>The parallel workers PostgreSQL plans for <paramref name="sql"/> with its default settings (0 when none).</summary>
    private static async Task<int> WorkersPlannedAsync(NpgsqlConnection connection, string sql, long version, CancellationToken ct)
    {
        await using var command = Command(connection, "EXPLAIN " + sql, version);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var workers = 0;
        while (await reader.ReadAsync(ct))
        {
            var line = reader.GetString(0);
            var at = line.IndexOf("Workers Planned:", StringComparison.Ordinal);
            if (at >= 0)
            {
                workers = int.Parse(line[(at + 16)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return workers;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, long version)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 3600 };
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        return command;
    }
}
