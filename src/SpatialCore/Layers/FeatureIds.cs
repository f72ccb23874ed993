using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialCore.Layers;

/// <summary>
/// A stored feature's id (the OGC API item id, the vector-tile feature id): its version's id × 1,000,000,000 plus its
/// 0-based position in the source file, so version 7's features are 7000000000, 7000000001, … Unique across a layer's
/// versions, readable, and known before the feature is written: the importer sends it with the row, where a sequence
/// default would cost PostgreSQL a <c>nextval</c> per row (a quarter of the COPY's time). Features stored before
/// this scheme keep the sequence numbers they were given, all below 1,000,000,000.
/// </summary>
public static class FeatureIds
{
    /// <summary>Ids per version: a version holds at most this many features.</summary>
    public const long PerVersion = 1_000_000_000;

    /// <summary>The id of the feature at <paramref name="featureIndex"/> in version <paramref name="versionId"/>.</summary>
    /// <exception cref="SpatialInputException">
    /// <see cref="SpatialError.InvalidArgument"/>: the position is beyond what one version can hold.
    /// </exception>
    public static long Of(long versionId, int featureIndex) =>
        featureIndex is >= 0 and < (int)PerVersion
            ? checked((versionId * PerVersion) + featureIndex)
            : throw new SpatialInputException(SpatialError.InvalidArgument,
                $"A version holds at most {PerVersion - 1:N0} features; this source has more: split it.");
}
