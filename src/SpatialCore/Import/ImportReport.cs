namespace EcoSpatial.SpatialCore.Import;

/// <summary>A feature that an import repaired or rejected: its 0-based position in the source, its id there, and why.</summary>
/// <param name="Index">0-based position of the feature in the source file.</param>
/// <param name="SourceId">The feature's id in the source, when it has one.</param>
/// <param name="Reason">What was wrong, in words.</param>
public sealed record FeatureIssue(int Index, string? SourceId, string Reason);

/// <summary>A land-use class code that is in none of GB/T 21010-2017, 三调 and the 2023 guide.</summary>
/// <param name="Code">The code as found.</param>
/// <param name="Count">How many stored features carry it.</param>
/// <param name="FirstIndex">The first of them (0-based source position).</param>
public sealed record UnknownCode(string Code, int Count, int FirstIndex);

/// <summary>A parcel whose official area differs from the computed ellipsoidal area.</summary>
/// <param name="Index">0-based position of the feature in the source.</param>
/// <param name="OfficialAreaM2">The official area (TBMJ), m².</param>
/// <param name="AreaM2">The computed ellipsoidal area, m².</param>
/// <param name="RelativeDifference">(computed − official) / official.</param>
public sealed record AreaDifference(int Index, double OfficialAreaM2, double AreaM2, double RelativeDifference);

/// <summary>The comparison of official areas (TBMJ) with computed ellipsoidal areas.</summary>
/// <param name="Compared">Stored features that carried a positive official area.</param>
/// <param name="MaxRelativeDifference">The largest |computed − official| / official.</param>
/// <param name="Tolerance">The relative difference beyond which a parcel is listed.</param>
/// <param name="BeyondTolerance">How many parcels differ by more than <paramref name="Tolerance"/>.</param>
/// <param name="Parcels">The first of them (at most <see cref="ImportReport.MaxListed"/>), in source order.</param>
public sealed record OfficialAreaCheck(
    int Compared, double MaxRelativeDifference, double Tolerance, int BeyondTolerance, IReadOnlyList<AreaDifference> Parcels);

/// <summary>What an import read, kept, repaired and rejected. Stored with the version and shown to the user.</summary>
/// <param name="SourceCrs">The CRS the source declared or was read as, e.g. <c>EPSG:4490</c>.</param>
/// <param name="FeaturesRead">Features found in the source.</param>
/// <param name="FeaturesImported">Features stored (read minus rejected).</param>
/// <param name="AreaM2">Sum of the stored features' areas on the CGCS2000 ellipsoid, m².</param>
/// <param name="AreaMethod">How <paramref name="AreaM2"/> was computed.</param>
/// <param name="Repaired">Features whose geometry was invalid and was repaired, with the defect found.</param>
/// <param name="Rejected">Features that were not stored, with the reason.</param>
/// <param name="Notes">Anything else the user should know about how the source was read.</param>
/// <param name="Format">The source format (<c>GeoJSON</c>, <c>Shapefile</c>, <c>GeoPackage</c>).</param>
/// <param name="UnknownClassCodes">Land-use codes in none of the known classifications (landuse layer only).</param>
/// <param name="OfficialArea">The official-area cross-check, when the source carries official areas (TBMJ).</param>
public sealed record ImportReport(
    string SourceCrs,
    int FeaturesRead,
    int FeaturesImported,
    double AreaM2,
    string AreaMethod,
    IReadOnlyList<FeatureIssue> Repaired,
    IReadOnlyList<FeatureIssue> Rejected,
    IReadOnlyList<string> Notes,
    string? Format = null,
    IReadOnlyList<UnknownCode>? UnknownClassCodes = null,
    OfficialAreaCheck? OfficialArea = null)
{
    /// <summary>Most parcels <see cref="OfficialAreaCheck.Parcels"/> lists; its count is complete.</summary>
    public const int MaxListed = 1000;
}
