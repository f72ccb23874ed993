namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>Natural land inside the red lines at one date.</summary>
/// <param name="RedlineAreaM2">Area of the red lines, m².</param>
/// <param name="NaturalM2">Natural ecological land inside them, m².</param>
/// <param name="Share"><c>NaturalM2 / RedlineAreaM2</c>, in [0, 1].</param>
public sealed record NaturalShare(double RedlineAreaM2, double NaturalM2, double Share);

/// <summary>The share now, at the baseline, and the verdict.</summary>
/// <param name="Current">The share in the version set in force at <c>asOf</c>.</param>
/// <param name="Baseline">The share at the baseline, or null when no baseline was asked for.</param>
/// <param name="ChangeShare"><c>Current.Share − Baseline.Share</c>, or null.</param>
/// <param name="Status">Pass when the share did not fall below the baseline; NotApplicable without a baseline.</param>
public sealed record NaturalLandShareResult(NaturalShare Current, NaturalShare? Baseline, double? ChangeShare, IndicatorStatus Status);

/// <summary>
/// 指标 17 (性质不改变), share of natural ecological land inside the red lines:
/// <c>area(natural land ∩ red lines) / area(red lines)</c>, where natural land is 林地 03, 草地 04, the 三调 湿地
/// group, 1101, 1102, 1110 and 1204–1207 (reference §5.3). Passes when the share has not fallen since the baseline.
/// </summary>
public static class NaturalLandShare
{
    /// <summary>Self-description for the catalogue.</summary>
    public static IndicatorInfo Info { get; } = new(
        "natural-land-share",
        "生态保护红线内自然生态用地占比（性质不改变）",
        "Share of natural ecological land inside the red lines",
        "%",
        "100 · area(natural land ∩ red lines) / area(red lines); natural = 03, 04, 湿地, 1101, 1102, 1110, 1204–1207",
        "17",
        "约束性",
        "share ≥ baseline share",
        ["landuse", "redlines"],
        ["asOf", "from (baseline date; default: the oldest land-use version)"]);

    /// <summary>The share from its two areas.</summary>
    public static NaturalShare Share(double redlineAreaM2, double naturalM2) =>
        new(redlineAreaM2, naturalM2, redlineAreaM2 > 0 ? naturalM2 / redlineAreaM2 : 0);

    /// <summary>Judges the current share against an optional baseline.</summary>
    public static NaturalLandShareResult Evaluate(NaturalShare current, NaturalShare? baseline)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (baseline is null)
        {
            return new NaturalLandShareResult(current, null, null, IndicatorStatus.NotApplicable);
        }

        var change = current.Share - baseline.Share;
        return new NaturalLandShareResult(current, baseline, change, change >= -1e-12 ? IndicatorStatus.Pass : IndicatorStatus.Fail);
    }
}
