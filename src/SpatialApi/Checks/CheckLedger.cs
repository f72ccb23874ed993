using System.Text.Json;
using EcoSpatial.SpatialApi.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>The verdict of one run.</summary>
public enum CheckStatus
{
    Pass,
    Fail,
    Error,
}

/// <summary>What started a run.</summary>
public static class CheckTriggers
{
    public const string Schedule = "schedule";
    public const string MissedSchedule = "missed-schedule";
    public const string Import = "import";
    public const string Api = "api";
    public const string Cli = "cli";
}

/// <summary>One ledger record: a finished (or interrupted) run, with the definition as it was when it started.</summary>
public sealed record CheckRun(
    long Id,
    string CheckId,
    string Trigger,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    CheckStatus Status,
    string Message,
    JsonElement Inputs,
    JsonElement? Figures,
    JsonElement Definition);

/// <summary>One attempt to deliver an alert to one webhook.</summary>
public sealed record AlertDelivery(
    long Id, long RunId, string Event, int Webhook, string Target, int Attempt, DateTimeOffset AttemptedAt, double DurationMs,
    int? StatusCode, string? Error, bool Delivered);

/// <summary>What the scheduler needs to know about a check besides its definition.</summary>
/// <param name="LayersSeen">Versions of the check's layers that existed when its latest run (of this revision) started.</param>
/// <param name="LastScheduledFor">The latest scheduled time a run was started for.</param>
public sealed record CheckProgress(long LayersSeen, DateTimeOffset? LastScheduledFor);

/// <summary>
/// The append-only ledger of check runs. A run writes a start row (<c>check_run_starts</c>) and, when it ends, one
/// record (<c>check_runs</c>); nothing is ever updated. While it runs, its process holds a PostgreSQL session advisory
/// lock on the start, so a start without a record whose lock is free belongs to a process that died:
/// <see cref="RecoverInterruptedAsync"/> records it as <c>error</c>. The database refuses UPDATE, DELETE and
/// TRUNCATE on these tables (migration <c>Checks</c>).
/// </summary>
public sealed class CheckLedger(NpgsqlDataSource db)
{
    /// <summary>First key of the advisory locks on run starts ("ECK").</summary>
    internal const int LockClass = 0x45434B;

    /// <summary>Second key of the lock held by the one process that runs the schedule (run starts use keys ≥ 0).</summary>
    internal const int SchedulerLockKey = -1;

    private const string RunColumns =
        "id, check_id, trigger, scheduled_for, started_at, finished_at, status, message, inputs::text, figures::text, definition::text";

    /// <summary>How the message of a run that was cut short (shutdown, crash) begins.</summary>
    public const string InterruptedPrefix = "interrupted:";

    /// <summary>Who runs: host and process, written on each start for the record.</summary>
    public static string Runner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>
    /// Records that a run of <paramref name="check"/> starts, and holds its lock until the handle is disposed. The
    /// lock is taken before the start row is visible to anyone, so recovery never mistakes a live run for a dead one.
    /// </summary>
    public async Task<RunHandle> BeginAsync(CheckDefinition check, string trigger, DateTimeOffset? scheduledFor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var connection = await db.OpenConnectionAsync(ct);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            var definition = CheckJson.Write(check.Public());
            await using var insert = new NpgsqlCommand("""
                INSERT INTO check_run_starts (check_id, trigger, scheduled_for, started_at, definition, layers_seen, runner)
                VALUES (@check, @trigger, @scheduled, clock_timestamp(), @definition::jsonb,
                        (SELECT count(*) FROM layer_versions WHERE layer = ANY(@layers)), @runner)
                RETURNING id, started_at
                """, connection, transaction);
            insert.Parameters.AddWithValue("check", check.Id);
            insert.Parameters.AddWithValue("trigger", trigger);
            insert.Parameters.Add(new NpgsqlParameter("scheduled", NpgsqlDbType.TimestampTz) { Value = (object?)scheduledFor ?? DBNull.Value });
            insert.Parameters.AddWithValue("definition", definition);
            insert.Parameters.AddWithValue("layers", check.Layers.ToArray());
            insert.Parameters.AddWithValue("runner", Runner);
            long id;
            DateTimeOffset startedAt;
            await using (var reader = await insert.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                (id, startedAt) = (reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1));
            }

            await using (var lockIt = new NpgsqlCommand("SELECT pg_advisory_lock($1, $2)", connection, transaction))
            {
                lockIt.Parameters.Add(new() { Value = LockClass });
                lockIt.Parameters.Add(new() { Value = LockKey(id) });
                await lockIt.ExecuteNonQueryAsync(ct);
            }

            await transaction.CommitAsync(ct);
            return new RunHandle(connection, id, check.Id, trigger, scheduledFor, startedAt, definition);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Records every start that has no record and no live owner as <c>error</c>; returns those records. Safe to call
    /// from any process at any time: a start whose run is still going is skipped because its lock is held.
    /// </summary>
    public async Task<List<CheckRun>> RecoverInterruptedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var orphans = new List<(long Id, string Check, string Trigger, DateTimeOffset? Scheduled, DateTimeOffset Started, string Definition, string Runner)>();
        await using (var find = new NpgsqlCommand("""
            SELECT s.id, s.check_id, s.trigger, s.scheduled_for, s.started_at, s.definition::text, s.runner
            FROM check_run_starts s
            WHERE NOT EXISTS (SELECT 1 FROM check_runs r WHERE r.start_id = s.id)
            ORDER BY s.id
            """, connection))
        await using (var reader = await find.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                orphans.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4),
                    reader.GetString(5), reader.GetString(6)));
            }
        }

        var recorded = new List<CheckRun>();
        foreach (var orphan in orphans)
        {
            await using var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock($1, $2)", connection);
            tryLock.Parameters.Add(new() { Value = LockClass });
            tryLock.Parameters.Add(new() { Value = LockKey(orphan.Id) });
            if (await tryLock.ExecuteScalarAsync(ct) is not true)
            {
                continue; // still running in another process
            }

            try
            {
                var message = $"{InterruptedPrefix} the run started at {orphan.Started:yyyy-MM-dd HH:mm:ss}Z by {orphan.Runner} never finished "
                    + $"(the service stopped or crashed); recorded as error by {Runner}";
                if (await InsertRecordAsync(connection, orphan.Id, orphan.Check, orphan.Trigger, orphan.Scheduled, orphan.Started,
                        orphan.Definition, CheckStatus.Error, message, "[]", null, ct) is { } run)
                {
                    recorded.Add(run);
                }
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock($1, $2)", connection);
                unlock.Parameters.Add(new() { Value = LockClass });
                unlock.Parameters.Add(new() { Value = LockKey(orphan.Id) });
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }

        return recorded;
    }

    /// <summary>A page of a check's records, newest first: those with an id below <paramref name="before"/> when given.</summary>
    public async Task<List<CheckRun>> RunsAsync(string checkId, long? before, int limit, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            SELECT {RunColumns} FROM check_runs
            WHERE check_id = $1 AND ($2::bigint IS NULL OR id < $2)
            ORDER BY id DESC LIMIT $3
            """);
        command.Parameters.Add(new() { Value = checkId });
        command.Parameters.Add(new() { Value = (object?)before ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = limit });
        return await ReadRunsAsync(command, ct);
    }

    /// <summary>One record of a check, or null.</summary>
    public async Task<CheckRun?> RunAsync(string checkId, long runId, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT {RunColumns} FROM check_runs WHERE check_id = $1 AND id = $2");
        command.Parameters.Add(new() { Value = checkId });
        command.Parameters.Add(new() { Value = runId });
        return (await ReadRunsAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>The latest record of each check, by check id.</summary>
    public async Task<Dictionary<string, CheckRun>> LatestAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            SELECT {RunColumns} FROM check_runs
            WHERE id IN (SELECT max(id) FROM check_runs GROUP BY check_id)
            """);
        return (await ReadRunsAsync(command, ct)).ToDictionary(r => r.CheckId);
    }

    /// <summary>The status of the latest pass or fail record before <paramref name="runId"/> (errors say nothing about the data).</summary>
    public async Task<CheckStatus?> PreviousVerdictAsync(string checkId, long runId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT status FROM check_runs WHERE check_id = $1 AND id < $2 AND status IN ('pass', 'fail') ORDER BY id DESC LIMIT 1
            """);
        command.Parameters.Add(new() { Value = checkId });
        command.Parameters.Add(new() { Value = runId });
        return await command.ExecuteScalarAsync(ct) is string status ? ParseStatus(status) : null;
    }

    /// <summary>
    /// Per check: versions of its layers seen by its latest run of the current revision, and the latest scheduled time
    /// a run served, or is serving; an interrupted run serves none, so its time is run again as a missed one.
    /// </summary>
    public async Task<Dictionary<string, CheckProgress>> ProgressAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT c.id,
                   coalesce((SELECT s.layers_seen FROM check_run_starts s
                             WHERE s.check_id = c.id AND (s.definition->>'revision')::int = c.revision
                             ORDER BY s.id DESC LIMIT 1), c.layers_seen),
                   (SELECT max(s.scheduled_for) FROM check_run_starts s
                    WHERE s.check_id = c.id AND NOT EXISTS (
                      SELECT 1 FROM check_runs r WHERE r.start_id = s.id AND r.status = 'error' AND starts_with(r.message, $1)))
            FROM checks c WHERE c.deleted_at IS NULL
            """);
        command.Parameters.Add(new() { Value = InterruptedPrefix });
        var progress = new Dictionary<string, CheckProgress>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            progress[reader.GetString(0)] = new CheckProgress(reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
        }

        return progress;
    }

    /// <summary>How many versions each layer has (versions are never deleted, so the counts only grow).</summary>
    public async Task<Dictionary<string, long>> VersionCountsAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT layer, count(*) FROM layer_versions GROUP BY layer");
        var counts = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>Appends one delivery attempt.</summary>
    public async Task RecordDeliveryAsync(CheckRun run, string alertEvent, int webhook, string target, int attempt,
        DateTimeOffset attemptedAt, double durationMs, int? statusCode, string? error, bool delivered)
    {
        ArgumentNullException.ThrowIfNull(run);
        await using var command = db.CreateCommand("""
            INSERT INTO check_alert_deliveries (run_id, check_id, event, webhook, target, attempt, attempted_at, duration_ms,
                                                status_code, error, delivered)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            """);
        command.Parameters.Add(new() { Value = run.Id });
        command.Parameters.Add(new() { Value = run.CheckId });
        command.Parameters.Add(new() { Value = alertEvent });
        command.Parameters.Add(new() { Value = webhook });
        command.Parameters.Add(new() { Value = target });
        command.Parameters.Add(new() { Value = attempt });
        command.Parameters.Add(new() { Value = attemptedAt });
        command.Parameters.Add(new() { Value = durationMs });
        command.Parameters.Add(new() { Value = (object?)statusCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = delivered });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>Every delivery attempt for a record, in order.</summary>
    public async Task<List<AlertDelivery>> DeliveriesAsync(long runId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT id, run_id, event, webhook, target, attempt, attempted_at, duration_ms, status_code, error, delivered
            FROM check_alert_deliveries WHERE run_id = $1 ORDER BY id
            """);
        command.Parameters.Add(new() { Value = runId });
        var deliveries = new List<AlertDelivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            deliveries.Add(new AlertDelivery(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetString(4), reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetDouble(7),
                reader.IsDBNull(8) ? null : reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetBoolean(10)));
        }

        return deliveries;
    }

    internal static int LockKey(long startId) => (int)(startId % int.MaxValue);

    internal static async Task<CheckRun?> InsertRecordAsync(NpgsqlConnection connection, long startId, string checkId, string trigger,
        DateTimeOffset? scheduledFor, DateTimeOffset startedAt, string definition, CheckStatus status, string message,
        string inputs, string? figures, CancellationToken ct)
    {
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO check_runs (start_id, check_id, trigger, scheduled_for, started_at, finished_at, status, message, inputs,
                                    figures, definition)
            VALUES (@start, @check, @trigger, @scheduled, @started, clock_timestamp(), @status, @message, @inputs::jsonb,
                    @figures::jsonb, @definition::jsonb)
            ON CONFLICT (start_id) DO NOTHING
            RETURNING {RunColumns}
            """, connection);
        insert.Parameters.AddWithValue("start", startId);
        insert.Parameters.AddWithValue("check", checkId);
        insert.Parameters.AddWithValue("trigger", trigger);
        insert.Parameters.Add(new NpgsqlParameter("scheduled", NpgsqlDbType.TimestampTz) { Value = (object?)scheduledFor ?? DBNull.Value });
        insert.Parameters.AddWithValue("started", startedAt);
        insert.Parameters.AddWithValue("status", StatusText(status));
        insert.Parameters.AddWithValue("message", message);
        insert.Parameters.AddWithValue("inputs", inputs);
        insert.Parameters.Add(new NpgsqlParameter("figures", NpgsqlDbType.Text) { Value = (object?)figures ?? DBNull.Value });
        insert.Parameters.AddWithValue("definition", definition);
        return (await ReadRunsAsync(insert, ct)).SingleOrDefault();
    }

    public static string StatusText(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "pass",
        CheckStatus.Fail => "fail",
        _ => "error",
    };

    private static CheckStatus ParseStatus(string text) => text switch
    {
        "pass" => CheckStatus.Pass,
        "fail" => CheckStatus.Fail,
        _ => CheckStatus.Error,
    };

    private static async Task<List<CheckRun>> ReadRunsAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var runs = new List<CheckRun>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            runs.Add(new CheckRun(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5), ParseStatus(reader.GetString(6)),
                reader.GetString(7), Json(reader.GetString(8)), reader.IsDBNull(9) ? null : Json(reader.GetString(9)),
                Json(reader.GetString(10))));
        }

        return runs;
    }

    private static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

/// <summary>A run in progress: holds its connection and lock until disposed; <see cref="FinishAsync"/> writes its record.</summary>
public sealed class RunHandle : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;
    private readonly string trigger;
    private readonly DateTimeOffset? scheduledFor;
    private readonly string definition;

    internal RunHandle(NpgsqlConnection connection, long startId, string checkId, string trigger, DateTimeOffset? scheduledFor,
        DateTimeOffset startedAt, string definition)
    {
        this.connection = connection;
        StartId = startId;
        CheckId = checkId;
        this.trigger = trigger;
        this.scheduledFor = scheduledFor;
        StartedAt = startedAt;
        this.definition = definition;
    }

    public long StartId { get; }
    public string CheckId { get; }
    public DateTimeOffset StartedAt { get; }

    /// <summary>Appends the run's record. Not cancellable: a run that started must leave its record.</summary>
    public async Task<CheckRun> FinishAsync(CheckStatus status, string message, IReadOnlyList<InputVersion> inputs, object? figures) =>
        await CheckLedger.InsertRecordAsync(connection, StartId, CheckId, trigger, scheduledFor, StartedAt, definition, status,
            message, CheckJson.Write(inputs), figures is null ? null : CheckJson.Write(figures), CancellationToken.None)
        ?? throw new InvalidOperationException($"Run {StartId} of check '{CheckId}' already has a record.");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // the connection is gone, and with it the lock
        }

        await connection.DisposeAsync();
    }
}
