using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Checks;
using EcoSpatial.SpatialApi.Cli;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Checks;

/// <summary>
/// Checks end to end on real PostGIS: imports through the API trigger runs, the ledger is append-only (also for SQL),
/// interrupted runs become <c>error</c> records, missed schedules run once, alerts reach a webhook receiver with
/// retries, and <c>eco check</c> prints a table and exits 0/1/2.
/// </summary>
/// <remarks>
/// Red lines: 2021 is 113.0–113.075°E × 30.0–30.05°N (approved); 2023 loses a 0.005° strip at its east edge with no
/// approval; 2024 restores the 2021 outline (approved).
/// </remarks>
[Collection(nameof(ChecksCollection))]
public class ChecksTests : IAsyncLifetime
{
    private static readonly string Redlines2021 = Redlines(113.075);
    private static readonly string Redlines2023 = Redlines(113.07);
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await db.DisposeAsync();

    private static string Redlines(double east) => Collection(Feature("""{"HXBH":"HX-1","HXMC":"甲镇林地"}""",
        FormattableString.Invariant($"[[[113.0,30.0],[{east},30.0],[{east},30.05],[113.0,30.05],[113.0,30.0]]]")));

    private static async Task Import(HttpClient editor, string json, string asOf, string? approval = null, string fileName = "upload.geojson") =>
        (await editor.PostAsync("/api/layers/redlines/versions", Upload(json, asOf, approval: approval, fileName: fileName))).EnsureSuccessStatusCode();

    private static async Task Define(HttpClient editor, object check) =>
        Assert.Equal(HttpStatusCode.Created, (await editor.PostAsJsonAsync("/api/checks", check)).StatusCode);

    private static object RedlineCheck(string id, string baseline, params string[] webhooks) => new
    {
        id, name = "红线面积不减少", kind = "redline-area-not-decreasing", parameters = new { baseline, toleranceM2 = 0 }, webhooks,
    };

    private Task<long> Count(string sql) => db.ScalarAsync<long>(sql);

    private static async Task<List<JsonElement>> Runs(HttpClient client, string checkId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/checks/{checkId}/runs")).GetProperty("runs").EnumerateArray().ToList();

    [Fact]
    public async Task A_loss_fails_with_one_record_and_an_alert_and_the_restoring_version_recovers()
    {
        using var receiver = new WebhookReceiver(HttpStatusCode.InternalServerError); // the first delivery fails once
        await using var host = new ChecksHost(db.ConnectionString).Started();
        var editor = host.CreateEditor();
        // Another layer first, so the red-line version ids (2, 3, 4) differ from their counts (1, 2, 3).
        (await editor.PostAsync("/api/layers/admin-units/versions", Upload(Collection(
            Feature("""{"XZQDM":"420984001","XZQMC":"甲镇","DXLB":"平原"}""", Square(113.0, 30.0, 0.1))), "2000-01-01"))).EnsureSuccessStatusCode();
        await Import(editor, Redlines2021, "2021-12-31", "批复 2021");
        await Define(editor, RedlineCheck("redline", "2021-12-31", receiver.Url));

        await Import(editor, Redlines2023, "2023-12-31");
        await Eventually.HoldsAsync(async () => await Count("SELECT count(*) FROM check_runs") == 1, "a record after the import");
        await Task.Delay(500); // five more scheduler ticks: still one record
        var fail = Assert.Single(await Runs(editor, "redline"));
        Assert.Equal("fail", fail.GetProperty("status").GetString());
        Assert.Equal("import", fail.GetProperty("trigger").GetString());
        Assert.Contains("without an approval reference", fail.GetProperty("message").GetString());
        var figures = fail.GetProperty("figures");
        Assert.True(figures.GetProperty("netM2").GetDouble() < -1e6, "0.005° × 0.05° is about 2.4 km²");
        Assert.Equal(figures.GetProperty("lostM2").GetDouble(), figures.GetProperty("unapprovedLossM2").GetDouble());
        Assert.Equal([2L, 3L], fail.GetProperty("inputs").EnumerateArray()
            .Where(i => i.GetProperty("layer").GetString() == "redlines").Select(i => i.GetProperty("versionId").GetInt64()));
        Assert.Equal("2021-12-31", fail.GetProperty("definition").GetProperty("parameters").GetProperty("baseline").GetString());

        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count == 2), "the alert, delivered on the second attempt");
        var alert = receiver.Received.Last();
        Assert.Equal("fail", alert.Event);
        Assert.Equal("fail", alert.Body.GetProperty("event").GetString());
        Assert.Equal("redline", alert.Body.GetProperty("check").GetProperty("id").GetString());
        Assert.Equal(fail.GetProperty("id").GetInt64(), alert.Body.GetProperty("run").GetProperty("id").GetInt64());
        var detail = await editor.GetFromJsonAsync<JsonElement>($"/api/checks/redline/runs/{fail.GetProperty("id").GetInt64()}");
        var attempts = detail.GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal([false, true], attempts.Select(a => a.GetProperty("delivered").GetBoolean()));
        Assert.Equal([500, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.DoesNotContain("/hook/", attempts[0].GetProperty("target").GetString()); // URLs may hold secrets: origin only

        await Import(editor, Redlines2021, "2024-12-31", "批复 2024");
        await Eventually.HoldsAsync(async () => await Count("SELECT count(*) FROM check_runs") == 2, "a record after the restoring import");
        var pass = (await Runs(editor, "redline"))[0];
        Assert.Equal("pass", pass.GetProperty("status").GetString());
        await Eventually.HoldsAsync(() => Task.FromResult(receiver.Received.Count == 3), "the recovery alert");
        Assert.Equal("recovered", receiver.Received.Last().Body.GetProperty("event").GetString());
        Assert.Equal("fail", receiver.Received.Last().Body.GetProperty("run").GetProperty("previousStatus").GetString());
    }

    [Fact]
    public async Task Stopping_the_service_in_the_middle_of_a_run_leaves_an_error_record()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new ChecksHost(db.ConnectionString, async (_, ct) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        }).Started();
        var editor = first.CreateEditor();
        await Import(editor, Redlines2021, "2021-12-31", "批复 2021");
        await Define(editor, RedlineCheck("redline", "2021-12-31"));
        var request = editor.PostAsync("/api/checks/redline/run", null);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await Count("SELECT count(*) FROM check_run_starts"));

        await first.DisposeAsync();
        _ = request.ContinueWith(t => t.Exception, TaskScheduler.Default); // its answer is lost with the host

        await using var second = new ChecksHost(db.ConnectionString).Started();
        var run = Assert.Single(await Runs(second.CreateClient(), "redline"));
        Assert.Equal("error", run.GetProperty("status").GetString());
        Assert.StartsWith("interrupted", run.GetProperty("message").GetString());
        Assert.Equal(0, await Count("SELECT count(*) FROM check_run_starts s WHERE NOT EXISTS (SELECT 1 FROM check_runs r WHERE r.start_id = s.id)"));
    }

    [Fact]
    public async Task A_run_whose_process_died_is_recorded_as_error_at_the_next_start_and_a_live_one_is_left_alone()
    {
        await using (var first = new ChecksHost(db.ConnectionString).Started())
        {
            await Define(first.CreateEditor(), RedlineCheck("redline", "2021-12-31"));
        }

        // A process that began a run and died: its start row exists, its connection (and so its lock) is gone.
        await using var other = EcoDatabase.CreateDataSource(db.ConnectionString);
        var ledger = new CheckLedger(other);
        var check = await new CheckStore(other).GetAsync("redline", CancellationToken.None);
        var dead = await ledger.BeginAsync(check, CheckTriggers.Cli, null, CancellationToken.None);
        await dead.DisposeAsync();
        await using var live = await ledger.BeginAsync(check, CheckTriggers.Cli, null, CancellationToken.None);

        await using var second = new ChecksHost(db.ConnectionString).Started();
        await Eventually.HoldsAsync(async () => await Count("SELECT count(*) FROM check_runs") == 1, "the dead run's error record");
        var run = Assert.Single(await Runs(second.CreateClient(), "redline"));
        Assert.Equal("error", run.GetProperty("status").GetString());
        Assert.Contains("never finished", run.GetProperty("message").GetString());
        Assert.Empty(await ledger.RecoverInterruptedAsync(CancellationToken.None)); // the live run holds its lock

        var finished = await live.FinishAsync(CheckStatus.Pass, "done", [], null);
        Assert.Equal(CheckStatus.Pass, finished.Status);
        Assert.Equal(2, await Count("SELECT count(*) FROM check_runs"));
    }

    [Fact]
    public async Task The_ledger_refuses_update_delete_and_truncate_through_SQL()
    {
        using var receiver = new WebhookReceiver();
        await using (var host = new ChecksHost(db.ConnectionString).Started())
        {
            var editor = host.CreateEditor();
            await Import(editor, Redlines2021, "2021-12-31", "批复 2021");
            await Import(editor, Redlines2023, "2023-12-31");
            await Define(editor, RedlineCheck("redline", "2021-12-31", receiver.Url));
            Assert.Equal(HttpStatusCode.OK, (await editor.PostAsync("/api/checks/redline/run", null)).StatusCode);
            await Eventually.HoldsAsync(async () => await Count("SELECT count(*) FROM check_alert_deliveries") == 1, "the delivery row");
        }

        string[] statements =
        [
            "UPDATE check_runs SET status = 'pass'", "DELETE FROM check_runs", "TRUNCATE check_runs CASCADE",
            "UPDATE check_run_starts SET trigger = 'x'", "DELETE FROM check_run_starts", "TRUNCATE check_run_starts CASCADE",
            "UPDATE check_alert_deliveries SET delivered = false", "DELETE FROM check_alert_deliveries", "TRUNCATE check_alert_deliveries",
        ];
        foreach (var sql in statements)
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => db.ScalarAsync<object>(sql));
            Assert.Contains("append-only", refused.MessageText);
        }

        Assert.Equal("fail", await db.ScalarAsync<string>("SELECT status FROM check_runs"));
        Assert.Equal(1, await Count("SELECT count(*) FROM check_alert_deliveries"));
    }

    [Fact]
    public async Task A_schedule_missed_while_the_service_was_down_runs_once_at_start_also_after_an_interrupted_run_and_a_due_one_runs()
    {
        await using (var first = new ChecksHost(db.ConnectionString).Started())
        {
            var editor = first.CreateEditor();
            await Import(editor, Redlines2021, "2021-12-31", "批复 2021");
            await Define(editor, new
            {
                id = "yearly", kind = "redline-area-not-decreasing", parameters = new { baseline = "2021-12-31" }, schedule = "0 0 1 1 *",
            });
        }

        // As if the check had been defined in 2024, and the service had been down over two new years but for a
        // moment in which it began this year's run and died.
        await db.ScalarAsync<object>("UPDATE checks SET schedule_since = '2024-06-01T00:00:00Z'");
        var newYear = new DateTimeOffset(DateTimeOffset.UtcNow.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var other = EcoDatabase.CreateDataSource(db.ConnectionString))
        {
            var check = await new CheckStore(other).GetAsync("yearly", CancellationToken.None);
            await (await new CheckLedger(other).BeginAsync(check, CheckTriggers.Schedule, newYear, CancellationToken.None)).DisposeAsync();
        }

        await using var second = new ChecksHost(db.ConnectionString).Started();
        var editor2 = second.CreateEditor();
        await Eventually.HoldsAsync(async () => await Count("SELECT count(*) FROM check_runs") == 2, "the interrupted run's record and the missed run");
        await Task.Delay(500);
        var runs = await Runs(editor2, "yearly");
        Assert.Equal(2, runs.Count);
        var (missed, interrupted) = (runs[0], runs[1]);
        Assert.Equal("error", interrupted.GetProperty("status").GetString());
        Assert.Equal(newYear, interrupted.GetProperty("scheduledFor").GetDateTimeOffset());
        Assert.Equal("missed-schedule", missed.GetProperty("trigger").GetString());
        Assert.Equal("pass", missed.GetProperty("status").GetString());
        Assert.Equal(newYear, missed.GetProperty("scheduledFor").GetDateTimeOffset());

        await Define(editor2, new
        {
            id = "every-second", kind = "redline-area-not-decreasing", parameters = new { baseline = "2021-12-31" }, schedule = "* * * * * *",
            timeZone = "Asia/Shanghai", // a zone east of UTC: its times reach the ledger in UTC
        });
        await Eventually.HoldsAsync(async () => (await Runs(editor2, "every-second")).Count >= 2, "two scheduled runs");
        Assert.All(await Runs(editor2, "every-second"), r => Assert.Equal("schedule", r.GetProperty("trigger").GetString()));
    }

    [Fact]
    public async Task Two_services_on_one_database_run_each_scheduled_time_once()
    {
        await using var first = new ChecksHost(db.ConnectionString).Started();
        await using var second = new ChecksHost(db.ConnectionString).Started();
        await Import(first.CreateEditor(), Redlines2021, "2021-12-31", "批复 2021");
        await Define(second.CreateEditor(), new
        {
            id = "every-second", kind = "redline-area-not-decreasing", parameters = new { baseline = "2021-12-31" }, schedule = "* * * * * *",
            timeZone = "Asia/Shanghai", // a zone east of UTC: its times reach the ledger in UTC
        });

        await Eventually.HoldsAsync(async () => await Count("SELECT count(*) FROM check_runs") >= 4, "four scheduled runs");
        Assert.Equal(0, await Count("""
            SELECT count(*) FROM (SELECT scheduled_for FROM check_run_starts GROUP BY scheduled_for HAVING count(*) > 1) twice
            """));
    }

    [Fact]
    public async Task Definitions_are_validated_guarded_by_the_editor_key_revised_and_retired()
    {
        await using var host = new ChecksHost(db.ConnectionString).Started();
        var editor = host.CreateEditor();
        var anonymous = host.CreateClient();
        var check = RedlineCheck("redline", "2021-12-31");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/checks", check)).StatusCode);
        var bad = await editor.PostAsJsonAsync("/api/checks", new { id = "x", kind = "area-goes-up" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await editor.PostAsJsonAsync("/api/checks",
            new { id = "x", kind = "redline-area-not-decreasing", parameters = new { baseline = "2021-12-31" }, schedule = "every day" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await editor.PostAsJsonAsync("/api/checks",
            new { id = "x", kind = "coverage-at-least", parameters = new { baseline = "2021-12-31" } })).StatusCode);

        await Define(editor, check);
        Assert.Equal(HttpStatusCode.Conflict, (await editor.PostAsJsonAsync("/api/checks", check)).StatusCode);
        var list = await anonymous.GetFromJsonAsync<JsonElement>("/api/checks");
        var listed = Assert.Single(list.EnumerateArray()).GetProperty("definition");
        Assert.Equal(["redlines"], listed.GetProperty("layers").EnumerateArray().Select(l => l.GetString()));

        var revised = await editor.PutAsJsonAsync("/api/checks/redline", new
        {
            kind = "redline-area-not-decreasing", parameters = new { baseline = "2021-12-31", toleranceM2 = 100 }, schedule = "0 6 * * *",
            timeZone = "Asia/Shanghai",
        });
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        var one = await anonymous.GetFromJsonAsync<JsonElement>("/api/checks/redline");
        Assert.Equal(2, one.GetProperty("definition").GetProperty("revision").GetInt32());
        Assert.Equal(6 - 8 + 24, one.GetProperty("nextScheduledAt").GetDateTimeOffset().UtcDateTime.Hour); // 06:00 in UTC+8

        Assert.Equal(HttpStatusCode.OK, (await editor.PostAsync("/api/checks/redline/run", null)).StatusCode); // no data: an error record
        Assert.Equal(HttpStatusCode.NoContent, (await editor.DeleteAsync("/api/checks/redline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/checks/redline")).StatusCode);
        var kept = Assert.Single(await Runs(anonymous, "redline"));
        Assert.Equal("error", kept.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await editor.PostAsJsonAsync("/api/checks", check)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/checks/never/runs")).StatusCode);
        Assert.Equal("check-create check-replace check-delete", await db.ScalarAsync<string>(
            "SELECT string_agg(action, ' ' ORDER BY id) FROM audit_log WHERE details->>'check' = 'redline'"));
        Assert.Equal("100", await db.ScalarAsync<string>(
            "SELECT details->'parameters'->>'toleranceM2' FROM audit_log WHERE action = 'check-replace'"));
    }

    [Fact]
    public async Task Runs_page_newest_first_and_come_as_CSV()
    {
        await using var host = new ChecksHost(db.ConnectionString).Started();
        var editor = host.CreateEditor();
        await Import(editor, Redlines2021, "2021-12-31", "批复 2021");
        await Define(editor, RedlineCheck("redline", "2021-12-31"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await editor.PostAsync("/api/checks/redline/run", null)).StatusCode);
        }

        var page = await editor.GetAsync("/api/checks/redline/runs?limit=2");
        var body = await page.Content.ReadFromJsonAsync<JsonElement>();
        var ids = body.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()).ToList();
        Assert.Equal([3L, 2L], ids);
        var next = body.GetProperty("next").GetString()!;
        Assert.Contains("before=2", next);
        Assert.Contains("rel=\"next\"", page.Headers.GetValues("Link").Single());
        var rest = await editor.GetFromJsonAsync<JsonElement>(next);
        Assert.Equal([1L], rest.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("id").GetInt64()));

        var csv = await editor.GetAsync("/api/checks/redline/runs?format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("run_id,check_id,trigger,", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("3,redline,api,,", lines[1]);
        Assert.Contains(",pass,", lines[1]);
        Assert.Contains("redlines:1", lines[1]);
    }

    [Fact]
    public async Task Eco_check_prints_a_table_and_exits_1_on_the_demo_loss_0_on_pass_2_when_it_cannot_run()
    {
        await using (var host = new ChecksHost(db.ConnectionString).Started())
        {
            var editor = host.CreateEditor();
            await Import(editor, Redlines2021, "2021-12-31", "批复 2021", "redlines-2021.geojson");
            await Import(editor, Redlines2023, "2023-12-31", fileName: "redlines-2023.geojson");
            await Define(editor, RedlineCheck("since-2023", "2023-12-31"));
            await Define(editor, RedlineCheck("no-baseline", "1999-01-01"));
        }

        await using (var dataSource = EcoDatabase.CreateDataSource(db.ConnectionString))
        {
            await DemoChecks.EnsureAsync(dataSource, NullLogger.Instance, CancellationToken.None);
            await DemoChecks.EnsureAsync(dataSource, NullLogger.Instance, CancellationToken.None); // idempotent
        }

        async Task<(int Exit, string Out, string Err)> Eco(params string[] args)
        {
            var (output, errors) = (new StringWriter(), new StringWriter());
            var exit = await CheckCommand.RunAsync(args, db.ConnectionString, output, errors);
            return (exit, output.ToString(), errors.ToString());
        }

        var all = await Eco("--all");
        Assert.Equal(1, all.Exit);
        var lines = all.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("CHECK", lines[0]);
        var demo = Assert.Single(lines, l => l.StartsWith(DemoChecks.RedlineCheckId, StringComparison.Ordinal));
        Assert.Contains(" fail ", demo);
        Assert.Contains("without an approval reference", demo);
        Assert.Contains(lines, l => l.StartsWith("since-2023", StringComparison.Ordinal) && l.Contains(" pass ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("no-baseline", StringComparison.Ordinal) && l.Contains(" error ", StringComparison.Ordinal));

        Assert.Equal(0, (await Eco("since-2023")).Exit);
        Assert.Equal(2, (await Eco("no-baseline")).Exit);
        Assert.Equal(2, (await Eco("no-such-check")).Exit);
        Assert.Equal(2, (await Eco()).Exit);
        Assert.Equal(2, (await CheckCommand.RunAsync(["--all"], null, TextWriter.Null, TextWriter.Null)));
        Assert.Equal(5, await Count("SELECT count(*) FROM check_runs WHERE trigger = 'cli'"));
    }
}
