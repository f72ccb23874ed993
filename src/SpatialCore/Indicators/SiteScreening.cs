namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>The layers a site is screened against, and the zone it touches.</summary>
/// <param name="Layer">Layer id: <c>redlines</c>, <c>reserves</c>, <c>water-source-zones</c>.</param>
/// <param name="FeatureId">Row id of the zone feature.</param>
/// <param name="Name">The zone's name.</param>
/// <param name="Zone">Reserve zone (GNFQ) or water-source level (BHQJB); null for red lines.</param>
/// <param name="OverlapM2">Ellipsoidal area of the site inside the zone, m².</param>
public sealed record ScreeningHit(string Layer, long FeatureId, string? Name, string? Zone, double OverlapM2);

/// <summary>What applies to a proposed site in one zone.</summary>
public enum ScreeningRule
{
    /// <summary>No protected zone: nothing applies.</summary>
    Clear,

    /// <summary>Allowed only under conditions (red-line allowed activities, general control zones, level-2 and quasi zones).</summary>
    Restricted,

    /// <summary>Construction is prohibited in principle.</summary>
    Prohibited,
}

/// <summary>A hit with its rule and the reason in words.</summary>
public sealed record ScreeningFinding(ScreeningHit Hit, ScreeningRule Rule, string Reason);

/// <summary>The findings and the overall verdict (the strictest rule met).</summary>
public sealed record ScreeningResult(double SiteAreaM2, IReadOnlyList<ScreeningFinding> Findings, ScreeningRule Verdict);

/// <summary>
/// Screening of a proposed construction site against the protected zones: red lines and reserve core zones are
/// prohibited in principle, water-source level-1 zones are prohibited (水污染防治法 第六十五条); reserve general
/// control zones, water-source level-2 (第六十六条: no polluting projects) and quasi-protection zones are restricted.
/// The verdict is the strictest rule among the zones the site overlaps; clear when it overlaps none.
/// </summary>
public static class SiteScreening
{
    /// <summary>Applies the rules to the zones a site overlaps.</summary>
    public static ScreeningResult Evaluate(double siteAreaM2, IEnumerable<ScreeningHit> hits)
    {
        var findings = hits.Where(h => h.OverlapM2 > 0).Select(Finding).ToList();
        var verdict = findings.Count == 0 ? ScreeningRule.Clear : findings.Max(f => f.Rule);
        return new ScreeningResult(siteAreaM2, findings, verdict);
    }

    private static ScreeningFinding Finding(ScreeningHit hit)
    {
        var zone = hit.Zone ?? "";
        var (rule, reason) = hit.Layer switch
        {
            "redlines" => (ScreeningRule.Prohibited, "生态保护红线：原则上禁止开发性、生产性建设活动，仅允许有限人为活动"),
            "reserves" when zone.Contains("核心", StringComparison.Ordinal) || zone.Contains("缓冲", StringComparison.Ordinal) =>
                (ScreeningRule.Prohibited, "自然保护地核心保护区：原则上禁止人为活动"),
            "reserves" => (ScreeningRule.Restricted, "自然保护地一般控制区：限制人为活动"),
            "water-source-zones" when zone.Contains("一级", StringComparison.Ordinal) =>
                (ScreeningRule.Prohibited, "饮用水水源一级保护区：禁止与供水设施和保护水源无关的建设项目（水污染防治法第六十五条）"),
            "water-source-zones" when zone.Contains("二级", StringComparison.Ordinal) =>
                (ScreeningRule.Restricted, "饮用水水源二级保护区：禁止排放污染物的建设项目（水污染防治法第六十六条）"),
            "water-source-zones" => (ScreeningRule.Restricted, "饮用水水源准保护区：禁止严重污染水体的建设项目（水污染防治法第六十七条）"),
            _ => (ScreeningRule.Restricted, $"{hit.Layer}: check the rules that apply"),
        };
        return new ScreeningFinding(hit, rule, reason);
    }
}
