using System.Text.Json;
using EcoSpatial.SpatialApi.Persistence;

namespace EcoSpatial.SpatialApi.Contracts;

/// <summary>A layer version on the wire. <c>areaM2</c> is the sum of its features' ellipsoidal areas.</summary>
public sealed record VersionResponse(
    long Id,
    string Layer,
    string Label,
    DateOnly AsOf,
    DateTimeOffset ImportedAt,
    string SourceFileName,
    string SourceSha256,
    string SourceCrs,
    int FeatureCount,
    double AreaM2,
    string? ApprovalRef,
    JsonElement Report)
{
    public static VersionResponse From(LayerVersionRow row) => new(
        row.Id, row.Layer, row.Label, row.AsOf, row.ImportedAt, row.SourceFileName, row.SourceSha256, row.SourceCrs,
        row.FeatureCount, row.AreaM2, row.ApprovalRef, JsonDocument.Parse(row.Report).RootElement);
}

/// <summary>A layer with its number of versions and its current version (the newest as-of date).</summary>
public sealed record LayerResponse(string Id, string Title, string Description, int VersionCount, VersionResponse? Current);
