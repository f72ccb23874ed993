using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Indicators;

namespace EcoSpatial.SpatialApi.Contracts;

/// <summary>A layer version an indicator read.</summary>
public sealed record InputVersion(string Layer, long VersionId, string Label, DateOnly AsOf, string? ApprovalRef)
{
    public static InputVersion From(LayerVersionRow v) => new(v.Layer, v.Id, v.Label, v.AsOf, v.ApprovalRef);
}

/// <summary>
/// A computed indicator: its value against its target, the versions it read, how it was computed, a breakdown per
/// admin unit and indicator-specific details whose figures carry their units in their names.
/// </summary>
public sealed record IndicatorResponse(
    string Id,
    string Name,
    double? Value,
    string Unit,
    string Target,
    IndicatorStatus Status,
    string? Region,
    IReadOnlyList<InputVersion> Inputs,
    string Method,
    DateTimeOffset ComputedAt,
    IReadOnlyList<object> Breakdown,
    object? Details);
