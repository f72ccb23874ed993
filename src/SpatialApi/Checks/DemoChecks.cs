using Npgsql;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>
/// The check the demo city ships with: the red lines must not lose area against the 2021 baseline
/// (<c>redlines-2021.geojson</c>, approved). The 2023 version lost area with no approval, so it fails.
/// </summary>
public static class DemoChecks
{
    public const string RedlineCheckId = "demo-redline-2021";
    private const string BaselineFile = "redlines-2021.geojson";

    /// <summary>Defines the demo check once the demo's 2021 red lines are stored; leaves an existing or deleted one alone.</summary>
    public static async Task EnsureAsync(NpgsqlDataSource db, ILogger log, CancellationToken ct)
    {
        await using var find = db.CreateCommand(
            "SELECT id FROM layer_versions WHERE layer = 'redlines' AND source_file_name = $1 ORDER BY id LIMIT 1");
        find.Parameters.Add(new() { Value = BaselineFile });
        if (await find.ExecuteScalarAsync(ct) is not long baseline)
        {
            return;
        }

        var check = CheckValidation.Validate(RedlineCheckId, new CheckRequest(
            RedlineCheckId, "生态保护红线面积不减少 (demo: against the 2021 baseline)", CheckKinds.RedlineAreaNotDecreasing,
            new CheckParameters(Baseline: baseline.ToString(System.Globalization.CultureInfo.InvariantCulture), ToleranceM2: 0),
            "0 6 * * *", "Asia/Shanghai", [], true));
        var (outcome, _) = await new CheckStore(db).CreateAsync(check, "demo-loader", ct);
        if (outcome == CreateOutcome.Created)
        {
            log.LogInformation("Demo: defined check {Check} (red lines against version {Baseline}, daily at 06:00 Asia/Shanghai)",
                RedlineCheckId, baseline);
        }
    }
}
