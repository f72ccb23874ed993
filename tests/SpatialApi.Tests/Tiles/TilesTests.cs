using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Modules;
using EcoSpatial.SpatialApi.Tests.Ogc;
using EcoSpatial.SpatialApi.Tests.Support;
using EcoSpatial.SpatialApi.Tiles;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.IO.VectorTiles;
using NetTopologySuite.IO.VectorTiles.Mapbox;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Tiles;

/// <summary>Vector tiles decoded with NetTopologySuite's MVT reader and checked against the layer in PostGIS.</summary>
[Collection(nameof(EcoApiCollection))]
public class TilesTests(MapServer server) : IClassFixture<MapServer>
{
    private const int Z = 14;
    private static readonly (int X, int Y) CityTile = TileMath.TileOf(MapServer.Lon0 + 0.03, MapServer.Lat0 + 0.03, Z);

    private StoredVersion CurrentLanduse => server.Versions.Where(v => v.Layer == "landuse").MaxBy(v => v.AsOf)!;

    private static VectorTile Decode(byte[] mvt, int z, int x, int y)
    {
        using var stream = new MemoryStream(mvt);
        return new MapboxTileReader().Read(stream, new NetTopologySuite.IO.VectorTiles.Tiles.Tile(x, y, z));
    }

    [Fact]
    public async Task A_city_tile_holds_the_parcels_that_meet_it_with_their_attributes()
    {
        using var client = server.Client();
        var (x, y) = CityTile;
        var response = await client.GetAsync($"/tiles/landuse/{Z}/{x}/{y}.mvt");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TilesModule.MvtType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var tile = Decode(await response.Content.ReadAsByteArrayAsync(), Z, x, y);
        var layer = Assert.Single(tile.Layers);
        Assert.Equal("landuse", layer.Name);

        // Inside the tile proper: exactly the parcels PostGIS finds; the 64-unit buffer may add neighbours.
        var inside = await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM landuse WHERE version_id = $1 AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($2, $3, $4), 4490))",
            CurrentLanduse.Id, Z, x, y);
        var withBuffer = await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM landuse WHERE version_id = $1 AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope($2, $3, $4, margin => 64.0 / 4096), 4490))",
            CurrentLanduse.Id, Z, x, y);
        Assert.InRange(layer.Features.Count, inside, withBuffer);
        Assert.True(inside > 50);

        foreach (var feature in layer.Features.Take(20))
        {
            var code = (string)feature.Attributes["parcel_code"];
            var stored = await server.Database.ScalarAsync<string>(
                "SELECT class_code || '|' || ST_AsText(ST_PointOnSurface(geom)) FROM landuse WHERE version_id = $1 AND parcel_code = $2",
                CurrentLanduse.Id, code);
            Assert.Equal(stored.Split('|')[0], feature.Attributes["class_code"]);
            // The decoded polygon (lon/lat, quantised to 1/4096 of the tile, ~2.4 m) sits where the parcel is.
            var centre = feature.Geometry.EnvelopeInternal.Centre;
            var parcelCentre = await server.Database.ScalarAsync<string>(
                "SELECT ST_X(ST_Centroid(geom)) || ' ' || ST_Y(ST_Centroid(geom)) FROM landuse WHERE version_id = $1 AND parcel_code = $2",
                CurrentLanduse.Id, code);
            var xy = parcelCentre.Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            if (feature.Geometry.EnvelopeInternal.Width > MapServer.Parcel * 0.9 && feature.Geometry.EnvelopeInternal.Height > MapServer.Parcel * 0.9)
            {
                Assert.Equal(xy[0], centre.X, 5e-5);
                Assert.Equal(xy[1], centre.Y, 5e-5);
            }
        }
    }

    [Fact]
    public async Task Etag_names_the_version_and_If_None_Match_answers_304()
    {
        using var client = server.Client();
        var (x, y) = CityTile;
        var current = await client.GetAsync($"/tiles/landuse/{Z}/{x}/{y}.mvt");
        var pinned = await client.GetAsync($"/tiles/landuse/{Z}/{x}/{y}.mvt?version={CurrentLanduse.Id}");

        Assert.Equal(current.Headers.ETag, pinned.Headers.ETag);
        Assert.Contains($"v{CurrentLanduse.Id}", current.Headers.ETag!.Tag);
        Assert.Equal(TimeSpan.FromSeconds(60), current.Headers.CacheControl!.MaxAge);
        Assert.Contains("immutable", pinned.Headers.CacheControl!.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, $"/tiles/landuse/{Z}/{x}/{y}.mvt");
        again.Headers.IfNoneMatch.Add(current.Headers.ETag);
        var notModified = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        var older = server.Versions.Where(v => v.Layer == "landuse").MinBy(v => v.AsOf)!;
        using var otherVersion = new HttpRequestMessage(HttpMethod.Get, $"/tiles/landuse/{Z}/{x}/{y}.mvt?version={older.Id}");
        otherVersion.Headers.IfNoneMatch.Add(current.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(otherVersion)).StatusCode);
    }

    [Fact]
    public async Task A_new_version_invalidates_the_cached_tiles_of_its_layer()
    {
        using var client = server.Client();
        var cache = server.Services.GetRequiredService<TileCache>();
        var lon = MapServer.Lon0 + 0.2;
        var (x, y) = TileMath.TileOf(lon + 0.001, MapServer.Lat0 + 0.201, 12);
        await server.ImportAsync("water-source-zones", Collection(
            Feature("""{"SYDMC":"二号水厂","BHQJB":"一级","SYDLX":"湖库型"}""", Square(lon, MapServer.Lat0 + 0.2, 0.005))), "2023-06-30");

        var before = await client.GetAsync($"/tiles/water-source-zones/12/{x}/{y}.mvt");
        var cached = cache.Count;
        var beforeAgain = await client.GetAsync($"/tiles/water-source-zones/12/{x}/{y}.mvt");
        Assert.Equal(cached, cache.Count);
        Assert.Equal(await before.Content.ReadAsByteArrayAsync(), await beforeAgain.Content.ReadAsByteArrayAsync());

        await server.ImportAsync("water-source-zones", Collection(
            Feature("""{"SYDMC":"二号水厂","BHQJB":"二级","SYDLX":"湖库型"}""", Square(lon, MapServer.Lat0 + 0.2, 0.008))), "2024-06-30");
        var after = await client.GetAsync($"/tiles/water-source-zones/12/{x}/{y}.mvt");

        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        var feature = Assert.Single(Decode(await after.Content.ReadAsByteArrayAsync(), 12, x, y).Layers.Single().Features);
        Assert.Equal("二级", feature.Attributes["level"]);
        Assert.Equal(cached, cache.Count); // the old version's tile of this layer went, the new version's came
    }

    [Fact]
    public async Task Low_zooms_drop_sub_pixel_parcels_and_stay_small()
    {
        using var client = server.Client();
        var (x6, y6) = TileMath.TileOf(MapServer.Lon0, MapServer.Lat0, 6);
        var low = await client.GetByteArrayAsync($"/tiles/landuse/6/{x6}/{y6}.mvt?properties=class_code");
        var (x12, y12) = TileMath.TileOf(MapServer.Lon0 + 0.03, MapServer.Lat0 + 0.03, 12);
        var high = await client.GetByteArrayAsync($"/tiles/landuse/12/{x12}/{y12}.mvt?properties=class_code");

        // At z12 one pixel is 38 m: every 200 m parcel that meets the tile is drawn; at z6 (2.4 km) none is.
        var meeting = await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM landuse WHERE version_id = $1 AND ST_Intersects(geom, ST_Transform(ST_TileEnvelope(12, $2, $3), 4490))",
            CurrentLanduse.Id, x12, y12);
        Assert.InRange(Decode(high, 12, x12, y12).Layers.Single().Features.Count, meeting, CurrentLanduse.FeatureCount);
        Assert.True(low.Length < high.Length / 100, $"z6 tile {low.Length} B, z12 tile {high.Length} B");
    }

    [Fact]
    public async Task TileJson_describes_the_version_its_tiles_and_fields()
    {
        using var client = server.Client();
        var tileJson = await client.GetFromJsonAsync<JsonElement>("/tiles/landuse.json");

        Assert.Equal("3.0.0", tileJson.GetProperty("tilejson").GetString());
        var template = tileJson.GetProperty("tiles")[0].GetString()!;
        Assert.EndsWith($"/tiles/landuse/{{z}}/{{x}}/{{y}}.mvt?version={CurrentLanduse.Id}", template);
        var layer = tileJson.GetProperty("vector_layers")[0];
        Assert.Equal("landuse", layer.GetProperty("id").GetString());
        Assert.Equal("String", layer.GetProperty("fields").GetProperty("class_code").GetString());
        Assert.Equal(MapServer.Lon0, tileJson.GetProperty("bounds")[0].GetDouble(), 1e-9);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/tiles/landuse/3/9/1.mvt")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/tiles/landuse/3/1/1.mvt?zoom=3")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/tiles/nowhere.json")).StatusCode);
    }
}
