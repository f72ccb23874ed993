using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;
using EcoSpatial.SpatialCore.Tests.Support;

namespace EcoSpatial.SpatialApi.Tests.Import;

/// <summary>
/// The same three land-use parcels as GeoJSON in EPSG:4490, as a zipped Shapefile in Gauss-Kruger zone 38
/// (EPSG:4526) with GBK attributes and no .cpg, and as a GeoPackage: identical feature counts, attributes (地类名称
/// round-trips exactly) and total areas to 1e-9 relative. Uploads go through the HTTP API.
/// </summary>
[Collection(nameof(EcoApiCollection))]
public class FormatEquivalenceTests(EcoApi api)
{
    private static string File(string name) => Repo.File("tests", "corpus", "import", "files", name);

    [Fact]
    public async Task GeoJson_gk_shapefile_with_gbk_and_geopackage_import_identically()
    {
        var ids = new List<long>();
        foreach (var name in new[] { "landuse-4490.geojson", "gk-zone38-gbk-no-cpg.zip", "landuse.gpkg" })
        {
            var response = await Upload(name);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            ids.Add(body.RootElement.GetProperty("id").GetInt64());
        }

        var counts = new List<long>();
        var areas = new List<double>();
        var attributes = new List<string>();
        var names = new List<string>();
        foreach (var id in ids)
        {
            counts.Add(await api.Database.ScalarAsync<long>("SELECT count(*) FROM landuse WHERE version_id = $1", id));
            areas.Add(await api.Database.ScalarAsync<double>("SELECT area_m2 FROM layer_versions WHERE id = $1", id));
            attributes.Add(await api.Database.ScalarAsync<string>(
                "SELECT string_agg(attributes::text, '|' ORDER BY feature_index) FROM landuse WHERE version_id = $1", id));
            names.Add(await api.Database.ScalarAsync<string>(
                "SELECT string_agg(class_name || ':' || class_code, ',' ORDER BY feature_index) FROM landuse WHERE version_id = $1", id));
        }

        Assert.All(counts, c => Assert.Equal(3, c));
        Assert.All(attributes, a => Assert.Equal(attributes[0], a));
        Assert.All(names, n => Assert.Equal("水田:0101,乔木林地:0301,养殖坑塘:1104A", n));
        Assert.All(areas, a => Assert.Equal(1, a / areas[0], 1e-9));
    }

    [Fact]
    public async Task A_refused_upload_is_a_problem_and_stores_nothing()
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions");

        var response = await Upload("zip-bomb.zip");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.EndsWith("/malformed-input", problem.RootElement.GetProperty("type").GetString());
        Assert.Contains("zip bomb", problem.RootElement.GetProperty("detail").GetString());
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions"));
    }

    [Fact]
    public async Task Upload_options_crs_and_member_are_honoured()
    {
        var response = await Upload("two-shapefiles.zip", ("member", "other/ZD"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        var gcj = await Upload("gcj02-web-map.geojson", ("crs", "GCJ02"));
        Assert.Equal(HttpStatusCode.Created, gcj.StatusCode);
        Assert.Contains("GCJ02", await gcj.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> Upload(string name, params (string Key, string Value)[] fields)
    {
        using var client = api.CreateEditor();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(await System.IO.File.ReadAllBytesAsync(File(name)));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        form.Add(new StringContent("2021-12-31"), "asOf");
        foreach (var (key, value) in fields)
        {
            form.Add(new StringContent(value), key);
        }

        return await client.PostAsync("/api/layers/landuse/versions", form);
    }
}
