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
/// 1,000,000-parcel set made by <c>./eco gen</c>), and the service started in this process on a loopback port.
/// </summary>
public sealed class BenchContext : IAsyncDisposable
{
    private BenchContext(string connectionString, string? bigConnectionString, WebApplication app, Uri baseAddress)
    {
        ConnectionString = connectionString;
        BigConnectionString = bigConnectionString;
        App = app;
        BaseAddress = baseAddress;
        DataSource = SpatialApi.Persistence.EcoDatabase.CreateDataSource(connectionString);
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
    }

    public string ConnectionString { get; }
    public string? BigConnectionString { get; }
    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public NpgsqlDataSource DataSource { get; }
    public HttpClient Http { get; }

    /// <summary>Starts the service over <paramref name="connectionString"/> (loading the demo if the database is empty).</summary>
    public static async Task<BenchContext> StartAsync(string connectionString, string? bigConnectionString, CancellationToken ct)
    {
        var app = await StartServiceAsync(connectionString, ct);
        return new BenchContext(connectionString, bigConnectionString, app, Address(app));
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
