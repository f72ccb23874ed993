using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;

namespace EcoSpatial.SpatialApi.Tests.Ogc;

/// <summary>OGC API Features Part 1 and 2 behaviours of <c>/ogc</c>, checked against what PostGIS holds.</summary>
[Collection(nameof(EcoApiCollection))]
public class OgcApiTests(MapServer server) : IClassFixture<MapServer>
{
    private const string Epsg = "http://www.opengis.net/def/crs/EPSG/0/";

    private StoredVersion Landuse(string asOf) => server.Versions.Single(v => v.Layer == "landuse" && v.AsOf == asOf);

    [Fact]
    public async Task Landing_page_and_conformance_carry_the_links_and_exact_uris_clients_need()
    {
        using var client = server.Client();
        var landing = await client.GetFromJsonAsync<JsonElement>("/ogc");
        var conformance = await client.GetFromJsonAsync<JsonElement>("/ogc/conformance");

        var rels = landing.GetProperty("links").EnumerateArray().ToDictionary(l => l.GetProperty("rel").GetString()!, l => l.GetProperty("type").GetString());
        Assert.Equal("application/vnd.oai.openapi+json;version=3.0", rels["service-desc"]);
        Assert.Equal("text/html", rels["service-doc"]);
        Assert.Equal("application/json", rels["conformance"]);
        Assert.Equal("application/json", rels["data"]);
        var classes = conformance.GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.StartsWith("3.0", openApi.GetProperty("openapi").GetString());
    }

    [Fact]
    public async Task Collections_describe_extents_crs_versions_and_typed_items_links()
    {
        using var client = server.Client();
        var collections = await client.GetFromJsonAsync<JsonElement>("/ogc/collections");

        var all = collections.GetProperty("collections").EnumerateArray().ToList();
        Assert.Equal(["redlines", "reserves", "water-source-zones", "landuse", "admin-units"], all.Select(c => c.GetProperty("id").GetString()));
        var landuse = all.Single(c => c.GetProperty("id").GetString() == "landuse");
        var bbox = landuse.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(n => n.GetDouble()).ToArray();
        Assert.Equal([MapServer.Lon0, MapServer.Lat0, MapServer.Lon0 + (49 * MapServer.Cell) + MapServer.Parcel, MapServer.Lat0 + (29 * MapServer.Cell) + MapServer.Parcel], bbox, new Near(1e-9));
        var interval = landuse.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0];
        Assert.Equal("2019-12-31T00:00:00Z", interval[0].GetString());
        Assert.Equal("2020-12-31T00:00:00Z", interval[1].GetString());
        Assert.Equal(Epsg + "4490", landuse.GetProperty("storageCrs").GetString());
        var crs = landuse.GetProperty("crs").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/def/crs/OGC/1.3/CRS84", crs);
        Assert.Contains(Epsg + "4547", crs);
        var items = landuse.GetProperty("links").EnumerateArray().Where(l => l.GetProperty("rel").GetString() == "items").ToList();
        Assert.Contains(items, l => l.GetProperty("type").GetString() == "application/geo+json");
        Assert.Contains(items, l => l.GetProperty("type").GetString() == "text/html");
        Assert.Equal(2, landuse.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task Paging_by_next_links_returns_every_feature_of_the_current_version_once()
    {
        using var client = server.Client();
        var current = Landuse("2020-12-31");
        var ids = new List<long>();
        string? next = "/ogc/collections/landuse/items?limit=400";
        var pages = 0;
        while (next is not null)
        {
            var response = await client.GetAsync(next);
            Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(current.FeatureCount, page.GetProperty("numberMatched").GetInt32());
            var features = page.GetProperty("features").EnumerateArray().ToList();
            Assert.Equal(features.Count, page.GetProperty("numberReturned").GetInt32());
            ids.AddRange(features.Select(f => f.GetProperty("id").GetInt64()));
            next = page.GetProperty("links").EnumerateArray()
                .FirstOrDefault(l => l.GetProperty("rel").GetString() == "next" && l.GetProperty("type").GetString() == "application/geo+json")
                is { ValueKind: JsonValueKind.Object } link ? link.GetProperty("href").GetString() : null;
            pages++;
        }

        Assert.Equal(4, pages);
        Assert.Equal(current.FeatureCount, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(current.FeatureCount, await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM landuse WHERE version_id = $1 AND id = ANY($2)", current.Id, ids.ToArray()));
    }

    [Fact]
    public async Task Limit_defaults_to_10_and_is_clamped_to_10000_and_offset_skips()
    {
        using var client = server.Client();
        var first = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/landuse/items");
        var huge = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/landuse/items?limit=50000");
        var skipped = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/landuse/items?limit=5&offset=5");

        Assert.Equal(10, first.GetProperty("numberReturned").GetInt32());
        Assert.Equal(Landuse("2020-12-31").FeatureCount, huge.GetProperty("numberReturned").GetInt32());
        Assert.DoesNotContain(huge.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "next");
        Assert.Equal(first.GetProperty("features")[5].GetProperty("id").GetInt64(), skipped.GetProperty("features")[0].GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=ten")]
    [InlineData("offset=-1")]
    [InlineData("colour=red")]
    [InlineData("bbox=1,2,3")]
    [InlineData("bbox=114,31,113,30")]
    [InlineData("crs=EPSG:4490")]
    [InlineData("crs=http://www.opengis.net/def/crs/EPSG/0/4214")]
    [InlineData("datetime=2020-13-45")]
    [InlineData("datetime=2021-01-01/2020-01-01")]
    [InlineData("properties=nope")]
    [InlineData("TBMJ=big")]
    [InlineData("version=1&datetime=2020-12-31")]
    [InlineData("f=xml")]
    public async Task Bad_or_unknown_parameters_are_400_problems(string query)
    {
        using var client = server.Client();
        var response = await client.GetAsync($"/ogc/collections/landuse/items?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Bbox_and_attribute_filters_match_PostGIS_and_omit_numberMatched()
    {
        using var client = server.Client();
        var current = Landuse("2020-12-31");
        var bbox = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/landuse/items?limit=10000&bbox=113.61,30.61,113.63,30.62");
        var byCode = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/landuse/items?limit=10000&DLBM=0301");
        var byColumn = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/landuse/items?limit=10000&class_code=0301&bbox=113.61,30.61,113.63,30.62");

        Assert.Equal(await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM landuse WHERE version_id = $1 AND ST_Intersects(geom, ST_MakeEnvelope(113.61, 30.61, 113.63, 30.62, 4490))", current.Id),
            bbox.GetProperty("numberReturned").GetInt32());
        Assert.Equal(await server.Database.ScalarAsync<long>(
            "SELECT count(*) FROM landuse WHERE version_id = $1 AND class_code = '0301'", current.Id), byCode.GetProperty("numberReturned").GetInt32());
        Assert.All(byCode.GetProperty("features").EnumerateArray(), f => Assert.Equal("0301", f.GetProperty("properties").GetProperty("class_code").GetString()));
        Assert.InRange(byColumn.GetProperty("numberReturned").GetInt32(), 1, bbox.GetProperty("numberReturned").GetInt32() - 1);
        Assert.False(bbox.TryGetProperty("numberMatched", out _));
    }

    [Fact]
    public async Task Crs_parameter_transforms_and_honours_the_authority_axis_order_with_a_Content_Crs_header()
    {
        using var client = server.Client();
        async Task<(double[] First, string? Crs)> FirstVertex(string query)
        {
            var response = await client.GetAsync($"/ogc/collections/landuse/items?limit=1&{query}");
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            var vertex = page.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates")[0][0][0];
            return ([vertex[0].GetDouble(), vertex[1].GetDouble()], response.Headers.GetValues("Content-Crs").Single());
        }

        var crs84 = await FirstVertex("");
        var cgcs2000 = await FirstVertex($"crs={Epsg}4490");
        var mercator = await FirstVertex($"crs={Epsg}3857");
        var gaussKruger = await FirstVertex($"crs={Epsg}4547"); // CGCS2000 3-degree GK, CM 114°E: northing, easting

        Assert.Equal("<http://www.opengis.net/def/crs/OGC/1.3/CRS84>", crs84.Crs);
        Assert.Equal([MapServer.Lon0, MapServer.Lat0], crs84.First);
        Assert.Equal($"<{Epsg}4490>", cgcs2000.Crs);
        Assert.Equal([MapServer.Lat0, MapServer.Lon0], cgcs2000.First);
        Assert.Equal(6_378_137 * MapServer.Lon0 * Math.PI / 180, mercator.First[0], 0.001);
        Assert.InRange(gaussKruger.First[0], 3_380_000, 3_400_000);
        Assert.InRange(gaussKruger.First[1], 500_000 - 40_000, 500_000 - 35_000);
        var inGk = await client.GetFromJsonAsync<JsonElement>(FormattableString.Invariant(
            $"/ogc/collections/landuse/items?limit=10&bbox={gaussKruger.First[0] - 1},{gaussKruger.First[1] - 1},{gaussKruger.First[0] + 1},{gaussKruger.First[1] + 1}&bbox-crs={Epsg}4547"));
        Assert.Equal(1, inGk.GetProperty("numberReturned").GetInt32());
    }

    [Fact]
    public async Task Datetime_selects_the_version_in_force_and_version_pins_one()
    {
        using var client = server.Client();
        async Task<int> Matched(string query) =>
            (await client.GetFromJsonAsync<JsonElement>($"/ogc/collections/landuse/items?{query}")).GetProperty("numberMatched").GetInt32();

        Assert.Equal(Landuse("2019-12-31").FeatureCount, await Matched("datetime=2020-06-30"));
        Assert.Equal(Landuse("2019-12-31").FeatureCount, await Matched("datetime=2020-06-30T12:00:00Z"));
        Assert.Equal(Landuse("2019-12-31").FeatureCount, await Matched("datetime=../2020-12-30"));
        Assert.Equal(Landuse("2020-12-31").FeatureCount, await Matched("datetime=2019-01-01/.."));
        Assert.Equal(Landuse("2020-12-31").FeatureCount, await Matched("datetime=2020-12-31"));
        Assert.Equal(0, await Matched("datetime=2001-01-01"));
        Assert.Equal(Landuse("2019-12-31").FeatureCount, await Matched($"version={Landuse("2019-12-31").Id}"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/ogc/collections/landuse/items?version=999999")).StatusCode);
    }

    [Fact]
    public async Task Properties_selects_the_returned_attributes()
    {
        using var client = server.Client();
        var page = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/landuse/items?limit=1&properties=class_code,area_m2");

        var properties = page.GetProperty("features")[0].GetProperty("properties");
        Assert.Equal(["class_code", "area_m2"], properties.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task One_feature_by_id_with_links_and_404_for_unknown_ids()
    {
        using var client = server.Client();
        var id = await server.Database.ScalarAsync<long>("SELECT min(id) FROM reserves");

        var feature = await client.GetFromJsonAsync<JsonElement>($"/ogc/collections/reserves/items/{id}");
        var unknown = await client.GetAsync("/ogc/collections/reserves/items/999999999");
        var notANumber = await client.GetAsync("/ogc/collections/reserves/items/abc");

        Assert.Equal(id, feature.GetProperty("id").GetInt64());
        Assert.Equal("核心保护区", feature.GetProperty("properties").GetProperty("zone").GetString());
        Assert.Contains(feature.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "collection");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notANumber.StatusCode);
    }

    [Fact]
    public async Task Browsers_get_html()
    {
        using var client = server.Client();
        client.DefaultRequestHeaders.Add("Accept", "text/html,application/xhtml+xml");

        foreach (var path in new[] { "/ogc", "/ogc/collections", "/ogc/collections/landuse", "/ogc/collections/landuse/items?limit=3" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("</html>", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Exterior_rings_are_counter_clockwise()
    {
        using var client = server.Client();
        var page = await client.GetFromJsonAsync<JsonElement>("/ogc/collections/admin-units/items");

        var ring = page.GetProperty("features")[0].GetProperty("geometry").GetProperty("coordinates")[0][0].EnumerateArray()
            .Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
        var twiceArea = ring.Zip(ring.Skip(1)).Sum(s => (s.First.X * s.Second.Y) - (s.Second.X * s.First.Y));
        Assert.True(twiceArea > 0);
    }

    private sealed class Near(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
