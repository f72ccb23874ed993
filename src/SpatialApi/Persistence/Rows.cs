using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>One immutable, dated version of a layer (table <c>layer_versions</c>).</summary>
public sealed class LayerVersionRow
{
    public long Id { get; set; }
    public required string Layer { get; set; }
    public required string Label { get; set; }
    public DateOnly AsOf { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public required string SourceFileName { get; set; }
    public required string SourceSha256 { get; set; }
    public required string SourceCrs { get; set; }
    public int FeatureCount { get; set; }
    public double AreaM2 { get; set; }
    public string? ApprovalRef { get; set; }

    /// <summary>The import report (<see cref="SpatialCore.Import.ImportReport"/>) as JSON.</summary>
    public required string Report { get; set; }
}

/// <summary>Columns every layer's feature table shares. Not mapped itself: each layer has its own table.</summary>
public abstract class FeatureRow
{
    public long Id { get; set; }
    public long VersionId { get; set; }

    /// <summary>0-based position of the feature in its source file.</summary>
    public int FeatureIndex { get; set; }
    public string? SourceId { get; set; }
    public required MultiPolygon Geom { get; set; }

    /// <summary>Ellipsoidal area on CGCS2000 computed at import, m².</summary>
    public double AreaM2 { get; set; }

    /// <summary>Every original attribute, as a JSON object.</summary>
    public required string Attributes { get; set; }
}

public sealed class RedlineRow : FeatureRow
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Function { get; set; }
}

public sealed class ReserveRow : FeatureRow
{
    public string? Name { get; set; }
    public string? Category { get; set; }
    public string? Zone { get; set; }
    public string? Level { get; set; }
}

public sealed class WaterSourceZoneRow : FeatureRow
{
    public string? SourceName { get; set; }
    public string? Level { get; set; }
    public string? SourceType { get; set; }
}

public sealed class LanduseRow : FeatureRow
{
    public string? ParcelCode { get; set; }
    public string? ClassCode { get; set; }
    public string? ClassName { get; set; }
    public string? AdminCode { get; set; }
    public double? OfficialAreaM2 { get; set; }
}

public sealed class AdminUnitRow : FeatureRow
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Level { get; set; }
    public string? Terrain { get; set; }
}

/// <summary>One write (or refused write) to the store, for the audit trail (table <c>audit_log</c>).</summary>
public sealed class AuditRow
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Who wrote: <c>cli</c>, <c>api</c>, <c>demo-loader</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>What happened, e.g. <c>import</c> or <c>import-refused</c>.</summary>
    public required string Action { get; set; }
    public string? Layer { get; set; }
    public long? VersionId { get; set; }
    public required string Details { get; set; }
}
