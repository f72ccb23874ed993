namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>What an indicator measures, in words a client can show. One per indicator.</summary>
/// <param name="Id">Stable wire id (kebab-case).</param>
/// <param name="NameZh">Chinese name as in the demonstration-zone indicator table.</param>
/// <param name="NameEn">English name.</param>
/// <param name="Unit">Unit of <c>value</c>: <c>m2</c>, <c>%</c>, <c>count</c>.</param>
/// <param name="Formula">How the value is computed.</param>
/// <param name="TableNumber">Number in the 2021 indicator table (指标 N), or empty when it is a supporting figure.</param>
/// <param name="Binding">约束性 (binding) or 参考性 (reference).</param>
/// <param name="TargetRule">The target the value is judged against.</param>
/// <param name="Layers">Layers the indicator reads.</param>
/// <param name="Parameters">Query parameters it takes.</param>
public sealed record IndicatorInfo(
    string Id,
    string NameZh,
    string NameEn,
    string Unit,
    string Formula,
    string TableNumber,
    string Binding,
    string TargetRule,
    IReadOnlyList<string> Layers,
    IReadOnlyList<string> Parameters);

/// <summary>The verdict of an indicator against its target.</summary>
public enum IndicatorStatus
{
    /// <summary>The target is met.</summary>
    Pass,

    /// <summary>The target is missed.</summary>
    Fail,

    /// <summary>The target does not apply to this region.</summary>
    NotApplicable,

    /// <summary>A layer the indicator needs has no version in force.</summary>
    NoData,
}

/// <summary>Every indicator EcoSpatial offers, for <c>GET /api/indicators</c>, in display order.</summary>
public static class IndicatorCatalog
{
    /// <summary>All indicators.</summary>
    public static IReadOnlyList<IndicatorInfo> All { get; } =
    [
        RedlineAreaChange.Info,
        ReserveIntegrity.Info,
        ForestGrassCoverage.Info,
        NaturalLandShare.Info,
        Encroachment.Info,
        HabitatQuality.Info,
        ConstructionLandPerGdp.Info,
    ];

    /// <summary>The indicator with this id, or null.</summary>
    public static IndicatorInfo? Find(string id) => All.FirstOrDefault(i => i.Id == id);
}
