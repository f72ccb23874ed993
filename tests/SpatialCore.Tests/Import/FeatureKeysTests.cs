using EcoSpatial.SpatialCore.Import;

namespace EcoSpatial.SpatialCore.Tests.Import;

public class FeatureKeysTests
{
    private static readonly Guid Hash = Guid.Parse("0b5d6f1e-8a4c-4f2b-9d3e-7c1a2b3c4d5e");

    private static UInt128 Key(params object?[] values) => FeatureKeys.Of(Hash, 1234.5, values);

    [Fact]
    public void Every_part_of_a_row_changes_its_key()
    {
        var key = Key("0101", "水田", null, 12.5);

        Assert.Equal(key, Key("0101", "水田", null, 12.5));
        Assert.NotEqual(key, FeatureKeys.Of(Guid.Parse("0b5d6f1e-8a4c-4f2b-9d3e-7c1a2b3c4d5f"), 1234.5, ["0101", "水田", null, 12.5]));
        Assert.NotEqual(key, FeatureKeys.Of(Hash, 1234.500000001, ["0101", "水田", null, 12.5]));
        Assert.NotEqual(key, Key("0102", "水田", null, 12.5));
        Assert.NotEqual(key, Key("0101", "旱地", null, 12.5));
        Assert.NotEqual(key, Key("0101", "水田", "", 12.5));
        Assert.NotEqual(key, Key("0101", "水田", null, 12.25));
        Assert.NotEqual(key, Key("0101", "水田", null, null));
    }

    [Fact]
    public void Values_are_delimited_so_that_moving_text_between_fields_changes_the_key()
    {
        Assert.NotEqual(Key("ab", "c"), Key("a", "bc"));
        Assert.NotEqual(Key("a", null), Key(null, "a"));
    }

    [Fact]
    public void Stored_form_reads_back_and_a_torn_one_is_refused()
    {
        var builder = new FeatureKeys.Builder();
        builder.Add(0, Key("0101"), Hash, 0, []);
        builder.Add(3, Key("0301"), Hash, 0, []);
        var bytes = builder.Build().ToBytes();

        var read = FeatureKeys.FromBytes(bytes);

        Assert.Equal(40, bytes.Length);
        Assert.Equal([0, 3], read.FeatureIndexes);
        Assert.Equal([Key("0101"), Key("0301")], read.Keys);
        Assert.Throws<FormatException>(() => FeatureKeys.FromBytes(bytes.AsSpan(0, 39)));
    }

    [Fact]
    public void Match_gives_the_earlier_position_of_each_unchanged_row_and_minus_one_for_the_others()
    {
        var earlier = new FeatureKeys.Builder();
        earlier.Add(0, Key("0101"), Hash, 0, []);
        earlier.Add(1, Key("0301"), Hash, 0, []);
        earlier.Add(5, Key("0401"), Hash, 0, []);
        var later = new FeatureKeys.Builder();
        later.Add(0, Key("0401"), Hash, 0, []); // moved
        later.Add(1, Key("0702"), Hash, 0, []); // new
        later.Add(2, Key("0101"), Hash, 0, []); // moved

        Assert.Equal([5, -1, 0], FeatureKeys.Match(earlier.Build(), later.Build()).Matches);
    }

    [Fact]
    public void A_changed_row_is_aligned_with_the_earlier_row_in_its_place()
    {
        var earlier = new FeatureKeys.Builder();
        earlier.Add(0, Key("0101"), Hash, 0, []);
        earlier.Add(4, Key("0103"), Hash, 0, []);
        earlier.Add(7, Key("0301"), Hash, 0, []);
        var later = new FeatureKeys.Builder();
        later.Add(0, Key("0101"), Hash, 0, []);
        later.Add(1, Key("0702"), Hash, 0, []); // 0103 became 0702
        later.Add(2, Key("0301"), Hash, 0, []);

        var match = FeatureKeys.Match(earlier.Build(), later.Build());
        var stored = KeyMatch.FromBytes(match.ToBytes(), null);

        Assert.Equal([0, -1, 7], match.Matches);
        Assert.Equal([0, 4, 7], match.Aligned);
        Assert.Equal(match.FeatureIndexes, stored.FeatureIndexes);
        Assert.Equal(match.Matches, stored.Matches);
        Assert.Equal(match.Aligned, stored.Aligned);
        Assert.Throws<FormatException>(() => KeyMatch.FromBytes(new byte[12], null));
    }

    [Fact]
    public void Match_follows_insertions_deletions_and_moves_like_a_lookup_of_every_key()
    {
        var random = new Random(7);
        var earlierKeys = Enumerable.Range(0, 5000).Select(i => Key($"parcel {i % 4900}")).ToList(); // 100 keys twice
        var laterKeys = new List<UInt128>();
        foreach (var key in earlierKeys)
        {
            var roll = random.Next(100);
            if (roll < 3)
            {
                laterKeys.Add(Key($"new {laterKeys.Count}")); // changed
            }
            else if (roll < 5)
            {
                laterKeys.Add(Key($"inserted {laterKeys.Count}"));
                laterKeys.Add(key);
            }
            else if (roll >= 6)
            {
                laterKeys.Add(key); // roll 5: deleted
            }
        }

        laterKeys.AddRange(earlierKeys.Take(50)); // moved to the end (duplicates of rows kept at the start)
        var (earlier, later) = (Keys(earlierKeys, 2), Keys(laterKeys, 3));

        var (_, match, aligned, _) = FeatureKeys.Match(earlier, later);

        var firstIndexOf = new Dictionary<UInt128, int>();
        for (var i = 0; i < earlierKeys.Count; i++)
        {
            firstIndexOf.TryAdd(earlierKeys[i], earlier.FeatureIndexes[i]);
        }

        for (var r = 0; r < laterKeys.Count; r++)
        {
            if (firstIndexOf.TryGetValue(laterKeys[r], out var index))
            {
                Assert.True(match[r] >= 0, $"row {r} has a match");
                Assert.Equal(laterKeys[r], earlierKeys[match[r] / 2]); // feature_index = 2 × row: any row with the key
            }
            else
            {
                Assert.Equal(-1, match[r]);
            }

            Assert.True(aligned[r] == match[r] || match[r] < 0, $"row {r}: a matched row is aligned with its match");
        }
    }

    /// <summary>Keys stored with feature_index = step × row (sources with rejected features have gaps).</summary>
    private static FeatureKeys Keys(List<UInt128> keys, int step)
    {
        var builder = new FeatureKeys.Builder();
        for (var i = 0; i < keys.Count; i++)
        {
            builder.Add(step * i, keys[i], Hash, 0, []);
        }

        return builder.Build();
    }

    [Fact]
    public void A_builder_given_the_earlier_keys_matches_as_it_goes_and_keeps_what_the_unmatched_rows_say()
    {
        var earlier = new FeatureKeys.Builder();
        foreach (var (index, code) in new[] { (0, "0101"), (1, "0103"), (2, "0301") })
        {
            earlier.Add(index, Key(code), Hash, 0, []);
        }

        var later = new FeatureKeys.Builder(earlier.Build());
        later.Add(0, Key("0101"), Hash, 0, []);
        later.Add(1, Key("0702"), Hash, 1234.5, ["0702", "城镇住宅用地", null, 12.5]);
        later.Add(2, Key("0301"), Hash, 0, []);

        var match = later.BuildMatch()!;

        var computed = FeatureKeys.Match(earlier.Build(), later.Build());
        Assert.Equal(computed.Matches, match.Matches);
        Assert.Equal(computed.Aligned, match.Aligned);
        var changed = Assert.Single(match.Changed!);
        Assert.Equal((1, Hash, 1234.5), (changed.FeatureIndex, changed.GeometryHash, changed.AreaM2));
        Assert.Null(new FeatureKeys.Builder().BuildMatch());
    }

    [Fact]
    public void Changed_features_read_back_exactly_and_a_torn_form_is_refused()
    {
        ChangedFeature[] features = [new(7, Hash, 0.1 + 0.2, ["0702", "城镇住宅用地", null, 1e-300]), new(9, Guid.Empty, 5, [])];

        var bytes = ChangedFeature.ToBytes(features);
        var read = ChangedFeature.FromBytes(bytes);

        Assert.Equal(2, read.Count);
        Assert.Equal((7, Hash, 0.1 + 0.2), (read[0].FeatureIndex, read[0].GeometryHash, read[0].AreaM2));
        Assert.Equal<object?>(["0702", "城镇住宅用地", null, 1e-300], read[0].Values);
        Assert.Empty(read[1].Values);
        Assert.Throws<FormatException>(() => ChangedFeature.FromBytes(bytes[..^3]));
    }
}
