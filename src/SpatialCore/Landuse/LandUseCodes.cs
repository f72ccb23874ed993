namespace EcoSpatial.SpatialCore.Landuse;

/// <summary>
/// Land-use classification codes: GB/T 21010-2017 (土地利用现状分类, 12 first-level and 73 second-level classes)
/// with the 三调 (TD/T 1055-2019) working codes, and the indicator groupings of the domain reference §5.1–§5.3.
/// </summary>
public static class LandUseCodes
{
    /// <summary>Second-level GB/T 21010-2017 codes and names, plus the 三调 working codes.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>
    {
        ["0101"] = "水田", ["0102"] = "水浇地", ["0103"] = "旱地",
        ["0201"] = "果园", ["0202"] = "茶园", ["0203"] = "橡胶园", ["0204"] = "其他园地",
        ["0301"] = "乔木林地", ["0302"] = "竹林地", ["0303"] = "红树林地", ["0304"] = "森林沼泽",
        ["0305"] = "灌木林地", ["0306"] = "灌丛沼泽", ["0307"] = "其他林地",
        ["0401"] = "天然牧草地", ["0402"] = "沼泽草地", ["0403"] = "人工牧草地", ["0404"] = "其他草地",
        ["0501"] = "零售商业用地", ["0502"] = "批发市场用地", ["0503"] = "餐饮用地", ["0504"] = "旅馆用地",
        ["0505"] = "商务金融用地", ["0506"] = "娱乐用地", ["0507"] = "其他商服用地",
        ["0601"] = "工业用地", ["0602"] = "采矿用地", ["0603"] = "盐田", ["0604"] = "仓储用地",
        ["0701"] = "城镇住宅用地", ["0702"] = "农村宅基地",
        ["0801"] = "机关团体用地", ["0802"] = "新闻出版用地", ["0803"] = "教育用地", ["0804"] = "科研用地",
        ["0805"] = "医疗卫生用地", ["0806"] = "社会福利用地", ["0807"] = "文化设施用地", ["0808"] = "体育用地",
        ["0809"] = "公用设施用地", ["0810"] = "公园与绿地",
        ["0901"] = "军事设施用地", ["0902"] = "使领馆用地", ["0903"] = "监教场所用地", ["0904"] = "宗教用地",
        ["0905"] = "殡葬用地", ["0906"] = "风景名胜设施用地",
        ["1001"] = "铁路用地", ["1002"] = "轨道交通用地", ["1003"] = "公路用地", ["1004"] = "城镇村道路用地",
        ["1005"] = "交通服务场站用地", ["1006"] = "农村道路", ["1007"] = "机场用地", ["1008"] = "港口码头用地",
        ["1009"] = "管道运输用地",
        ["1101"] = "河流水面", ["1102"] = "湖泊水面", ["1103"] = "水库水面", ["1104"] = "坑塘水面",
        ["1105"] = "沿海滩涂", ["1106"] = "内陆滩涂", ["1107"] = "沟渠", ["1108"] = "沼泽地",
        ["1109"] = "水工建筑用地", ["1110"] = "冰川及永久积雪",
        ["1201"] = "空闲地", ["1202"] = "设施农用地", ["1203"] = "田坎", ["1204"] = "盐碱地", ["1205"] = "沙地",
        ["1206"] = "裸土地", ["1207"] = "裸岩石砾地",
        // 三调 working codes (TD/T 1055-2019)
        ["05H1"] = "商业服务业设施用地", ["0508"] = "物流仓储用地", ["08H1"] = "机关团体新闻出版用地",
        ["08H2"] = "科教文卫用地", ["08H2A"] = "高教用地", ["1104A"] = "养殖坑塘", ["1107A"] = "干渠",
    };

    private static readonly HashSet<string> Known = new(Build(), StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True when <paramref name="code"/> is a code of GB/T 21010-2017 (first or second level), 三调 (TD/T 1055-2019
    /// working codes and the 湿地 group 00) or the 2023 用地用海 guide (§5.2), trimmed and case-insensitive. The 2023
    /// guide reuses some numbers with other meanings (its 0501 is 森林沼泽), so a code valid in either is accepted;
    /// which classification a file uses is for the user to say.
    /// </summary>
    public static bool IsKnown(string? code) => code is not null && Known.Contains(code.Trim());

    /// <summary>林地 for 林草覆盖率 (三调): 0301, 0302, 0305, 0307. The wetland classes 0303, 0304, 0306 are excluded by default.</summary>
    public static IReadOnlySet<string> Forest { get; } = new HashSet<string> { "0301", "0302", "0305", "0307" };

    /// <summary>草地 for 林草覆盖率 (三调): 0401, 0403, 0404. 0402 沼泽草地 is a wetland class, excluded by default.</summary>
    public static IReadOnlySet<string> Grass { get; } = new HashSet<string> { "0401", "0403", "0404" };

    /// <summary>三调 湿地 group "00": 0303, 0304, 0306, 0402, 0603, 1105, 1106, 1108.</summary>
    public static IReadOnlySet<string> Wetland { get; } =
        new HashSet<string> { "0303", "0304", "0306", "0402", "0603", "1105", "1106", "1108" };

    /// <summary>
    /// Natural ecological land (red-line 性质): 林地 03, 草地 04, the 湿地 group, 1101 河流水面, 1102 湖泊水面,
    /// 1110 冰川及永久积雪, 1204–1207 盐碱地/沙地/裸土地/裸岩石砾地.
    /// </summary>
    public static bool IsNatural(string? code) => code is not null && (
        code.StartsWith("03", StringComparison.Ordinal) || code.StartsWith("04", StringComparison.Ordinal)
        || Wetland.Contains(code)
        || code is "1101" or "1102" or "1110" or "1204" or "1205" or "1206" or "1207");

    /// <summary>
    /// Construction land (建设用地, GB/T 21010-2017 Appendix A): first-level 05, 06, 07, 08, 09, 10 except 1006,
    /// plus 1109 水工建筑用地 and 1201 空闲地 (and the 三调 merged codes of those classes).
    /// </summary>
    public static bool IsConstruction(string? code) => code is not null && code != "1006" && (
        code.Length >= 2 && code[..2] is "05" or "06" or "07" or "08" or "09" or "10"
        || code is "1109" or "1201");

    /// <summary>Industrial and mining land (工矿用地): 0601 工业, 0602 采矿 (the rule for water-source level-2 zones).</summary>
    public static bool IsIndustrialOrMining(string? code) => code is "0601" or "0602";

    /// <summary>The first-level class (2 digits) of a code, e.g. "03" for "0307".</summary>
    public static string FirstLevel(string code) => code.Length >= 2 ? code[..2] : code;

    private static IEnumerable<string> Build()
    {
        // GB/T 21010-2017: first level 01–12 and the 73 second-level classes.
        var gb21010 = new Dictionary<int, int>
        {
            [1] = 3, [2] = 4, [3] = 7, [4] = 4, [5] = 7, [6] = 4, [7] = 2, [8] = 10, [9] = 6, [10] = 9, [11] = 10, [12] = 7,
        };
        foreach (var (first, count) in gb21010)
        {
            yield return $"{first:00}";
            for (var second = 1; second <= count; second++)
            {
                yield return $"{first:00}{second:00}";
            }
        }

        // 三调 working classification.
        foreach (var code in new[] { "00", "05H1", "0508", "08H1", "08H2", "08H2A", "1104A", "1107A" })
        {
            yield return code;
        }

        // 2023 用地用海 guide: first level 01–24 and the second/third-level classes of §5.2.
        for (var first = 1; first <= 24; first++)
        {
            yield return $"{first:00}";
        }

        var guide2023 = new Dictionary<int, int>
        {
            [1] = 3, [2] = 5, [3] = 4, [4] = 3, [5] = 7, [6] = 2, [7] = 4, [8] = 7, [9] = 4, [10] = 3, [11] = 2,
            [12] = 9, [13] = 12, [14] = 3, [15] = 7, [17] = 6, [23] = 7,
        };
        foreach (var (first, count) in guide2023)
        {
            for (var second = 1; second <= count; second++)
            {
                yield return $"{first:00}{second:00}";
            }
        }

        foreach (var code in new[]
        {
            "060101", "060102", "060201", "060202", "060203", "070101", "070102", "070103", "100101", "100102", "100103",
        })
        {
            yield return code;
        }
    }
}
