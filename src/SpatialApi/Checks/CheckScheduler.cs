using System.Data;
using Npgsql;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>
/// The one timer loop of the checks. At start it records interrupted runs as <c>error</c>; then, every
/// <see cref="CheckOptions.PollInterval"/> (or sooner when a scheduled time comes first), it runs each enabled check
/// that is due: its cron schedule has passed since its last scheduled run (a time missed while the service was down
/// gives one run, marked <c>missed-schedule</c>), or a layer it reads has a version its last run did not see (an
/// import by the API, the command line or another process). When several services share a database, only the one
/// holding the scheduler's advisory lock runs the schedule and the runs after imports; another takes over if it dies.
/// </summary>
public sealed class CheckScheduler(
    NpgsqlDataSource db, CheckStore store, CheckLedger ledger, CheckRunner runner, CheckOptions options, ILogger<CheckScheduler> log)
    : BackgroundService
{
    /// <summary>The connection that holds the scheduler's lock while this process leads.</summary>
    private NpgsqlConnection? lead;

    /// <summary>A scheduled time older than this when its run starts counts as missed.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    /// <summary>How far back the latest missed time is looked for among frequent schedules.</summary>
    private static readonly TimeSpan Lookback = TimeSpan.FromDays(7);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            foreach (var run in await ledger.RecoverInterruptedAsync(stoppingToken))
            {
                log.LogWarning("Check {Check}: run {Run} had been interrupted; recorded as error", run.CheckId, run.Id);
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            log.LogError(e, "Could not record the interrupted check runs; will retry at the next start");
        }

        try
        {
            await LoopAsync(stoppingToken);
        }
        finally
        {
            if (lead is not null)
            {
                await lead.DisposeAsync();
            }
        }
    }

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = options.PollInterval;
            try
            {
                var next = await LeadAsync(stoppingToken) ? await TickAsync(DateTimeOffset.UtcNow, stoppingToken) : null;
                if (next is { } at && at - DateTimeOffset.UtcNow < wait)
                {
                    wait = at - DateTimeOffset.UtcNow;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                log.LogError(e, "Check scheduler tick failed; retrying in {Seconds} s", options.PollInterval.TotalSeconds);
            }

            try
            {
                await Task.Delay(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await runner.DrainAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>True while this process holds the scheduler's lock (taken when free, checked on every tick).</summary>
    private async Task<bool> LeadAsync(CancellationToken ct)
    {
        if (lead is { State: ConnectionState.Open })
        {
            try
            {
                await using var alive = new NpgsqlCommand("SELECT 1", lead);
                await alive.ExecuteScalarAsync(ct);
                return true;
            }
            catch (NpgsqlException e)
            {
                log.LogWarning(e, "Lost the connection that holds the check scheduler's lock");
            }
        }

        if (lead is not null)
        {
            await lead.DisposeAsync();
            lead = null;
        }

        var connection = await db.OpenConnectionAsync(ct);
        await using var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
        take.Parameters.Add(new() { Value = CheckLedger.LockClass });
        take.Parameters.Add(new() { Value = CheckLedger.SchedulerLockKey });
        if (await take.ExecuteScalarAsync(ct) is true)
        {
            log.LogInformation("This process runs the check schedule ({Runner})", CheckLedger.Runner);
            lead = connection;
            return true;
        }

        await connection.DisposeAsync();
        return false;
    }

    /// <summary>Runs the checks due at <paramref name="now"/>, one after another; returns the next scheduled time of any check.</summary>
    public async Task<DateTimeOffset?> TickAsync(DateTimeOffset now, CancellationToken ct)
    {
        var checks = await store.ListAsync(ct);
        var progress = await ledger.ProgressAsync(ct);
        var counts = await ledger.VersionCountsAsync(ct);
        DateTimeOffset? next = null;
        foreach (var check in checks.Where(c => c.Enabled))
        {
            var state = progress.GetValueOrDefault(check.Id) ?? new CheckProgress(check.LayersSeen, null);
            var (trigger, scheduledFor) = Due(check, state, counts, now);
            if (trigger is not null)
            {
                await runner.RunAsync(check, trigger, scheduledFor, ct);
            }

            if (check.NextOccurrence(scheduledFor ?? now) is { } upcoming && (next is null || upcoming < next))
            {
                next = upcoming;
            }
        }

        return next;
    }

    /// <summary>Why <paramref name="check"/> should run at <paramref name="now"/> (a trigger and the scheduled time it serves), or nulls.</summary>
    public static (string? Trigger, DateTimeOffset? ScheduledFor) Due(
        CheckDefinition check, CheckProgress progress, IReadOnlyDictionary<string, long> versionCounts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(versionCounts);
        var reference = progress.LastScheduledFor is { } last && last > check.ScheduleSince ? last : check.ScheduleSince;
        if (check.NextOccurrence(reference) is { } first && first <= now)
        {
            var latest = check.LatestOccurrence(reference > now - Lookback ? reference : now - Lookback, now)
                ?? check.LatestOccurrence(reference, now) ?? first;
            return (now - latest > Grace ? CheckTriggers.MissedSchedule : CheckTriggers.Schedule, latest);
        }

        var seen = check.Layers.Sum(l => versionCounts.GetValueOrDefault(l));
        return seen > progress.LayersSeen ? (CheckTriggers.Import, null) : (null, null);
    }
}
