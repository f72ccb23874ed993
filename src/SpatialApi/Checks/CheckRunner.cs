using System.Collections.Concurrent;
using EcoSpatial.SpatialApi.Indicators;
using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>
/// Runs one check: start row, evaluation, ledger record, then the alert in the background (a slow webhook delays
/// neither the caller nor the scheduler; <see cref="DrainAsync"/> waits for it). Whatever happens after the start (a
/// missing input, a bug, a shutdown) ends in a record; only a dead process leaves a start without one, and the next
/// start records that.
/// </summary>
public sealed class CheckRunner(
    CheckStore store, CheckLedger ledger, IndicatorService indicators, AlertSender alerts, CheckOptions options,
    ILogger<CheckRunner> log)
{
    private readonly ConcurrentDictionary<long, Task> running = new();
    private readonly ConcurrentDictionary<Task, bool> alerting = new();

    /// <summary>Runs the check now and returns its ledger record.</summary>
    /// <exception cref="SpatialInputException">NotFound: no such check.</exception>
    public async Task<CheckRun> RunAsync(string checkId, string trigger, DateTimeOffset? scheduledFor, CancellationToken ct)
    {
        var check = await store.GetAsync(checkId, ct);
        return await RunAsync(check, trigger, scheduledFor, ct);
    }

    /// <summary>Runs <paramref name="check"/> as given and returns its ledger record.</summary>
    public async Task<CheckRun> RunAsync(CheckDefinition check, string trigger, DateTimeOffset? scheduledFor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        await using var handle = await ledger.BeginAsync(check, trigger, scheduledFor, ct);
        var work = RunStartedAsync(check, handle, ct);
        running[handle.StartId] = work;
        try
        {
            return await work;
        }
        finally
        {
            running.TryRemove(handle.StartId, out _);
        }
    }

    /// <summary>
    /// Waits (up to <paramref name="limit"/>) for the runs in progress to write their records and for their alerts to be
    /// delivered or given up; for shutdown and for the command line before it exits.
    /// </summary>
    public async Task DrainAsync(TimeSpan limit)
    {
        var deadline = Task.Delay(limit);
        await Task.WhenAny(Task.WhenAll(running.Values), deadline);
        await Task.WhenAny(Task.WhenAll(alerting.Keys), deadline);
    }

    private async Task<CheckRun> RunStartedAsync(CheckDefinition check, RunHandle handle, CancellationToken ct)
    {
        await Task.Yield(); // registered as running before any work
        CheckOutcome outcome;
        try
        {
            if (options.BeforeEvaluate is { } hook)
            {
                await hook(check, ct);
            }

            outcome = await CheckEvaluator.EvaluateAsync(check, indicators, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = new CheckOutcome(CheckStatus.Error, $"{CheckLedger.InterruptedPrefix} the service stopped during the run", [], null);
        }
        catch (SpatialInputException e)
        {
            outcome = new CheckOutcome(CheckStatus.Error, $"could not run: {e.Message}", [], null);
        }
        catch (Exception e)
        {
            log.LogError(e, "Check {Check} run {Start} could not be evaluated", check.Id, handle.StartId);
            outcome = new CheckOutcome(CheckStatus.Error, $"could not run: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}", [], null);
        }

        var run = await handle.FinishAsync(outcome.Status, outcome.Message, outcome.Inputs, outcome.Figures);
        log.LogInformation("Check {Check} ({Trigger}): {Status} — {Message}", check.Id, run.Trigger, CheckLedger.StatusText(run.Status), run.Message);
        if (!ct.IsCancellationRequested)
        {
            var sending = SendAlertAsync(check, run, ct);
            alerting[sending] = true;
            _ = sending.ContinueWith(t => alerting.TryRemove(t, out _), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return run;
    }

    private async Task SendAlertAsync(CheckDefinition check, CheckRun run, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await alerts.SendAsync(check, run, ct);
        }
        catch (Exception e)
        {
            log.LogError(e, "Alert for check {Check} run {Run} could not be sent", check.Id, run.Id);
        }
    }
}
