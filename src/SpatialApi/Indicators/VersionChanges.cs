using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Landuse;

namespace EcoSpatial.SpatialApi.Indicators;

/// <summary>
/// How a land-use version's rows relate to an earlier version's: per row, in storage order, the earlier row with the
/// same key (<see cref="FeatureKeys.Match"/>: same geometry, area, class and codes) or none, and the rows with none,
/// read anew. A new survey that changes a few per cent of the parcels is then read as those few per cent.
/// </summary>
/// <param name="Keys">The later version's rows matched with the earlier version's.</param>
/// <param name="Unmatched">The later version's rows without a match that have a class code, ordered by <c>feature_index</c>.</param>
public sealed record VersionChanges(KeyMatch Keys, List<ParcelRow> Unmatched)
{
    /// <summary>
    /// The later version's parcels in a class set, from the earlier version's parcels in that set: a matched row is
    /// the earlier parcel at its new position (an equal key means an equal class, so the same set), an unmatched row
    /// is the one read, if its class is in the set. The result equals reading the set from the later version, row
    /// for row and in the same order.
    /// </summary>
    /// <returns>The parcels, and per parcel its index in <paramref name="earlier"/> or -1 when it was read anew.</returns>
    /// <param name="earlier">The earlier version's parcels in <paramref name="set"/>, ordered by <c>feature_index</c>.</param>
    /// <param name="set">The class set.</param>
    /// <param name="withCodes">Whether the set's parcels carry their parcel and admin codes.</param>
    public (List<ParcelRow> Rows, int[] Origins) Carry(List<ParcelRow> earlier, ParcelClassSet set, bool withCodes)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(set);
        var positions = new int[earlier.Count == 0 ? 0 : earlier[^1].FeatureIndex + 1];
        Array.Fill(positions, -1);
        for (var i = 0; i < earlier.Count; i++)
        {
            positions[earlier[i].FeatureIndex] = i;
        }

        var result = new List<ParcelRow>(earlier.Count + Unmatched.Count);
        var origins = new List<int>(earlier.Count + Unmatched.Count);
        var u = 0;
        var (indexes, matches) = (Keys.FeatureIndexes, Keys.Matches);
        for (var row = 0; row < matches.Length; row++)
        {
            var index = indexes[row];
            if (matches[row] >= 0)
            {
                if (matches[row] < positions.Length && positions[matches[row]] is var i and >= 0)
                {
                    result.Add(earlier[i].FeatureIndex == index ? earlier[i] : earlier[i] with { FeatureIndex = index });
                    origins.Add(i);
                }

                continue;
            }

            for (; u < Unmatched.Count && Unmatched[u].FeatureIndex < index; u++)
            {
            }

            if (u < Unmatched.Count && Unmatched[u].FeatureIndex == index && set.Contains(Unmatched[u].ClassCode))
            {
                result.Add(withCodes ? Unmatched[u] : Unmatched[u] with { ParcelCode = null, AdminCode = null });
                origins.Add(-1);
            }
        }

        return (result, [.. origins]);
    }
}
