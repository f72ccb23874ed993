using EcoSpatial.SpatialCore.Landuse;

namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>The kinds of protected zone construction land is checked against.</summary>
public enum ZoneKind
{
    /// <summary>生态保护红线.</summary>
    Redline,

    /// <summary>自然保护地核心保护区.</summary>
    ReserveCore,

    /// <summary>饮用水水源一级保护区.</summary>
    WaterLevel1,

    /// <summary>饮用水水源二级保护区.</summary>
    WaterLevel2,
}

/// <summary>How serious a breach is.</summary>
public enum Severity
{
    /// <summary>Prohibited outright: fails the indicator.</summary>
    Prohibited,

    /// <summary>Restricted: needs checking that it is an allowed activity; reported, does not fail.</summary>
    Restricted,
}

/// <summary>A land-use parcel overlapping a protected zone.</summary>
/// <param name="ParcelCode">Parcel id (BSM).</param>
/// <param name="ClassCode">Its land-use class (DLBM).</param>
/// <param name="Kind">The zone's kind.</param>
/// <param name="ZoneFeatureId">The zone feature's row id.</param>
/// <param name="ZoneName">The zone's name.</param>
/// <param name="AdminCode">The parcel's admin unit (ZLDWDM).</param>
/// <param name="OverlapM2">Ellipsoidal area of the overlap, m².</param>
/// <param name="IsNew">True when the parcel was not construction land in the baseline version.</param>
public sealed record ZoneOverlap(string? ParcelCode, string ClassCode, ZoneKind Kind, long ZoneFeatureId, string? ZoneName, string? AdminCode, double OverlapM2, bool IsNew);

/// <summary>An overlap that breaks a rule.</summary>
public sealed record EncroachmentPiece(ZoneOverlap Overlap, string Rule, Severity Severity);

/// <summary>Total encroached area and count for one group (zone kind or admin unit).</summary>
public sealed record EncroachmentSummary(string Key, int PieceCount, double AreaM2, double NewAreaM2, double ProhibitedAreaM2);

/// <summary>Every breach, summed per zone kind and per admin unit.</summary>
public sealed record EncroachmentResult(
    IReadOnlyList<EncroachmentPiece> Pieces, IReadOnlyList<EncroachmentSummary> ByZoneKind, IReadOnlyList<EncroachmentSummary> ByAdminUnit,
    double AreaM2, double NewAreaM2, IndicatorStatus Status);

/// <summary>
/// Construction land (GB/T 21010-2017 Appendix A: 05–10 except 1006, plus 1109 and 1201) inside protected zones, with
/// the rule each piece breaks:
/// red lines — new construction is prohibited (开发性、生产性建设活动), existing construction is restricted (must be an
/// allowed activity); reserve core zones — any construction is prohibited (原则上禁止人为活动); water-source level-1
/// zones — any construction is prohibited (水污染防治法 第六十五条); level-2 zones — industrial and mining land is
/// prohibited (第六十六条), other new construction is restricted. Fails when any prohibited piece exists.
/// </summary>
public static class Encroachment
{
    /// <summary>Self-description for the catalogue.</summary>
    public static IndicatorInfo Info { get; } = new(
        "encroachment",
        "建设用地侵占生态保护红线、自然保护地核心保护区、饮用水水源保护区",
        "Construction land encroaching on protected zones",
        "m2",
        "Σ area(construction parcel ∩ zone) over red lines, reserve core zones, water-source level-1 and level-2 zones, by rule",
        "17",
        "约束性",
        "no prohibited encroachment",
        ["landuse", "redlines", "reserves", "water-source-zones", "admin-units"],
        ["region", "asOf", "since"]);

    /// <summary>The rule an overlap breaks, or null when it breaks none.</summary>
    public static (string Rule, Severity Severity)? RuleFor(ZoneOverlap overlap)
    {
        ArgumentNullException.ThrowIfNull(overlap);
        if (!LandUseCodes.IsConstruction(overlap.ClassCode))
        {
            return null;
        }

        return overlap.Kind switch
        {
            ZoneKind.Redline when overlap.IsNew => ("生态保护红线内新增建设用地：原则上禁止开发性、生产性建设活动", Severity.Prohibited),
            ZoneKind.Redline => ("生态保护红线内现有建设用地：须核实为允许的有限人为活动", Severity.Restricted),
            ZoneKind.ReserveCore => ("自然保护地核心保护区内建设用地：原则上禁止人为活动", Severity.Prohibited),
            ZoneKind.WaterLevel1 => ("饮用水水源一级保护区内建设用地：禁止与供水设施和保护水源无关的建设项目（水污染防治法第六十五条）", Severity.Prohibited),
            ZoneKind.WaterLevel2 when LandUseCodes.IsIndustrialOrMining(overlap.ClassCode) =>
                ("饮用水水源二级保护区内工矿用地：禁止排放污染物的建设项目（水污染防治法第六十六条）", Severity.Prohibited),
            ZoneKind.WaterLevel2 when overlap.IsNew => ("饮用水水源二级保护区内新增建设用地：须核实不排放污染物", Severity.Restricted),
            _ => null,
        };
    }

    /// <summary>Applies the rules to every overlap and sums the breaches.</summary>
    public static EncroachmentResult Evaluate(IEnumerable<ZoneOverlap> overlaps)
    {
        var pieces = overlaps
            .Select(o => (o, rule: RuleFor(o)))
            .Where(x => x.rule is not null)
            .Select(x => new EncroachmentPiece(x.o, x.rule!.Value.Rule, x.rule.Value.Severity))
            .ToList();
        return new EncroachmentResult(
            pieces,
            Summaries(pieces, p => p.Overlap.Kind.ToString()),
            Summaries(pieces, p => p.Overlap.AdminCode ?? "(none)"),
            pieces.Sum(p => p.Overlap.OverlapM2),
            pieces.Where(p => p.Overlap.IsNew).Sum(p => p.Overlap.OverlapM2),
            pieces.Any(p => p.Severity == Severity.Prohibited) ? IndicatorStatus.Fail : IndicatorStatus.Pass);
    }

    private static List<EncroachmentSummary> Summaries(List<EncroachmentPiece> pieces, Func<EncroachmentPiece, string> key) => pieces
        .GroupBy(key)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new EncroachmentSummary(
            g.Key, g.Count(), g.Sum(p => p.Overlap.OverlapM2), g.Where(p => p.Overlap.IsNew).Sum(p => p.Overlap.OverlapM2),
            g.Where(p => p.Severity == Severity.Prohibited).Sum(p => p.Overlap.OverlapM2)))
        .ToList();
}
