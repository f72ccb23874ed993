using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>One reserve zone polygon with its attributes.</summary>
/// <param name="Name">Protected-area name (BHDMC).</param>
/// <param name="Category">国家公园 / 自然保护区 / 自然公园 … (BHDLX).</param>
/// <param name="Zone">核心保护区 / 一般控制区 (GNFQ).</param>
/// <param name="Level">国家级 / 省级 … (JB).</param>
/// <param name="Geometry">Its polygon, SRID 4490.</param>
public sealed record ReserveZone(string? Name, string? Category, string? Zone, string? Level, Geometry Geometry)
{
    /// <summary>True for a core zone (核心保护区, or the legacy 核心区/缓冲区 that merged into it).</summary>
    public bool IsCore => Zone is not null && (Zone.Contains("核心", StringComparison.Ordinal) || Zone.Contains("缓冲", StringComparison.Ordinal));
}

/// <summary>A change of a reserve's category, zone set or level between versions (性质改变).</summary>
public sealed record AttributeChange(string Name, string Field, string From, string To);

/// <summary>Reserve integrity between two versions.</summary>
/// <param name="All">Area change of all reserve zones.</param>
/// <param name="Core">Area change of the core zones only.</param>
/// <param name="AttributeChanges">Changes of category, zones or level per reserve name; a reserve that appears or disappears is one too.</param>
/// <param name="Status">Pass when neither area decreased and nothing changed in nature.</param>
public sealed record ReserveIntegrityResult(AreaChangeResult All, AreaChangeResult Core, IReadOnlyList<AttributeChange> AttributeChanges, IndicatorStatus Status);

/// <summary>
/// 指标 17 (protected areas), 自然保护地面积不减少、性质不改变: the area of all reserve zones and of the core zones
/// (核心保护区) must not decrease, and no reserve may change category, zoning or level. Areas as in <see cref="AreaChange"/>.
/// </summary>
public static class ReserveIntegrity
{
    /// <summary>Self-description for the catalogue.</summary>
    public static IndicatorInfo Info { get; } = new(
        "reserve-integrity",
        "自然保护地面积不减少、性质不改变",
        "Protected areas: area does not decrease, nature does not change",
        "m2",
        "net and core net as in redline-area-change; attribute changes compare category, zones and level per reserve name",
        "17",
        "约束性",
        "net ≥ 0 and core net ≥ 0 and no change of category, zone or level",
        ["reserves", "admin-units"],
        ["region", "from", "to"]);

    /// <summary>Compares two versions of the reserves layer.</summary>
    public static ReserveIntegrityResult Compute(IReadOnlyList<ReserveZone> before, IReadOnlyList<ReserveZone> after, IReadOnlyList<AdminUnit> units)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var all = AreaChange.Compute(before.Select(z => z.Geometry).ToList(), after.Select(z => z.Geometry).ToList(), units);
        var core = AreaChange.Compute(
            before.Where(z => z.IsCore).Select(z => z.Geometry).ToList(), after.Where(z => z.IsCore).Select(z => z.Geometry).ToList(), units);
        var changes = AttributeChanges(before, after);
        var pass = all.NetM2 >= 0 && core.NetM2 >= 0 && changes.Count == 0;
        return new ReserveIntegrityResult(all, core, changes, pass ? IndicatorStatus.Pass : IndicatorStatus.Fail);
    }

    private static List<AttributeChange> AttributeChanges(IReadOnlyList<ReserveZone> before, IReadOnlyList<ReserveZone> after)
    {
        static Dictionary<string, Dictionary<string, string>> Describe(IEnumerable<ReserveZone> zones) => zones
            .GroupBy(z => z.Name ?? "(unnamed)")
            .ToDictionary(g => g.Key, g => new Dictionary<string, string>
            {
                ["category"] = Join(g.Select(z => z.Category)),
                ["zones"] = Join(g.Select(z => z.Zone)),
                ["level"] = Join(g.Select(z => z.Level)),
            });

        var (from, to) = (Describe(before), Describe(after));
        var changes = new List<AttributeChange>();
        foreach (var name in from.Keys.Union(to.Keys).Order(StringComparer.Ordinal))
        {
            if (!from.TryGetValue(name, out var a) || !to.TryGetValue(name, out var b))
            {
                changes.Add(new AttributeChange(name, "presence", a is null ? "absent" : "present", a is null ? "present" : "absent"));
                continue;
            }

            changes.AddRange(a.Where(kv => b[kv.Key] != kv.Value).Select(kv => new AttributeChange(name, kv.Key, kv.Value, b[kv.Key])));
        }

        return changes;
    }

    private static string Join(IEnumerable<string?> values) =>
        string.Join("/", values.Where(v => !string.IsNullOrEmpty(v)).Distinct().Order(StringComparer.Ordinal));
}
