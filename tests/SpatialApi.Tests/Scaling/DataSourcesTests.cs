using EcoSpatial.SpatialApi.Persistence;

namespace EcoSpatial.SpatialApi.Tests.Scaling;

/// <summary>What <see cref="EcoDatabase.CreateDataSources"/> makes of one host and of several (no server needed).</summary>
public class DataSourcesTests
{
    [Fact]
    public async Task One_host_gives_one_data_source_for_writes_and_reads()
    {
        var (primary, reads) = EcoDatabase.CreateDataSources("Host=127.0.0.1;Port=5432;Username=postgres;Database=ecospatial");
        await using var _ = primary;
        Assert.Same(primary, reads.Source);
    }

    [Fact]
    public async Task Several_hosts_give_two_views_of_one_host_list()
    {
        var (primary, reads) = EcoDatabase.CreateDataSources("Host=127.0.0.1:5432,127.0.0.1:5433;Username=postgres;Database=ecospatial");
        await using var _ = primary;
        Assert.NotSame(primary, reads.Source);
        Assert.Contains("127.0.0.1:5433", primary.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:5433", reads.Source.ConnectionString, StringComparison.Ordinal);
        // Which server each one reaches is what the replica test proves on a real primary and standby.
    }
}
