using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Indicators;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Tests.Support;
using EcoSpatial.SpatialApi.Tests.Tiles;
using EcoSpatial.SpatialApi.Tiles;
using Microsoft.Extensions.DependencyInjection;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Scaling;

/// <summary>
/// Two instances of the service over one database, as behind a proxy: the service keeps no state of its own that
/// could go stale. A version imported through one is served by the other at once, and their tiles agree byte for byte.
/// </summary>
public class TwoInstancesTests
{
    private const int Z = 12;
    private const double Lon = 113.70, Lat = 30.70, Size = 0.01;

    [Fact]
    public async Task A_version_imported_through_one_instance_is_served_by_the_other_with_identical_tiles()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var a = new ServiceOver(database.ConnectionString);
        _ = a.Server; // A starts first and applies the migrations; B finds them applied
        await using var b = new ServiceOver(database.ConnectionString);
        using var editorA = a.CreateEditor();
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        // One host: the indicators served over HTTP and those the checks judge are one instance (one cache), as before.
        Assert.Same(a.Services.GetRequiredService<IndicatorService>(), a.Services.GetRequiredKeyedService<IndicatorService>(ReadDataSource.Key));
        var (x, y) = TileMath.TileOf(Lon + Size, Lat + (Size / 2), Z);
        var tilePath = $"/tiles/redlines/{Z}/{x}/{y}.mvt";

        // Version 1 through A; B serves it and keeps its tile in B's cache.
        var v1 = await ImportAsync(editorA, "2023-12-31", Feature("""{"HXBH":"R-1","HXMC":"一"}""", Square(Lon, Lat, Size)));
        var before = await clientB.GetAsync(tilePath);
        Assert.Equal($"\"v{v1}.i2\"", before.Headers.ETag?.Tag);
        var tileV1 = await before.Content.ReadAsByteArrayAsync();
        Assert.True(b.Services.GetRequiredService<TileCache>().Count > 0);

        // Version 2 (a later as-of date, so the new current version) through A.
        var v2 = await ImportAsync(editorA, "2024-12-31",
            Feature("""{"HXBH":"R-1","HXMC":"一"}""", Square(Lon, Lat, Size)),
            Feature("""{"HXBH":"R-2","HXMC":"二"}""", Square(Lon + Size, Lat, Size)));

        // B serves version 2 on OGC items and TileJSON, without a restart or a cache flush.
        var page = await clientB.GetFromJsonAsync<JsonElement>("/ogc/collections/redlines/items");
        Assert.Equal(2, page.GetProperty("numberMatched").GetInt32());
        Assert.Equal(["R-1", "R-2"], page.GetProperty("features").EnumerateArray()
            .Select(f => f.GetProperty("properties").GetProperty("code").GetString()).Order());
        Assert.Equal($"{v2}", (await clientB.GetFromJsonAsync<JsonElement>("/tiles/redlines.json")).GetProperty("version").GetString());

        // The same tile from both instances: the same version tag and the same bytes, which are not version 1's.
        var fromA = await clientA.GetAsync(tilePath);
        var fromB = await clientB.GetAsync(tilePath);
        Assert.Equal(HttpStatusCode.OK, fromA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal($"\"v{v2}.i2\"", fromA.Headers.ETag?.Tag);
        Assert.Equal(fromA.Headers.ETag, fromB.Headers.ETag);
        var bytesA = await fromA.Content.ReadAsByteArrayAsync();
        var bytesB = await fromB.Content.ReadAsByteArrayAsync();
        Assert.NotEmpty(bytesA);
        Assert.Equal(bytesA, bytesB);
        Assert.NotEqual(tileV1, bytesB);

        // A client still holding B's version-1 tile gets the new one, not a 304; one holding version 2 gets a 304 from either.
        Assert.Equal(HttpStatusCode.OK, (await GetIfNoneMatchAsync(clientB, tilePath, $"\"v{v1}.i2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await GetIfNoneMatchAsync(clientA, tilePath, $"\"v{v2}.i2\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await GetIfNoneMatchAsync(clientB, tilePath, $"\"v{v2}.i2\"")).StatusCode);
    }

    private static async Task<long> ImportAsync(HttpClient editor, string asOf, params string[] features)
    {
        var response = await editor.PostAsync("/api/layers/redlines/versions", Upload(Collection(features), asOf));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    private static Task<HttpResponseMessage> GetIfNoneMatchAsync(HttpClient client, string path, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        return client.SendAsync(request);
    }
}
