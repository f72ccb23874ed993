using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Layers;

namespace EcoSpatial.SpatialCore.Tests.Layers;

public class FeatureIdsTests
{
    [Theory]
    [InlineData(7L, 0, 7_000_000_000L)]
    [InlineData(7L, 42, 7_000_000_042L)]
    [InlineData(1L, 999_999_999, 1_999_999_999L)]
    [InlineData(9_007_198L, 12, 9_007_198_000_000_012L)]
    public void An_id_is_the_version_times_a_billion_plus_the_position(long version, int index, long expected) =>
        Assert.Equal(expected, FeatureIds.Of(version, index));

    [Theory]
    [InlineData(7L, 0)]
    [InlineData(7L, 42)]
    [InlineData(1L, 999_999_999)]
    [InlineData(9_007_198L, 12)]
    public void An_id_names_its_version_and_position(long version, int index) =>
        Assert.Equal((version, index), FeatureIds.Position(FeatureIds.Of(version, index)));

    [Theory]
    [InlineData(0L)]
    [InlineData(999_999_999L)]
    [InlineData(-7_000_000_000L)]
    public void A_number_below_the_first_version_names_no_feature(long id) => Assert.Null(FeatureIds.Position(id));

    [Fact]
    public void The_last_position_of_a_version_and_the_first_of_the_next_do_not_meet() =>
        Assert.True(FeatureIds.Of(3, 999_999_999) < FeatureIds.Of(4, 0));

    [Theory]
    [InlineData(1_000_000_000)]
    [InlineData(-1)]
    public void A_position_a_version_cannot_hold_is_refused(int index)
    {
        var e = Assert.Throws<SpatialInputException>(() => FeatureIds.Of(5, index));

        Assert.Equal(SpatialError.InvalidArgument, e.Error);
    }
}
