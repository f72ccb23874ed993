using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Modules;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Tests.Tiles;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Scaling;

/// <summary>
/// The service over a primary and a streaming standby (<c>tests/replica/pair.sh</c>), given both in one Npgsql
/// multi-host <c>ECO_DB</c>: imports go to the primary, OGC items and tiles are read on the standby, and when the
/// primary stops the reads go on while an import fails at once with a problem.
/// </summary>
public class ReplicaTests(ITestOutputHelper output)
{
    /// <summary>The service's connections carry this name, so the servers' <c>pg_stat_activity</c> tells them apart.</summary>
    private const string AppName = "eco-replica-service";

    private const int Z = 16;
    private const double Lon = 113.70, Lat = 30.70, Size = 0.02;

    private static readonly string Redlines = Collection(
        Feature("""{"HXBH":"R-1","HXMC":"测试红线一","HXLX":"生态功能"}""", Square(Lon, Lat, Size)),
        Feature("""{"HXBH":"R-2","HXMC":"测试红线二","HXLX":"生态功能"}""", Square(Lon + Size, Lat, Size)));

    [Fact]
    public async Task Reads_go_to_the_standby_writes_to_the_primary_and_reads_outlive_the_primary()
    {
        var clock = Stopwatch.StartNew();
        await using var pair = await ReplicaPair.StartAsync();
        output.WriteLine($"pair started in {clock.Elapsed.TotalSeconds:F1} s");
        await using var service = new ServiceOver($"{pair.ConnectionString};Application Name={AppName}");
        using var client = service.CreateEditor();

        // The two data sources the service made from one multi-host string reach different servers.
        Assert.Equal((false, pair.PrimaryPort), await ServerOfAsync(service.Services.GetRequiredService<NpgsqlDataSource>()));
        Assert.Equal((true, pair.StandbyPort), await ServerOfAsync(service.Services.GetRequiredService<ReadDataSource>().Source));

        // A write: the import lands on the primary (the standby is read-only), then replicates.
        var imported = await client.PostAsync("/api/layers/redlines/versions", Upload(Redlines, "2024-12-31", label: "replica test"));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var id = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        clock.Restart();
        await WaitForAsync(async () => await pair.ScalarAsync<long>(pair.StandbyPort, "SELECT count(*) FROM redlines WHERE version_id = $1", id) == 2);
        output.WriteLine($"the import was on the standby {clock.Elapsed.TotalMilliseconds:F0} ms after the API answered");

        // Reads: each is seen on the standby as the last statement of one of the service's connections, never on the primary.
        var (x, y) = TileMath.TileOf(Lon + (Size / 2), Lat + (Size / 2), Z);
        await AssertTileAsync(client, $"/tiles/redlines/{Z}/{x}/{y}.mvt", id);
        Assert.True(await RanOnAsync(pair, pair.StandbyPort, "ST_AsMVT"), "the tile query did not run on the standby");
        Assert.False(await RanOnAsync(pair, pair.PrimaryPort, "ST_AsMVT"), "the tile query ran on the primary");

        await AssertItemsAsync(client);
        Assert.True(await RanOnAsync(pair, pair.StandbyPort, "FROM redlines t WHERE t.version_id"), "the items query did not run on the standby");
        Assert.False(await RanOnAsync(pair, pair.PrimaryPort, "FROM redlines t WHERE t.version_id"), "the items query ran on the primary");

        // The primary stops: reads go on (a tile not cached yet, so PostGIS makes it on the standby), and ready stays ready.
        await pair.StopPrimaryAsync();
        Assert.Equal(0L, await pair.ScalarAsync<long>(pair.StandbyPort, "SELECT count(*) FROM pg_stat_replication"));
        await AssertItemsAsync(client);
        var (x2, y2) = TileMath.TileOf(Lon + (Size * 1.5), Lat + (Size / 2), Z);
        Assert.NotEqual((x, y), (x2, y2));
        await AssertTileAsync(client, $"/tiles/redlines/{Z}/{x2}/{y2}.mvt", id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/ogc/collections/redlines/items/{await FirstFeatureIdAsync(client, id)}")).StatusCode);
        var tileJson = await client.GetFromJsonAsync<JsonElement>("/tiles/redlines.json");
        Assert.Equal($"{id}", tileJson.GetProperty("version").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ogc/collections/redlines")).StatusCode);
        // The indicators and screening served over HTTP read the standby too: they answer without the primary.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/indicators/redline-area-change")).StatusCode);
        var site = new { geometry = new { type = "Point", coordinates = new[] { Lon + 0.005, Lat + 0.005 } }, bufferM = 100 };
        var screening = await client.PostAsJsonAsync("/api/screening", site);
        Assert.Equal(HttpStatusCode.OK, screening.StatusCode);
        Assert.Equal("测试红线一", (await screening.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("findings")[0].GetProperty("hit").GetProperty("name").GetString());

        // A write now fails at once, with a problem that says why.
        clock.Restart();
        var refused = await client.PostAsync("/api/layers/redlines/versions", Upload(Redlines, "2025-12-31", label: "no primary"));
        clock.Stop();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://ecospatial.dev/problems/database-unavailable", problem.GetProperty("type").GetString());
        Assert.Contains("primary", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the refused import took {clock.Elapsed}");
        output.WriteLine($"the import without a primary was refused in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(1L, await pair.ScalarAsync<long>(pair.StandbyPort, "SELECT count(*) FROM layer_versions WHERE layer = 'redlines'"));
    }

    private static async Task<(bool InRecovery, int Port)> ServerOfAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT pg_is_in_recovery(), inet_server_port()");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetBoolean(0), reader.GetInt32(1));
    }

    /// <summary>Whether one of the service's connections to the server on <paramref name="port"/> last ran SQL containing <paramref name="text"/>.</summary>
    private static async Task<bool> RanOnAsync(ReplicaPair pair, int port, string text) =>
        await pair.ScalarAsync<long>(port, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND strpos(query, $2) > 0", AppName, text) > 0;

    private static async Task AssertItemsAsync(HttpClient client)
    {
        var response = await client.GetAsync("/ogc/collections/redlines/items?limit=10");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, page.GetProperty("numberReturned").GetInt32());
        Assert.Equal(["R-1", "R-2"], page.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("code").GetString()).Order());
    }

    private static async Task<long> FirstFeatureIdAsync(HttpClient client, long version)
    {
        var page = await client.GetFromJsonAsync<JsonElement>($"/ogc/collections/redlines/items?version={version}&limit=1");
        return page.GetProperty("features")[0].GetProperty("id").GetInt64();
    }

    private static async Task AssertTileAsync(HttpClient client, string path, long version)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TilesModule.MvtType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"\"v{version}.i2\"", response.Headers.ETag?.Tag);
        Assert.NotEmpty(await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "the standby did not replay the import within 15 s");
            await Task.Delay(50);
        }
    }
}
