using System.Globalization;
using EcoSpatial.SpatialApi.Checks;
using EcoSpatial.SpatialApi.Persistence;

namespace EcoSpatial.SpatialApi.Cli;

/// <summary>
/// <c>eco check --all | ID...</c>: runs checks now against the database in <c>ECO_DB</c>, appends their records to the
/// ledger, sends their alerts, and prints a table. Exit code: 0 every check passed, 1 a check failed, 2 a check could
/// not run (status <c>error</c>, unknown id, no database) and none failed.
/// </summary>
public static class CheckCommand
{
    public const string Usage = "usage: eco check --all | ID...   (exit 0 all pass, 1 a check failed, 2 could not run)";

    /// <summary>Runs the command against the database named by <c>ECO_DB</c>.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors) =>
        RunAsync(args, Environment.GetEnvironmentVariable(EcoDatabase.ConnectionKey), output, errors);

    /// <summary>Runs the command against the database at <paramref name="connection"/>.</summary>
    public static async Task<int> RunAsync(string[] args, string? connection, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var all = args.Contains("--all");
        var ids = args.Where(a => a != "--all").ToList();
        if (all == (ids.Count > 0) || ids.Any(i => i.StartsWith('-')))
        {
            await errors.WriteLineAsync($"eco: {Usage}");
            return 2;
        }

        if (string.IsNullOrEmpty(connection))
        {
            await errors.WriteLineAsync($"eco: {EcoDatabase.ConnectionKey} is not set (./eco check sets it for the local database)");
            return 2;
        }

        await using var dataSource = EcoDatabase.CreateDataSource(connection);
        await EcoDatabase.MigrateAsync(dataSource, CancellationToken.None);
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true)
                .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace))
            .AddSingleton(dataSource)
            .AddCheckServices(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<CheckStore>();
        var runner = provider.GetRequiredService<CheckRunner>();
        foreach (var run in await provider.GetRequiredService<CheckLedger>().RecoverInterruptedAsync(CancellationToken.None))
        {
            await errors.WriteLineAsync($"eco: check {run.CheckId}: an interrupted run was recorded as error (record {run.Id})");
        }

        var rows = new List<(string Check, string Status, string Run, string Message)>();
        var checks = all ? (await store.ListAsync(CancellationToken.None)).Where(c => c.Enabled).ToList() : [];
        foreach (var id in ids)
        {
            if (await store.FindAsync(id, CancellationToken.None) is { } check)
            {
                checks.Add(check);
            }
            else
            {
                rows.Add((id, "error", "-", "no such check"));
            }
        }

        foreach (var check in checks)
        {
            var run = await runner.RunAsync(check, CheckTriggers.Cli, null, CancellationToken.None);
            rows.Add((check.Id, CheckLedger.StatusText(run.Status), run.Id.ToString(CultureInfo.InvariantCulture), run.Message));
        }

        await runner.DrainAsync(TimeSpan.FromMinutes(5)); // the alerts, with their retries
        if (rows.Count == 0)
        {
            await output.WriteLineAsync("no checks are defined (POST /api/checks defines one)");
            return 0;
        }

        var width = Math.Max("CHECK".Length, rows.Max(r => r.Check.Length));
        var runWidth = Math.Max("RUN".Length, rows.Max(r => r.Run.Length));
        await output.WriteLineAsync($"{"CHECK".PadRight(width)}  STATUS  {"RUN".PadLeft(runWidth)}  MESSAGE");
        foreach (var (check, status, run, message) in rows)
        {
            await output.WriteLineAsync($"{check.PadRight(width)}  {status,-6}  {run.PadLeft(runWidth)}  {message}");
        }

        return rows.Any(r => r.Status == "fail") ? 1 : rows.Any(r => r.Status == "error") ? 2 : 0;
    }
}
