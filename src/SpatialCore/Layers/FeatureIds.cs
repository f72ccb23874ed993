using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialCore.Layers;

/// <summary>
/// A stored feature's id (the OGC API item id, the vector-tile feature id): its version's id × 1,000,000,000 plus its
/// 0-based position in the source file, so version 7's features are 7000000000, 7000000001, … Unique across a layer's
/// versions, readable, and known before the feature is written: the importer sends it with the row, where a sequence
/// default would cost PostgreSQL a <c>nextval</c> per row (a quarter of the COPY's time). The stored key is the
/// position itself (<c>version_id, feature_index</c>); an id is looked up by the position it names (<see cref="Position"/>).
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

    /// <summary>The version and position an id names (<see cref="Of"/> reversed); null for a number no feature can have.</summary>
    public static (long VersionId, int FeatureIndex)? Position(long id) =>
        id >= PerVersion ? (id / PerVersion, (int)(id % PerVersion)) : null;
}
