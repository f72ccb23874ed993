using System.Globalization;
using System.Text;
using System.Text.Json;
using Carter;
using EcoSpatial.SpatialApi.Checks;
using EcoSpatial.SpatialApi.Problems;
using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialApi.Modules;

/// <summary>
/// Routes for the periodic checks: definitions (writes need the editor key), running one now, and the ledger of
/// runs, newest first, as JSON or CSV.
/// </summary>
public sealed class ChecksModule : ICarterModule
{
    private const int DefaultPage = 50;
    private const int MaxPage = 1000;

    /// <summary>Who changes definitions, for the audit trail.</summary>
    private const string Actor = "api";

    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var checks = app.MapGroup("/api/checks").WithTags("Checks");
        checks.MapGet("/", List).WithName("ListChecks")
            .WithSummary("The checks: definition, layers read, next scheduled time and latest record.");
        checks.MapGet("/{id}", Get).WithName("GetCheck").WithSummary("One check.");
        checks.MapPost("/", Create).WithName("CreateCheck").RequireEditorKey()
            .WithSummary("Defines a check (id, name, kind, parameters, schedule, timeZone, webhooks, enabled).");
        checks.MapPut("/{id}", Replace).WithName("ReplaceCheck").RequireEditorKey()
            .WithSummary("Replaces a check's definition; its ledger keeps the definitions its runs had.");
        checks.MapDelete("/{id}", Delete).WithName("DeleteCheck").RequireEditorKey()
            .WithSummary("Retires a check: it no longer runs; its ledger stays readable and its id is not reused.");
        checks.MapPost("/{id}/run", Run).WithName("RunCheck").RequireEditorKey()
            .WithSummary("Runs a check now and returns its ledger record (status pass, fail or error).");
        checks.MapGet("/{id}/runs", Runs).WithName("ListCheckRuns")
            .WithSummary("The ledger of a check, newest first: limit (≤ 1000), before (a run id); format=csv or Accept: text/csv for CSV.");
        checks.MapGet("/{id}/runs/{runId:long}", GetRun).WithName("GetCheckRun")
            .WithSummary("One ledger record with every alert delivery attempt.");
    }

    private static async Task<IResult> List(CheckStore store, CheckLedger ledger, CancellationToken ct)
    {
        var latest = await ledger.LatestAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var list = (await store.ListAsync(ct)).Select(c => View(c, latest.GetValueOrDefault(c.Id), now)).ToList();
        return Json(list);
    }

    private static async Task<IResult> Get(string id, CheckStore store, CheckLedger ledger, CancellationToken ct)
    {
        var check = await store.GetAsync(id, ct);
        var latest = await ledger.LatestAsync(ct);
        return Json(View(check, latest.GetValueOrDefault(id), DateTimeOffset.UtcNow));
    }

    private static async Task<IResult> Create(CheckRequest request, HttpContext http, CheckStore store, CancellationToken ct)
    {
        var id = request.Id ?? throw new SpatialInputException(SpatialError.InvalidArgument, "id is required.");
        var (outcome, created) = await store.CreateAsync(CheckValidation.Validate(id, request), Actor, ct);
        switch (outcome)
        {
            case CreateOutcome.Created:
                http.Response.Headers.Location = $"/api/checks/{id}";
                return TypedResults.Json(created!.Public(), CheckJson.Options, statusCode: StatusCodes.Status201Created);
            case CreateOutcome.WasDeleted:
                return ProblemCatalog.Result("conflict", $"Check '{id}' was deleted; its ledger keeps the id. Choose another id.");
            default:
                return ProblemCatalog.Result("conflict", $"Check '{id}' exists; PUT /api/checks/{id} replaces it.");
        }
    }

    private static async Task<IResult> Replace(string id, CheckRequest request, CheckStore store, CancellationToken ct)
    {
        if (request.Id is { } bodyId && bodyId != id)
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, $"The body's id '{bodyId}' differs from the path's '{id}'.");
        }

        var replaced = await store.ReplaceAsync(CheckValidation.Validate(id, request), Actor, ct)
            ?? throw new SpatialInputException(SpatialError.NotFound, $"No check '{id}'.");
        return Json(replaced.Public());
    }

    private static async Task<IResult> Delete(string id, CheckStore store, CancellationToken ct) =>
        await store.DeleteAsync(id, Actor, ct) ? TypedResults.NoContent()
            : throw new SpatialInputException(SpatialError.NotFound, $"No check '{id}'.");

    private static async Task<IResult> Run(string id, CheckRunner runner, IHostApplicationLifetime lifetime) =>
        // A run goes on if the client leaves (its record must be written); it stops only with the service.
        Json(await runner.RunAsync(id, CheckTriggers.Api, null, lifetime.ApplicationStopping));

    private static async Task<IResult> Runs(
        string id, int? limit, long? before, string? format, HttpContext http, CheckStore store, CheckLedger ledger, CancellationToken ct)
    {
        if (!await store.KnownAsync(id, ct))
        {
            throw new SpatialInputException(SpatialError.NotFound, $"No check '{id}'.");
        }

        var size = limit ?? DefaultPage;
        if (size is < 1 or > MaxPage)
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, $"limit must be between 1 and {MaxPage}.");
        }

        var runs = await ledger.RunsAsync(id, before, size, ct);
        var csv = format == "csv" || (format is null && http.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.Ordinal));
        var next = runs.Count == size ? $"/api/checks/{id}/runs?limit={size}&before={runs[^1].Id}{(csv ? "&format=csv" : "")}" : null;
        if (next is not null)
        {
            http.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }

        return csv
            ? TypedResults.Text(Csv(runs), "text/csv; charset=utf-8")
            : Json(new { checkId = id, runs, next });
    }

    private static async Task<IResult> GetRun(string id, long runId, CheckLedger ledger, CancellationToken ct)
    {
        var run = await ledger.RunAsync(id, runId, ct)
            ?? throw new SpatialInputException(SpatialError.NotFound, $"Check '{id}' has no run {runId}.");
        return Json(new { run, deliveries = await ledger.DeliveriesAsync(runId, ct) });
    }

    private static object View(CheckDefinition check, CheckRun? latest, DateTimeOffset now) => new
    {
        definition = check.Public(),
        nextScheduledAt = check.Enabled ? check.NextOccurrence(now) : null,
        latest = latest is null ? null : new { latest.Id, latest.Status, latest.FinishedAt, latest.Message },
        runs = $"/api/checks/{check.Id}/runs",
    };

    private static IResult Json(object value) => TypedResults.Json(value, CheckJson.Options);

    /// <summary>The ledger page as CSV (RFC 4180): inputs as <c>layer:version</c> pairs, figures as JSON.</summary>
    private static string Csv(IEnumerable<CheckRun> runs)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder("run_id,check_id,trigger,scheduled_for,started_at,finished_at,status,message,inputs,figures\r\n");
        foreach (var r in runs)
        {
            var inputs = string.Join(' ', r.Inputs.EnumerateArray().Select(i =>
                $"{i.GetProperty("layer").GetString()}:{i.GetProperty("versionId").GetInt64().ToString(c)}"));
            string[] fields =
            [
                r.Id.ToString(c), r.CheckId, r.Trigger, r.ScheduledFor?.ToString("O", c) ?? "", r.StartedAt.ToString("O", c),
                r.FinishedAt.ToString("O", c), CheckLedger.StatusText(r.Status), r.Message, inputs,
                r.Figures is { } f ? JsonSerializer.Serialize(f) : "",
            ];
            text.AppendJoin(',', fields.Select(Quote)).Append("\r\n");
        }

        return text.ToString();
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
}
