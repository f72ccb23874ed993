namespace EcoSpatial.SpatialCore.Layers;

/// <summary>The type of a typed attribute column.</summary>
public enum FieldType
{
    /// <summary>Text.</summary>
    Text,

    /// <summary>A double-precision number.</summary>
    Number,
}

/// <summary>
/// A typed attribute of a layer: its column name in the database and the source field names that fill it,
/// matched case-insensitively, first match wins.
/// </summary>
/// <param name="Column">Column name (snake_case) in the layer's table.</param>
/// <param name="Type">Column type.</param>
/// <param name="SourceFields">Standard source field names (三调, 红线, 自然保护地, 水源地 conventions) that map to it.</param>
/// <param name="Description">What the attribute means.</param>
public sealed record LayerField(string Column, FieldType Type, IReadOnlyList<string> SourceFields, string Description);

/// <summary>One of the five layers EcoSpatial keeps as immutable, dated versions.</summary>
/// <param name="Id">Stable wire id (kebab-case), e.g. <c>redlines</c>.</param>
/// <param name="Table">Table that holds its features.</param>
/// <param name="Title">Title for clients, Chinese and English.</param>
/// <param name="Description">What the layer holds.</param>
/// <param name="Fields">Its typed attribute columns.</param>
public sealed record LayerKind(string Id, string Table, string Title, string Description, IReadOnlyList<LayerField> Fields);

/// <summary>The five layers and their typed attributes (architecture doc, "Layers and versions").</summary>
public static class LayerCatalog
{
    /// <summary>生态保护红线: ecological protection red lines.</summary>
    public static LayerKind Redlines { get; } = new(
        "redlines", "redlines", "生态保护红线 Ecological protection red lines",
        "Red-line polygons with their code, name and dominant ecological function.",
        [
            new("code", FieldType.Text, ["HXBH", "code"], "Red-line code (HXBH)."),
            new("name", FieldType.Text, ["HXMC", "name"], "Red-line name (HXMC)."),
            new("function", FieldType.Text, ["HXLX", "function"], "Dominant ecological function (HXLX)."),
        ]);

    /// <summary>自然保护地: protected areas with their functional zones.</summary>
    public static LayerKind Reserves { get; } = new(
        "reserves", "reserves", "自然保护地 Protected areas",
        "Protected-area zones: name, category, functional zone (core or general control) and level.",
        [
            new("name", FieldType.Text, ["BHDMC", "name"], "Protected-area name (BHDMC)."),
            new("category", FieldType.Text, ["BHDLX", "category"], "Category: 国家公园 / 自然保护区 / 自然公园 (BHDLX)."),
            new("zone", FieldType.Text, ["GNFQ", "zone"], "Functional zone: 核心保护区 / 一般控制区 (GNFQ)."),
            new("level", FieldType.Text, ["JB", "level"], "Level: 国家级 / 省级 / … (JB)."),
        ]);

    /// <summary>饮用水水源保护区: drinking-water-source protection zones.</summary>
    public static LayerKind WaterSourceZones { get; } = new(
        "water-source-zones", "water_source_zones", "饮用水水源保护区 Drinking-water-source protection zones",
        "Protection zones around drinking-water intakes: source name, zone level and source type (HJ 338-2018).",
        [
            new("source_name", FieldType.Text, ["SYDMC", "source_name"], "Water source name (SYDMC)."),
            new("level", FieldType.Text, ["BHQJB", "level"], "Zone level: 一级 / 二级 / 准保护区 (BHQJB)."),
            new("source_type", FieldType.Text, ["SYDLX", "source_type"], "Source type: 河流型 / 湖库型 / 地下水型 (SYDLX)."),
        ]);

    /// <summary>Land-use parcels (三调 DLTB style).</summary>
    public static LayerKind Landuse { get; } = new(
        "landuse", "landuse", "土地利用现状 Land-use parcels",
        "Land-use parcels with their GB/T 21010-2017 / 三调 class, admin unit and official area.",
        [
            new("parcel_code", FieldType.Text, ["BSM", "TBBH", "parcel_code"], "Parcel identifier (BSM or TBBH)."),
            new("class_code", FieldType.Text, ["DLBM", "class_code"], "Land-use class code (DLBM)."),
            new("class_name", FieldType.Text, ["DLMC", "class_name"], "Land-use class name (DLMC)."),
            new("admin_code", FieldType.Text, ["ZLDWDM", "XZQDM", "admin_code"], "Code of the admin unit the parcel sits in (ZLDWDM)."),
            new("official_area_m2", FieldType.Number, ["TBMJ", "official_area_m2"], "Official parcel area in m² (TBMJ)."),
        ]);

    /// <summary>Administrative units.</summary>
    public static LayerKind AdminUnits { get; } = new(
        "admin-units", "admin_units", "行政区 Administrative units",
        "Administrative units with their GB/T 2260 code, name, level and terrain class.",
        [
            new("code", FieldType.Text, ["XZQDM", "code"], "Admin code (XZQDM)."),
            new("name", FieldType.Text, ["XZQMC", "name"], "Admin name (XZQMC)."),
            new("level", FieldType.Text, ["JB", "level"], "Level: 市 / 县 / 乡镇 (JB)."),
            new("terrain", FieldType.Text, ["DXLB", "terrain"], "Terrain class: 山区 / 丘陵 / 平原 (DXLB)."),
        ]);

    /// <summary>All layers, in display order.</summary>
    public static IReadOnlyList<LayerKind> All { get; } = [Redlines, Reserves, WaterSourceZones, Landuse, AdminUnits];

    /// <summary>The layer with this wire id, or null.</summary>
    public static LayerKind? Find(string id) => All.FirstOrDefault(l => l.Id == id);
}
