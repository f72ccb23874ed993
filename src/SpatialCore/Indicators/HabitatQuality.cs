namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>One HJ 192 habitat sub-class: its class, the class weight, the sub-class weight and the land-use codes mapped to it.</summary>
public sealed record HabitatClass(string Class, double ClassWeight, string SubClass, double SubWeight, IReadOnlyList<string> Codes);

/// <summary>The habitat quality index of a region or unit, with the area per HJ 192 class.</summary>
/// <param name="Code">Unit or region code.</param>
/// <param name="Name">Name.</param>
/// <param name="AreaM2">Region area (区域面积), m².</param>
/// <param name="ClassAreasM2">Area per HJ 192 class (林地, 草地, 水域湿地, 耕地, 建设用地, 未利用地), m².</param>
/// <param name="UnmappedM2">Area of land-use codes the mapping does not place, m² (counted nowhere).</param>
/// <param name="Index">HQ = A_bio × Σ class weight × Σ sub-weight × area / region area.</param>
public sealed record HabitatQualityFigure(string Code, string Name, double AreaM2, IReadOnlyDictionary<string, double> ClassAreasM2, double UnmappedM2, double Index);

/// <summary>
/// HJ 192-2015 生境质量指数 (the biological-abundance proxy when BI is not updated):
/// <c>HQ = A_bio × (0.35·林地 + 0.21·草地 + 0.28·水域湿地 + 0.11·耕地 + 0.04·建设用地 + 0.01·未利用地) / 区域面积</c>,
/// A_bio = 511.2642131067, each class area itself weighted by its sub-classes (reference §2.2). The mapping from
/// GB/T 21010 / 三调 codes to the HJ 192 sub-classes is the reference's suggestion (not official) and can be replaced:
/// 园地 counts as 疏林地和其他林地; all 草地 as 中覆盖度 (no vegetation-cover data); 1006, 1202, 1203 as 其他未利用地.
/// The index is reported as computed, not capped at 100.
/// </summary>
public static class HabitatQuality
{
    /// <summary>Normalisation coefficient A_bio of HJ 192-2015.</summary>
    public const double ABio = 511.2642131067;

    /// <summary>Self-description for the catalogue.</summary>
    public static IndicatorInfo Info { get; } = new(
        "habitat-quality",
        "生境质量指数（HJ 192-2015）",
        "Habitat quality index (HJ 192-2015)",
        "index",
        "A_bio × (0.35·林地 + 0.21·草地 + 0.28·水域湿地 + 0.11·耕地 + 0.04·建设用地 + 0.01·未利用地) / 区域面积, A_bio = 511.2642131067",
        "",
        "参考性",
        "none (an input to EI; reported for trend)",
        ["landuse", "admin-units"],
        ["region", "asOf"]);

    /// <summary>The default code mapping.</summary>
    public static IReadOnlyList<HabitatClass> DefaultMapping { get; } =
    [
        new("林地", 0.35, "有林地", 0.60, ["0301", "0302", "0303", "0304"]),
        new("林地", 0.35, "灌木林地", 0.25, ["0305", "0306"]),
        new("林地", 0.35, "疏林地和其他林地", 0.15, ["0307", "0201", "0202", "0203", "0204"]),
        new("草地", 0.21, "中覆盖度草地", 0.30, ["0401", "0402", "0403", "0404"]),
        new("水域湿地", 0.28, "河流(渠)", 0.10, ["1101", "1107", "1107A"]),
        new("水域湿地", 0.28, "湖泊(库)", 0.30, ["1102", "1103", "1104", "1104A"]),
        new("水域湿地", 0.28, "滩涂湿地", 0.50, ["1105", "1106", "1108"]),
        new("水域湿地", 0.28, "永久性冰川雪地", 0.10, ["1110"]),
        new("耕地", 0.11, "水田", 0.60, ["0101"]),
        new("耕地", 0.11, "旱地", 0.40, ["0102", "0103"]),
        new("建设用地", 0.04, "农村居民点", 0.40, ["0702"]),
        new("建设用地", 0.04, "其他建设用地", 0.30, ["0602", "0603", "1001", "1002", "1003", "1005", "1007", "1008", "1009", "1109", "1201"]),
        new("建设用地", 0.04, "城镇建设用地", 0.30,
            ["0501", "0502", "0503", "0504", "0505", "0506", "0507", "05H1", "0508", "0601", "0604", "0701", "0801", "0802", "0803", "0804",
             "0805", "0806", "0807", "0808", "0809", "0810", "08H1", "08H2", "08H2A", "0901", "0902", "0903", "0904", "0905", "0906", "1004"]),
        new("未利用地", 0.01, "沙地", 0.20, ["1205"]),
        new("未利用地", 0.01, "盐碱地", 0.30, ["1204"]),
        new("未利用地", 0.01, "裸土地", 0.20, ["1206"]),
        new("未利用地", 0.01, "裸岩石砾", 0.20, ["1207"]),
        new("未利用地", 0.01, "其他未利用地", 0.10, ["1006", "1202", "1203"]),
    ];

    /// <summary>HQ of one region from its area by land-use code.</summary>
    public static HabitatQualityFigure Compute(string code, string name, double regionAreaM2, IReadOnlyDictionary<string, double> areaByCodeM2, IReadOnlyList<HabitatClass>? mapping = null)
    {
        ArgumentNullException.ThrowIfNull(areaByCodeM2);
        mapping ??= DefaultMapping;
        var byCode = mapping.SelectMany(m => m.Codes.Select(c => (c, m))).ToDictionary(x => x.c, x => x.m);
        var classAreas = mapping.Select(m => m.Class).Distinct().ToDictionary(c => c, _ => 0.0);
        var (weighted, unmapped) = (0.0, 0.0);
        foreach (var (landUseCode, area) in areaByCodeM2)
        {
            if (!byCode.TryGetValue(landUseCode, out var habitat))
            {
                unmapped += area;
                continue;
            }

            classAreas[habitat.Class] += area;
            weighted += habitat.ClassWeight * habitat.SubWeight * area;
        }

        var index = regionAreaM2 > 0 ? ABio * weighted / regionAreaM2 : 0;
        return new HabitatQualityFigure(code, name, regionAreaM2, classAreas, unmapped, index);
    }
}
