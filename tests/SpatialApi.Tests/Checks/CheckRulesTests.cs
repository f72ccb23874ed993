using EcoSpatial.SpatialApi.Checks;
using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialApi.Tests.Checks;

/// <summary>When a check is due, and which definitions are refused; no database.</summary>
public class CheckRulesTests
{
    private static readonly DateTimeOffset Defined = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static CheckDefinition Check(string? schedule, string? zone = null, string kind = CheckKinds.RedlineAreaNotDecreasing,
        CheckParameters? parameters = null) =>
        CheckValidation.Validate("c", new CheckRequest("c", null, kind, parameters ?? new CheckParameters("2021-12-31"), schedule, zone, null, null))
            with { ScheduleSince = Defined, LayersSeen = 2 };

    private static readonly Dictionary<string, long> TwoRedlines = new() { ["redlines"] = 2, ["landuse"] = 5 };

    [Fact]
    public void Nothing_new_and_no_schedule_is_not_due()
    {
        Assert.Equal((null, null), CheckScheduler.Due(Check(null), new CheckProgress(2, null), TwoRedlines, Defined.AddDays(3)));
    }

    [Fact]
    public void A_new_version_of_a_layer_it_reads_makes_it_due_and_of_another_layer_does_not()
    {
        var more = new Dictionary<string, long>(TwoRedlines) { ["redlines"] = 3 };
        var otherLayer = new Dictionary<string, long>(TwoRedlines) { ["landuse"] = 6 };

        Assert.Equal((CheckTriggers.Import, null), CheckScheduler.Due(Check(null), new CheckProgress(2, null), more, Defined));
        Assert.Equal((null, null), CheckScheduler.Due(Check(null), new CheckProgress(2, null), otherLayer, Defined));
    }

    [Fact]
    public void Missed_times_give_one_run_for_the_latest_in_the_schedules_time_zone()
    {
        var check = Check("0 6 * * *", "Asia/Shanghai"); // 22:00 UTC the day before
        var now = new DateTimeOffset(2026, 11, 25, 23, 0, 0, TimeSpan.Zero);

        var (trigger, at) = CheckScheduler.Due(check, new CheckProgress(2, null), TwoRedlines, now);

        Assert.Equal(CheckTriggers.MissedSchedule, trigger);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 22, 0, 0, TimeSpan.Zero), at);
        Assert.Equal(TimeSpan.Zero, at!.Value.Offset); // timestamptz takes UTC only
        Assert.Equal(TimeSpan.Zero, check.NextOccurrence(now)!.Value.Offset);
        Assert.Equal((null, null), CheckScheduler.Due(check, new CheckProgress(2, at), TwoRedlines, now));
    }

    [Fact]
    public void A_time_just_passed_is_a_plain_schedule_run_and_covers_new_imports_too()
    {
        var check = Check("*/10 * * * *");
        var now = new DateTimeOffset(2026, 11, 21, 8, 10, 20, TimeSpan.Zero);
        var more = new Dictionary<string, long>(TwoRedlines) { ["redlines"] = 4 };

        Assert.Equal((CheckTriggers.Schedule, new DateTimeOffset(2026, 11, 21, 8, 10, 0, TimeSpan.Zero)),
            CheckScheduler.Due(check, new CheckProgress(2, now.AddMinutes(-10).AddSeconds(-20)), more, now));
    }

    [Fact]
    public void A_changed_schedule_counts_from_the_change()
    {
        var check = Check("0 * * * *") with { ScheduleSince = new DateTimeOffset(2026, 11, 21, 8, 30, 0, TimeSpan.Zero) };
        var lastRunOfTheOldSchedule = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal((null, null), CheckScheduler.Due(check, new CheckProgress(2, lastRunOfTheOldSchedule), TwoRedlines,
            new DateTimeOffset(2026, 11, 21, 8, 45, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void A_check_reads_the_layers_of_its_kind()
    {
        Assert.Equal(["redlines"], Check(null).Layers);
        Assert.Equal(["redlines", "admin-units"], Check(null, parameters: new CheckParameters("2021-12-31", Region: "420984")).Layers);
        Assert.Equal(["landuse", "reserves"], Check(null, kind: CheckKinds.NoNewEncroachment,
            parameters: new CheckParameters("2021-12-31", ZoneKinds: ["reserve-core"])).Layers);
        Assert.Equal(["landuse", "admin-units"], Check(null, kind: CheckKinds.CoverageAtLeast, parameters: new CheckParameters()).Layers);
    }

    [Theory]
    [InlineData("Bad_Id", CheckKinds.RedlineAreaNotDecreasing, "2021-12-31", null, null, "id 'Bad_Id'")]
    [InlineData("c", "area-goes-up", "2021-12-31", null, null, "Unknown kind")]
    [InlineData("c", CheckKinds.RedlineAreaNotDecreasing, null, null, null, "needs parameters.baseline")]
    [InlineData("c", CheckKinds.RedlineAreaNotDecreasing, "last year", null, null, "neither a date")]
    [InlineData("c", CheckKinds.RedlineAreaNotDecreasing, "2021-12-31", "61 * * * *", null, "not a cron expression")]
    [InlineData("c", CheckKinds.RedlineAreaNotDecreasing, "2021-12-31", null, "Mars/Olympus", "not a known time zone")]
    [InlineData("c", CheckKinds.CoverageAtLeast, "2021-12-31", null, null, "does not apply")]
    public void Bad_definitions_are_refused_with_a_reason(string id, string kind, string? baseline, string? schedule, string? zone, string reason)
    {
        var e = Assert.Throws<SpatialInputException>(() =>
            CheckValidation.Validate(id, new CheckRequest(id, null, kind, new CheckParameters(baseline), schedule, zone, null, null)));

        Assert.Equal(SpatialError.InvalidArgument, e.Error);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Parameters_and_webhooks_are_checked()
    {
        void Refused(CheckParameters p, string kind = CheckKinds.NoNewEncroachment, IReadOnlyList<string>? hooks = null) =>
            Assert.Throws<SpatialInputException>(() => CheckValidation.Validate("c", new CheckRequest("c", null, kind, p, null, null, hooks, null)));

        Refused(new CheckParameters("2021-12-31", ToleranceM2: -1));
        Refused(new CheckParameters("2021-12-31", ZoneKinds: ["lake"]));
        Refused(new CheckParameters("2021-12-31", Region: "42a"));
        Refused(new CheckParameters(Indicator: "natural-land-share"), CheckKinds.CoverageAtLeast);
        Refused(new CheckParameters(Threshold: 120), CheckKinds.CoverageAtLeast);
        Refused(new CheckParameters("2021-12-31"), hooks: ["ftp://example.org/x"]);
        Assert.Equal("https://hooks.example.org/…", CheckValidation.Redact("https://hooks.example.org/T000/B000/secret?x=1"));
    }
}
