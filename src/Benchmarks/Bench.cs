using System.Diagnostics;
using System.Globalization;
using EcoSpatial.SpatialApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace EcoSpatial.Benchmarks;

/// <summary>One benchmark suite: a name (<c>./eco bench NAME</c>) and a run that returns its Markdown section.</summary>
public interface IBenchmarkSuite
{
    string Name { get; }

    /// <summary>What the suite measures, one line (for <c>./eco bench --help</c>).</summary>
    string Summary { get; }

    Task<string> RunAsync(BenchContext context, CancellationToken ct);
}

/// <summary>
/// What every suite gets: the database (<c>ECO_DB</c>), an optional big database (<c>ECO_BENCH_BIG_DB</c>, e.g. a
/// 1,000,000-parcel set made by <c>./eco gen</c>; not used in quick mode), the service started in this process on a
/// loopback port, whether this is a quick run, and <see cref="Record"/> for the machine-readable results.
/// </summary>
public sealed class BenchContext : IAsyncDisposable
{
    private readonly List<BenchResult> results = [];

    private BenchContext(string connectionString, string? bigConnectionString, bool quick, WebApplication app, Uri baseAddress)
    {
        ConnectionString = connectionString;
        BigConnectionString = quick ? null : bigConnectionString;
        Quick = quick;
        App = app;
        BaseAddress = baseAddress;
        DataSource = SpatialApi.Persistence.EcoDatabase.CreateDataSource(connectionString);
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
    }

    public string ConnectionString { get; }
    public string? BigConnectionString { get; }

    /// <summary><c>./eco bench --quick</c>: fewer rounds and smaller data, to see that every suite runs (CI-sized).</summary>
    public bool Quick { get; }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public NpgsqlDataSource DataSource { get; }
    public HttpClient Http { get; }

    /// <summary>The measured results recorded by the suite now running, for docs/benchmarks.json.</summary>
    public IReadOnlyList<BenchResult> Results => results;

    /// <summary><paramref name="full"/> in a full run, <paramref name="quick"/> in a quick one.</summary>
    public int Rounds(int full, int quick) => Quick ? quick : full;

    /// <summary>
    /// Records one result of the running suite; its peak memory is this process's peak resident set since the
    /// suite started (or since the last <see cref="PeakMemory.Reset"/>), its load average the one now.
    /// </summary>
    public void Record(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        results.Add(result with
        {
            PeakMemoryMb = result.PeakMemoryMb ?? PeakMemory.Megabytes(),
            LoadAverage = result.LoadAverage ?? Machine.LoadAverage(),
            Timestamp = result.Timestamp ?? DateTimeOffset.UtcNow,
        });
    }

    /// <summary>Starts a suite: forgets the previous suite's results and resets the peak-memory mark.</summary>
    public void BeginSuite()
    {
        results.Clear();
        PeakMemory.Reset();
    }

    /// <summary>Starts the service over <paramref name="connectionString"/> (loading the demo if the database is empty).</summary>
    public static async Task<BenchContext> StartAsync(string connectionString, string? bigConnectionString, bool quick, CancellationToken ct)
    {
        var app = await StartServiceAsync(connectionString, ct);
        return new BenchContext(connectionString, bigConnectionString, quick, app, Address(app));
    }

    /// <summary>Another service instance over another database (the big set), to be disposed by the caller.</summary>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartOtherAsync(string connectionString, CancellationToken ct)
    {
        var app = await StartServiceAsync(connectionString, ct);
        return (app, Address(app));
    }

    private static async Task<WebApplication> StartServiceAsync(string connectionString, CancellationToken ct)
    {
        var app = EcoApp.Build(
        [
            "--urls", "http://127.0.0.1:0", $"--ECO_DB={connectionString}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.EntityFrameworkCore=Warning",
        ]);
        await app.StartAsync(ct);
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await DataSource.DisposeAsync();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>
/// One measured case for docs/benchmarks.json: a median over <see cref="N"/> repetitions after a warm-up, its spread
/// (p10/p90 and min/max where there are enough samples), the unit, the comparison measured in the same run and the
/// ratio (<see cref="Median"/> / <see cref="ComparisonMedian"/> unless given), throughput where it applies, and any
/// further figures of the case. Peak memory, load average and timestamp are filled by <see cref="BenchContext.Record"/>.
/// </summary>
public sealed record BenchResult
{
    public required string Case { get; init; }
    public required string DataSet { get; init; }

    /// <summary>How many measured repetitions (or requests) the median is over.</summary>
    public required int N { get; init; }

    public required double Median { get; init; }
    public double? P10 { get; init; }
    public double? P90 { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }

    /// <summary>Unit of the median and spread: <c>ms</c>, <c>s</c>, or a rate such as <c>features/s</c>.</summary>
    public required string Unit { get; init; }

    public string? Comparison { get; init; }
    public double? ComparisonMedian { get; init; }

    /// <summary>The case against its comparison; by default <c>Median / ComparisonMedian</c> (same unit).</summary>
    public double? Ratio { get; init; }

    public double? Throughput { get; init; }
    public string? ThroughputUnit { get; init; }
    public double? PeakMemoryMb { get; init; }
    public double[]? LoadAverage { get; init; }
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Further figures of the case (error counts, p99, differences…), names carrying their unit.</summary>
    public IReadOnlyDictionary<string, double>? Figures { get; init; }

    /// <summary>The ratio as reported: <see cref="Ratio"/> when given, else median over comparison median.</summary>
    public double? EffectiveRatio => Ratio ?? (ComparisonMedian is > 0 ? Median / ComparisonMedian : null);

    /// <summary>A result from repeated samples: median, p10/p90 (from 5 samples), min and max.</summary>
    public static BenchResult FromSamples(string @case, string dataSet, IReadOnlyCollection<double> samples, string unit)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return new BenchResult
        {
            Case = @case,
            DataSet = dataSet,
            N = samples.Count,
            Median = Timing.Median(samples),
            P10 = samples.Count >= 5 ? Timing.Percentile(samples, 0.1) : null,
            P90 = samples.Count >= 5 ? Timing.Percentile(samples, 0.9) : null,
            Min = samples.Min(),
            Max = samples.Max(),
            Unit = unit,
        };
    }
}

/// <summary>
/// Peak resident memory of this process (the service runs in it) since the last <see cref="Reset"/>: Linux's VmHWM,
/// reset through <c>/proc/self/clear_refs</c>; elsewhere the process's lifetime peak working set.
/// </summary>
public static class PeakMemory
{
    public static void Reset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or not allowed: the lifetime peak is reported instead.
        }
    }

    public static double Megabytes()
    {
        if (File.Exists("/proc/self/status"))
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line[6..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                return kb / 1024.0;
            }
        }

        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1048576.0;
    }
}

/// <summary>What the figures were measured on: load average, cores, runtime, git commit.</summary>
public static class Machine
{
    /// <summary>The 1-, 5- and 15-minute load averages (Linux), which say how far other work skews the figures.</summary>
    public static double[] LoadAverage() =>
        File.Exists("/proc/loadavg")
            ? File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()
            : [];

    /// <summary>The load averages as the Markdown shows them ("1.23 2.34 3.45").</summary>
    public static string LoadAverageText() =>
        LoadAverage() is { Length: > 0 } load ? string.Join(' ', load.Select(v => v.ToString("F2", CultureInfo.InvariantCulture))) : "unknown";

    /// <summary>
    /// The commit checked out in the repository at <paramref name="repository"/>, with <c>+dirty</c> when src/ has
    /// uncommitted changes (the figures may then come from code that is not in that commit); null without git.
    /// </summary>
    public static string? GitCommit(string repository)
    {
        var head = Git(repository, "rev-parse", "--short=12", "HEAD");
        if (head is null)
        {
            return null;
        }

        var dirty = Git(repository, "status", "--porcelain", "--untracked-files=no", "--", "src");
        return dirty is { Length: > 0 } ? head + "+dirty" : head;
    }

    private static string? Git(string repository, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}

/// <summary>Small reads the suites share, in plain SQL so they do not depend on the service's internals.</summary>
public static class BenchData
{
    /// <summary>xmin, ymin, xmax, ymax (lon/lat) of one version of a layer's table.</summary>
    public static async Task<double[]> ExtentAsync(NpgsqlDataSource dataSource, string table, long versionId, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM {table} WHERE version_id = $1) x");
        command.Parameters.Add(new NpgsqlParameter { Value = versionId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) && !reader.IsDBNull(0)
            ? [reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetDouble(3)]
            : throw new InvalidOperationException($"version {versionId} of {table} has no features");
    }
}

/// <summary>Timing helpers: medians and percentiles of milliseconds.</summary>
public static class Timing
{
    public static async Task<double> MillisecondsAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalMilliseconds;
    }

    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 0.5);

    public static string F(double value, int decimals = 2) => value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    public static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
