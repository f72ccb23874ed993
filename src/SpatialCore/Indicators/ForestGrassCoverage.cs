namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>
/// Targets of 林草覆盖率 by terrain class, in percent. Defaults follow the 2019/2021 table as commonly read
/// (山区 ≥ 60 %, 丘陵 ≥ 40 %, 平原 ≥ 18 %); they are not confirmed for the 2021 table, hence configurable.
/// </summary>
public sealed record CoverageTargets(double MountainPercent = 60, double HillPercent = 40, double PlainPercent = 18)
{
    /// <summary>The target for a terrain class (山区, 丘陵, 平原), or null when the class is unknown.</summary>
    public double? For(string? terrain) => terrain switch
    {
        "山区" => MountainPercent,
        "丘陵" => HillPercent,
        "平原" => PlainPercent,
        _ => null,
    };
}

/// <summary>Forest and grass inside one admin unit, from the overlay of a land-use version with the units.</summary>
/// <param name="Code">Unit code.</param>
/// <param name="Name">Unit name.</param>
/// <param name="Terrain">Terrain class.</param>
/// <param name="AreaM2">The unit's total area (土地总面积, water included), m².</param>
/// <param name="ForestM2">林地 area inside it, m².</param>
/// <param name="GrassM2">草地 area inside it, m².</param>
public sealed record UnitCover(string Code, string Name, string? Terrain, double AreaM2, double ForestM2, double GrassM2);

/// <summary>林草覆盖率 of a region or unit.</summary>
/// <param name="Code">Region or unit code.</param>
/// <param name="Name">Name.</param>
/// <param name="Terrain">Terrain class used for the target.</param>
/// <param name="AreaM2">Total area, m².</param>
/// <param name="ForestM2">林地 area, m².</param>
/// <param name="GrassM2">草地 area, m².</param>
/// <param name="Rate"><c>(ForestM2 + GrassM2) / AreaM2</c>, in [0, 1].</param>
/// <param name="Percent"><c>100 · Rate</c>, as in the indicator table.</param>
/// <param name="TargetPercent">The target for the terrain class, or null.</param>
/// <param name="Status">Pass when <c>Percent ≥ TargetPercent</c>; NotApplicable without a terrain class.</param>
public sealed record CoverageFigure(
    string Code, string Name, string? Terrain, double AreaM2, double ForestM2, double GrassM2,
    double Rate, double Percent, double? TargetPercent, IndicatorStatus Status);

/// <summary>The region's figure and one per unit.</summary>
public sealed record ForestGrassCoverageResult(CoverageFigure Region, IReadOnlyList<CoverageFigure> Units);

/// <summary>
/// 指标 11, 林草覆盖率: <c>(林地 + 草地) / 土地总面积</c> per admin unit, in percent. 林地 = 0301, 0302, 0305, 0307 and
/// 草地 = 0401, 0403, 0404 (三调; the wetland classes 0303, 0304, 0306, 0402 are excluded); the denominator is the
/// unit's whole ellipsoidal area, water included. The region's rate sums its units; its terrain class (for the
/// target) is the class of the largest share of its area.
/// </summary>
public static class ForestGrassCoverage
{
    /// <summary>Self-description for the catalogue.</summary>
    public static IndicatorInfo Info { get; } = new(
        "forest-grass-coverage",
        "林草覆盖率",
        "Forest and grass coverage",
        "%",
        "100 · (area of 0301, 0302, 0305, 0307, 0401, 0403, 0404 inside the unit) / (unit area, water included)",
        "11",
        "约束性",
        "山区 ≥ 60 %, 丘陵 ≥ 40 %, 平原 ≥ 18 % (configurable)",
        ["landuse", "admin-units"],
        ["region", "asOf"]);

    /// <summary>Rates per unit and for the region <paramref name="regionCode"/> made of all <paramref name="units"/>.</summary>
    public static ForestGrassCoverageResult Compute(string regionCode, string regionName, IReadOnlyList<UnitCover> units, CoverageTargets targets)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(targets);
        var figures = units.Select(u => Figure(u.Code, u.Name, u.Terrain, u.AreaM2, u.ForestM2, u.GrassM2, targets)).ToList();
        var terrain = units.GroupBy(u => u.Terrain).OrderByDescending(g => g.Sum(u => u.AreaM2)).Select(g => g.Key).FirstOrDefault();
        var region = Figure(regionCode, regionName, terrain,
            units.Sum(u => u.AreaM2), units.Sum(u => u.ForestM2), units.Sum(u => u.GrassM2), targets);
        return new ForestGrassCoverageResult(region, figures);
    }

    private static CoverageFigure Figure(string code, string name, string? terrain, double area, double forest, double grass, CoverageTargets targets)
    {
        var rate = area > 0 ? (forest + grass) / area : 0;
        var target = targets.For(terrain);
        var status = area <= 0 ? IndicatorStatus.NoData
            : target is null ? IndicatorStatus.NotApplicable
            : rate * 100 >= target ? IndicatorStatus.Pass : IndicatorStatus.Fail;
        return new CoverageFigure(code, name, terrain, area, forest, grass, rate, rate * 100, target, status);
    }
}
