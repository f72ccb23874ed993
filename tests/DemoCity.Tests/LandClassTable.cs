namespace EcoSpatial.DemoCity.Tests;

/// <summary>
/// GB/T 21010-2017 second-level codes and names, copied independently from the domain reference §5.1
/// (shared/domain/indicators-and-standards.md), so the generator's own table is checked against it.
/// </summary>
public static class LandClassTable
{
    public static IReadOnlyDictionary<string, string> All { get; } = Parse("""
        0101 水田, 0102 水浇地, 0103 旱地
        0201 果园, 0202 茶园, 0203 橡胶园, 0204 其他园地
        0301 乔木林地, 0302 竹林地, 0303 红树林地, 0304 森林沼泽, 0305 灌木林地, 0306 灌丛沼泽, 0307 其他林地
        0401 天然牧草地, 0402 沼泽草地, 0403 人工牧草地, 0404 其他草地
        0501 零售商业, 0502 批发市场, 0503 餐饮, 0504 旅馆, 0505 商务金融, 0506 娱乐, 0507 其他商服
        0601 工业, 0602 采矿, 0603 盐田, 0604 仓储
        0701 城镇住宅, 0702 农村宅基地
        0801 机关团体, 0802 新闻出版, 0803 教育, 0804 科研, 0805 医疗卫生, 0806 社会福利, 0807 文化设施, 0808 体育, 0809 公用设施, 0810 公园与绿地
        0901 军事设施, 0902 使领馆, 0903 监教场所, 0904 宗教, 0905 殡葬, 0906 风景名胜设施
        1001 铁路, 1002 轨道交通, 1003 公路, 1004 城镇村道路, 1005 交通服务场站, 1006 农村道路, 1007 机场, 1008 港口码头, 1009 管道运输
        1101 河流水面, 1102 湖泊水面, 1103 水库水面, 1104 坑塘水面, 1105 沿海滩涂, 1106 内陆滩涂, 1107 沟渠, 1108 沼泽地, 1109 水工建筑用地, 1110 冰川及永久积雪
        1201 空闲地, 1202 设施农用地, 1203 田坎, 1204 盐碱地, 1205 沙地, 1206 裸土地, 1207 裸岩石砾地
        """);

    /// <summary>建设用地 per GB/T 21010 附录A (domain reference §5.1).</summary>
    public static bool IsConstruction(string code) =>
        code[..2] is "05" or "06" or "07" or "08" or "09" || (code[..2] == "10" && code != "1006") || code is "1109" or "1201";

    private static Dictionary<string, string> Parse(string text) =>
        text.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => item.Split(' ', 2))
            .ToDictionary(p => p[0], p => p[1]);
}
