namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>Construction land and GDP of one year.</summary>
/// <param name="Year">The year.</param>
/// <param name="ConstructionM2">Construction-land area at the end of the year, m².</param>
/// <param name="Gdp10kYuan">GDP at comparable prices, 万元.</param>
public sealed record YearFigures(int Year, double ConstructionM2, double Gdp10kYuan)
{
    /// <summary>Construction land per 万元 of GDP, m² / 万元.</summary>
    public double M2Per10kYuan => ConstructionM2 / Gdp10kYuan;
}

/// <summary>The decrease of construction land per unit GDP between two years.</summary>
/// <param name="From">The earlier year.</param>
/// <param name="To">The later year.</param>
/// <param name="TotalDecreaseRate"><c>1 − intensity(to) / intensity(from)</c>, in [−∞, 1].</param>
/// <param name="AnnualDecreaseRate"><c>1 − (intensity(to) / intensity(from))^(1/years)</c>: the average yearly decrease.</param>
/// <param name="AnnualDecreasePercent"><c>100 · AnnualDecreaseRate</c>.</param>
/// <param name="Status">Pass when the yearly decrease is at least the target.</param>
public sealed record ConstructionLandPerGdpResult(
    YearFigures From, YearFigures To, double TotalDecreaseRate, double AnnualDecreaseRate, double AnnualDecreasePercent, IndicatorStatus Status);

/// <summary>
/// 指标 22, 单位国内生产总值建设用地使用面积下降率: R = 1 − (A_t / GDP_t) / (A_{t−1} / GDP_{t−1}). With intensity = construction-land area / GDP at comparable prices, the average yearly
/// decrease <c>1 − (I_to / I_from)^(1 / (to − from))</c> between two years, in percent; the target is ≥ 4.5 %.
/// Construction land is GB/T 21010-2017 Appendix A (05–10 except 1006, plus 1109 and 1201), its area ellipsoidal,
/// from the land-use version in force at the end of each year; GDP is entered through the API.
/// </summary>
public static class ConstructionLandPerGdp
{
    /// <summary>The target yearly decrease, percent.</summary>
    public const double TargetPercent = 4.5;

    /// <summary>Self-description for the catalogue.</summary>
    public static IndicatorInfo Info { get; } = new(
        "construction-land-per-gdp",
        "单位GDP建设用地使用面积下降率",
        "Decrease rate of construction land per unit GDP",
        "%",
        "100 · (1 − (I_to / I_from)^(1 / (to − from))), I = construction-land area (m²) / GDP at comparable prices (万元)",
        "22",
        "参考性",
        "≥ 4.5 % per year",
        ["landuse", "admin-units"],
        ["region", "from", "to"]);

    /// <summary>Computes the yearly decrease from two years' figures.</summary>
    public static ConstructionLandPerGdpResult Compute(YearFigures from, YearFigures to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        var years = to.Year - from.Year;
        if (years <= 0)
        {
            throw new ArgumentException("The later year must come after the earlier one.", nameof(to));
        }

        var ratio = to.M2Per10kYuan / from.M2Per10kYuan;
        var annual = 1 - Math.Pow(ratio, 1.0 / years);
        return new ConstructionLandPerGdpResult(from, to, 1 - ratio, annual, annual * 100,
            annual * 100 >= TargetPercent ? IndicatorStatus.Pass : IndicatorStatus.Fail);
    }
}
