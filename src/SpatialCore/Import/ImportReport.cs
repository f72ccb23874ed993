namespace EcoSpatial.SpatialCore.Import;

/// <summary>A feature that an import repaired or rejected: its 0-based position in the source, its id there, and why.</summary>
/// <param name="Index">0-based position of the feature in the source file.</param>
/// <param name="SourceId">The feature's id in the source, when it has one.</param>
/// <param name="Reason">What was wrong, in words.</param>
public sealed record FeatureIssue(int Index, string? SourceId, string Reason);

/// <summary>What an import read, kept, repaired and rejected. Stored with the version and shown to the user.</summary>
/// <param name="SourceCrs">The CRS the source declared or was read as, e.g. <c>EPSG:4490</c>.</param>
/// <param name="FeaturesRead">Features found in the source.</param>
/// <param name="FeaturesImported">Features stored (read minus rejected).</param>
/// <param name="AreaM2">Sum of the stored features' areas on the CGCS2000 ellipsoid, m².</param>
/// <param name="AreaMethod">How <paramref name="AreaM2"/> was computed.</param>
/// <param name="Repaired">Features whose geometry was invalid and was repaired, with the defect found.</param>
/// <param name="Rejected">Features that were not stored, with the reason.</param>
/// <param name="Notes">Anything else the user should know about how the source was read.</param>
public sealed record ImportReport(
    string SourceCrs,
    int FeaturesRead,
    int FeaturesImported,
    double AreaM2,
    string AreaMethod,
    IReadOnlyList<FeatureIssue> Repaired,
    IReadOnlyList<FeatureIssue> Rejected,
    IReadOnlyList<string> Notes);
