using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Cronos;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Indicators;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>
/// A check's parameters; which apply depends on its kind (<see cref="CheckKinds"/>). Absent means "not given".
/// </summary>
/// <param name="Baseline">The approved baseline: a date (YYYY-MM-DD, the version in force that day) or a version id.</param>
/// <param name="ToleranceM2">Loss (or new encroachment) up to this many m² still passes; default 0.</param>
/// <param name="Region">Admin code prefix the check is limited to; absent means the whole layer.</param>
/// <param name="ZoneKinds">For <c>no-new-encroachment</c>: redline, reserve-core, water-level1, water-level2 (default all).</param>
/// <param name="Indicator">For <c>coverage-at-least</c>: forest-grass-coverage (default) or natural-land-share.</param>
/// <param name="Threshold">For <c>coverage-at-least</c>: the least value in percent; absent means the indicator's own target.</param>
/// <param name="Regions">For <c>coverage-at-least</c>: admin code prefixes, each judged on its own; absent means the whole city.</param>
public sealed record CheckParameters(
    string? Baseline = null,
    double? ToleranceM2 = null,
    string? Region = null,
    IReadOnlyList<string>? ZoneKinds = null,
    string? Indicator = null,
    double? Threshold = null,
    IReadOnlyList<string>? Regions = null);

/// <summary>The body of <c>POST /api/checks</c> and <c>PUT /api/checks/{id}</c>.</summary>
/// <param name="Id">Stable id: lower-case letters, digits and dashes (POST only; PUT takes it from the path).</param>
/// <param name="Name">What the check is for, in words.</param>
/// <param name="Kind">One of <see cref="CheckKinds.All"/>.</param>
/// <param name="Parameters">The kind's parameters.</param>
/// <param name="Schedule">Cron expression (5 fields, or 6 with seconds first, or @daily…); absent: runs only after imports and on demand.</param>
/// <param name="TimeZone">IANA time zone of the schedule (e.g. Asia/Shanghai); default UTC.</param>
/// <param name="Webhooks">URLs that get a JSON POST on failure and on recovery.</param>
/// <param name="Enabled">False pauses the schedule and the runs after imports; default true.</param>
public sealed record CheckRequest(
    string? Id, string? Name, string? Kind, CheckParameters? Parameters, string? Schedule, string? TimeZone,
    IReadOnlyList<string>? Webhooks, bool? Enabled);

/// <summary>The kinds of check and what each reads.</summary>
public static class CheckKinds
{
    public const string RedlineAreaNotDecreasing = "redline-area-not-decreasing";
    public const string ReserveCoreNotDecreasing = "reserve-core-not-decreasing";
    public const string NoNewEncroachment = "no-new-encroachment";
    public const string CoverageAtLeast = "coverage-at-least";

    public static IReadOnlyList<string> All { get; } =
        [RedlineAreaNotDecreasing, ReserveCoreNotDecreasing, NoNewEncroachment, CoverageAtLeast];

    /// <summary>Zone kinds as written in parameters (kebab-case names of <see cref="ZoneKind"/>).</summary>
    public static IReadOnlyDictionary<string, ZoneKind> ZoneKindNames { get; } = Enum.GetValues<ZoneKind>()
        .ToDictionary(k => JsonNamingPolicy.KebabCaseLower.ConvertName(k.ToString()), k => k);

    public static IReadOnlyList<string> CoverageIndicators { get; } = ["forest-grass-coverage", "natural-land-share"];

    /// <summary>The layers a check of this kind reads: an import of any of them runs it.</summary>
    public static IReadOnlyList<string> LayersOf(string kind, CheckParameters p) => kind switch
    {
        RedlineAreaNotDecreasing => p.Region is null ? ["redlines"] : ["redlines", "admin-units"],
        ReserveCoreNotDecreasing => p.Region is null ? ["reserves"] : ["reserves", "admin-units"],
        NoNewEncroachment => ["landuse", .. ZonesOf(p).Select(ZoneLayer).Distinct()],
        CoverageAtLeast when p.Indicator == "natural-land-share" => ["landuse", "redlines"],
        CoverageAtLeast => ["landuse", "admin-units"],
        _ => [],
    };

    /// <summary>The zone kinds a <c>no-new-encroachment</c> check looks at.</summary>
    public static IReadOnlyList<ZoneKind> ZonesOf(CheckParameters p) =>
        p.ZoneKinds is { Count: > 0 } names ? names.Select(n => ZoneKindNames[n]).ToList() : Enum.GetValues<ZoneKind>();

    private static string ZoneLayer(ZoneKind kind) => kind switch
    {
        ZoneKind.Redline => "redlines",
        ZoneKind.ReserveCore => "reserves",
        _ => "water-source-zones",
    };
}

/// <summary>A stored check definition (table <c>checks</c>). Editable; every run keeps a copy of it as it was.</summary>
public sealed record CheckDefinition(
    string Id,
    int Revision,
    string Name,
    string Kind,
    CheckParameters Parameters,
    string? Schedule,
    string? TimeZone,
    IReadOnlyList<string> Webhooks,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    [property: JsonIgnore] DateTimeOffset ScheduleSince,
    [property: JsonIgnore] long LayersSeen)
{
    /// <summary>The layers the check reads.</summary>
    public IReadOnlyList<string> Layers => CheckKinds.LayersOf(Kind, Parameters);

    /// <summary>
    /// The first scheduled time after <paramref name="after"/>, in UTC (the schedule's zone decides when; the instant
    /// is stored and compared in UTC, which is all PostgreSQL's timestamptz takes), or null without a schedule.
    /// </summary>
    public DateTimeOffset? NextOccurrence(DateTimeOffset after) =>
        Schedule is null ? null : CheckValidation.ParseCron(Schedule).GetNextOccurrence(after, CheckValidation.Zone(TimeZone))?.ToUniversalTime();

    /// <summary>The latest scheduled time in (<paramref name="after"/>, <paramref name="until"/>], in UTC, or null.</summary>
    public DateTimeOffset? LatestOccurrence(DateTimeOffset after, DateTimeOffset until)
    {
        if (Schedule is null)
        {
            return null;
        }

        DateTimeOffset? latest = null;
        foreach (var at in CheckValidation.ParseCron(Schedule).GetOccurrences(after, until, CheckValidation.Zone(TimeZone), false, true))
        {
            latest = at;
        }

        return latest?.ToUniversalTime();
    }

    /// <summary>The definition as the ledger and the API show it: webhook URLs reduced to their origin (they may hold secrets).</summary>
    public object Public() => new
    {
        Id, Revision, Name, Kind, Parameters, Schedule, TimeZone, Webhooks = Webhooks.Select(CheckValidation.Redact).ToList(), Enabled,
        Layers, CreatedAt, UpdatedAt,
    };
}

/// <summary>Turns a <see cref="CheckRequest"/> into a valid definition, or says in one line what is wrong.</summary>
public static partial class CheckValidation
{
    private const int MaxWebhooks = 10;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9]{1,12}$")]
    private static partial Regex RegionPattern();

    /// <summary>The validated fields of a request (everything but the id's uniqueness).</summary>
    /// <exception cref="SpatialInputException">InvalidArgument, with the first problem found.</exception>
    public static CheckDefinition Validate(string id, CheckRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IdPattern().IsMatch(id))
        {
            throw Invalid($"id '{id}' must be 1–63 lower-case letters, digits or dashes, starting with a letter or digit.");
        }

        var kind = request.Kind ?? throw Invalid($"kind is required: one of {string.Join(", ", CheckKinds.All)}.");
        if (!CheckKinds.All.Contains(kind))
        {
            throw Invalid($"Unknown kind '{kind}'; the kinds are {string.Join(", ", CheckKinds.All)}.");
        }

        var p = ValidateParameters(kind, request.Parameters ?? new CheckParameters());
        var schedule = string.IsNullOrWhiteSpace(request.Schedule) ? null : request.Schedule.Trim();
        if (schedule is not null)
        {
            ParseCron(schedule);
        }

        var zone = string.IsNullOrWhiteSpace(request.TimeZone) ? null : request.TimeZone.Trim();
        Zone(zone);
        var webhooks = (request.Webhooks ?? []).Select(w => w.Trim()).ToList();
        if (webhooks.Count > MaxWebhooks)
        {
            throw Invalid($"At most {MaxWebhooks} webhooks per check.");
        }

        foreach (var hook in webhooks)
        {
            if (!Uri.TryCreate(hook, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw Invalid($"Webhook '{Redact(hook)}' is not an absolute http or https URL.");
            }
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? id : request.Name.Trim();
        var now = DateTimeOffset.UtcNow;
        return new CheckDefinition(id, 1, name, kind, p, schedule, zone, webhooks, request.Enabled ?? true, now, now, now, 0);
    }

    /// <summary>Cronos expression: 5 fields, 6 when seconds come first, or a macro such as <c>@daily</c>.</summary>
    public static CronExpression ParseCron(string schedule)
    {
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            return CronExpression.Parse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw Invalid($"schedule '{schedule}' is not a cron expression: {e.Message}");
        }
    }

    /// <summary>The schedule's time zone (UTC when absent).</summary>
    public static TimeZoneInfo Zone(string? timeZone)
    {
        if (timeZone is null)
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw Invalid($"timeZone '{timeZone}' is not a known time zone (use an IANA name such as Asia/Shanghai).");
        }
    }

    /// <summary>A webhook URL reduced to scheme, host and port, for logs, the ledger and public reads.</summary>
    public static string Redact(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Authority}/…" : "(not a URL)";

    private static CheckParameters ValidateParameters(string kind, CheckParameters p)
    {
        var allowed = kind switch
        {
            CheckKinds.RedlineAreaNotDecreasing or CheckKinds.ReserveCoreNotDecreasing => new[] { "baseline", "toleranceM2", "region" },
            CheckKinds.NoNewEncroachment => ["baseline", "toleranceM2", "region", "zoneKinds"],
            _ => ["indicator", "threshold", "regions"],
        };
        var given = new (string Name, bool Present)[]
        {
            ("baseline", p.Baseline is not null), ("toleranceM2", p.ToleranceM2 is not null), ("region", p.Region is not null),
            ("zoneKinds", p.ZoneKinds is not null), ("indicator", p.Indicator is not null), ("threshold", p.Threshold is not null),
            ("regions", p.Regions is not null),
        };
        if (given.FirstOrDefault(g => g.Present && !allowed.Contains(g.Name)).Name is { } extra)
        {
            throw Invalid($"parameter '{extra}' does not apply to kind {kind}; it takes {string.Join(", ", allowed)}.");
        }

        if (kind != CheckKinds.CoverageAtLeast)
        {
            if (string.IsNullOrWhiteSpace(p.Baseline))
            {
                throw Invalid($"Kind {kind} needs parameters.baseline: the approved baseline version (a date YYYY-MM-DD or a version id).");
            }

            if (!DateOnly.TryParseExact(p.Baseline, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                && !long.TryParse(p.Baseline, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw Invalid($"baseline '{p.Baseline}' is neither a date (YYYY-MM-DD) nor a version id.");
            }
        }

        if (p.ToleranceM2 is < 0 or double.NaN or double.PositiveInfinity)
        {
            throw Invalid("toleranceM2 must be a finite number ≥ 0.");
        }

        foreach (var region in (p.Regions ?? []).Append(p.Region).OfType<string>())
        {
            if (!RegionPattern().IsMatch(region))
            {
                throw Invalid($"region '{region}' is not an admin code prefix (digits).");
            }
        }

        if (p.ZoneKinds?.FirstOrDefault(z => !CheckKinds.ZoneKindNames.ContainsKey(z)) is { } zone)
        {
            throw Invalid($"zone kind '{zone}' is not one of {string.Join(", ", CheckKinds.ZoneKindNames.Keys)}.");
        }

        if (kind == CheckKinds.CoverageAtLeast)
        {
            var indicator = p.Indicator ?? "forest-grass-coverage";
            if (!CheckKinds.CoverageIndicators.Contains(indicator))
            {
                throw Invalid($"indicator '{indicator}' is not one of {string.Join(", ", CheckKinds.CoverageIndicators)}.");
            }

            if (p.Threshold is { } t && (t < 0 || t > 100 || double.IsNaN(t)))
            {
                throw Invalid("threshold is a percentage between 0 and 100.");
            }

            if (indicator == "natural-land-share" && p.Threshold is null)
            {
                throw Invalid("natural-land-share has no fixed target: give parameters.threshold (percent).");
            }

            return p with { Indicator = indicator };
        }

        return p;
    }

    private static SpatialInputException Invalid(string message) => new(SpatialError.InvalidArgument, message);
}
