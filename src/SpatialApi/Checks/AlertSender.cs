using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>Settings of the checks (configuration section <c>Checks</c>).</summary>
public sealed class CheckOptions
{
    /// <summary>How often the scheduler looks for due checks and new imports.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delivery attempts per webhook and alert (the first one included).</summary>
    public int AlertAttempts { get; set; } = 4;

    /// <summary>Wait before the second attempt; doubled before each further one.</summary>
    public TimeSpan AlertBackoff { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time limit of one delivery attempt.</summary>
    public TimeSpan AlertTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Called in every run just before it is evaluated; a seam for tests (a run that waits). Null in service.</summary>
    public Func<CheckDefinition, CancellationToken, Task>? BeforeEvaluate { get; set; }
}

/// <summary>
/// Sends alerts: on <c>fail</c>, and on <c>recovered</c> (a pass whose previous pass-or-fail record was a fail). Each
/// alert goes to the log and is POSTed as JSON to each of the check's webhooks, with up to
/// <see cref="CheckOptions.AlertAttempts"/> attempts and exponential backoff; every attempt is a ledger row.
/// </summary>
public sealed class AlertSender(HttpClient http, CheckLedger ledger, CheckOptions options, ILogger<AlertSender> log)
{
    public const string Fail = "fail";
    public const string Recovered = "recovered";

    /// <summary>The alert event a record calls for, or null.</summary>
    public static string? EventOf(CheckStatus status, CheckStatus? previousVerdict) => status switch
    {
        CheckStatus.Fail => Fail,
        CheckStatus.Pass when previousVerdict == CheckStatus.Fail => Recovered,
        _ => null,
    };

    /// <summary>Logs and delivers the alert for <paramref name="run"/>, if it calls for one. Never throws for a webhook's failure.</summary>
    public async Task SendAsync(CheckDefinition check, CheckRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(run);
        var previous = await ledger.PreviousVerdictAsync(run.CheckId, run.Id, ct);
        if (EventOf(run.Status, previous) is not { } alertEvent)
        {
            return;
        }

        if (alertEvent == Fail)
        {
            log.LogWarning("Check {Check} failed (run {Run}): {Message}", check.Id, run.Id, run.Message);
        }
        else
        {
            log.LogInformation("Check {Check} recovered (run {Run}): {Message}", check.Id, run.Id, run.Message);
        }

        var message = new
        {
            @event = alertEvent,
            check = new { id = check.Id, name = check.Name, kind = check.Kind, revision = check.Revision },
            run = new
            {
                id = run.Id, status = run.Status, previousStatus = previous, trigger = run.Trigger, startedAt = run.StartedAt,
                finishedAt = run.FinishedAt, message = run.Message, inputs = run.Inputs, figures = run.Figures,
            },
            links = new { runs = $"/api/checks/{check.Id}/runs", run = $"/api/checks/{check.Id}/runs/{run.Id}" },
        };
        // Serialised once, sent with a Content-Length (simple receivers do not read chunked bodies).
        var body = JsonSerializer.SerializeToUtf8Bytes(message, CheckJson.Options);
        await Task.WhenAll(check.Webhooks.Select((url, i) => DeliverAsync(run, alertEvent, i, url, body, ct)));
    }

    private async Task DeliverAsync(CheckRun run, string alertEvent, int webhook, string url, byte[] body, CancellationToken ct)
    {
        var target = CheckValidation.Redact(url);
        for (var attempt = 1; attempt <= options.AlertAttempts; attempt++)
        {
            if (attempt > 1)
            {
                try
                {
                    await Task.Delay(options.AlertBackoff * Math.Pow(2, attempt - 2), ct);
                }
                catch (OperationCanceledException)
                {
                    log.LogWarning("Alert for run {Run} to webhook {Webhook} ({Target}) abandoned at shutdown after {Attempts} attempt(s)",
                        run.Id, webhook, target, attempt - 1);
                    return;
                }
            }

            var attemptedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            int? status = null;
            string? error = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.AlertTimeout);
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                request.Headers.Add("X-Eco-Event", alertEvent);
                request.Headers.Add("X-Eco-Delivery", $"{run.Id}-{webhook}-{attempt}");
                using var response = await http.SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                {
                    error = $"HTTP {status} {response.ReasonPhrase}";
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                error = e is OperationCanceledException ? $"no answer within {options.AlertTimeout.TotalSeconds:0.#} s"
                    : e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            }

            var delivered = error is null;
            await ledger.RecordDeliveryAsync(run, alertEvent, webhook, target, attempt, attemptedAt, clock.Elapsed.TotalMilliseconds,
                status, error, delivered);
            if (delivered)
            {
                return;
            }

            log.LogWarning("Alert for run {Run} to webhook {Webhook} ({Target}), attempt {Attempt}/{Attempts}: {Error}",
                run.Id, webhook, target, attempt, options.AlertAttempts, error);
        }
    }
}
