using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Modules;

[Collection(nameof(EcoApiCollection))]
public class LayersModuleTests(EcoApi api)
{
    private static readonly string TwoReserves = Collection(
        Feature("""{"BHDMC":"测试保护区","BHDLX":"自然保护区","GNFQ":"核心保护区","JB":"省级"}""", Square(113.70, 30.70, 0.02)),
        Feature("""{"bhdmc":"测试保护区","gnfq":"一般控制区"}""", Square(113.72, 30.70, 0.03)));

    [Fact]
    public async Task Import_creates_a_version_whose_figures_PostGIS_confirms()
    {
        var response = await api.CreateEditor().PostAsync("/api/layers/reserves/versions",
            Upload(TwoReserves, "2022-06-30", label: "reserves test", approval: "示例批复 1号"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var version = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = version.GetProperty("id").GetInt64();
        Assert.Equal($"/api/layers/reserves/versions/{id}", response.Headers.Location?.ToString());
        Assert.Equal("reserves", version.GetProperty("layer").GetString());
        Assert.Equal("reserves test", version.GetProperty("label").GetString());
        Assert.Equal("2022-06-30", version.GetProperty("asOf").GetString());
        Assert.Equal("示例批复 1号", version.GetProperty("approvalRef").GetString());
        Assert.Equal(2, version.GetProperty("featureCount").GetInt32());
        Assert.Equal(64, version.GetProperty("sourceSha256").GetString()!.Length);
        Assert.Equal(2, version.GetProperty("report").GetProperty("featuresImported").GetInt32());

        var postgisArea = await api.Database.ScalarAsync<double>(
            "SELECT sum(ST_Area(geom::geography)) FROM reserves WHERE version_id = $1", id);
        Assert.Equal(postgisArea, version.GetProperty("areaM2").GetDouble(), postgisArea * 1e-9);
        Assert.Equal("核心保护区", await api.Database.ScalarAsync<string>(
            "SELECT zone FROM reserves WHERE version_id = $1 AND feature_index = 0", id));
        Assert.Equal("一般控制区", await api.Database.ScalarAsync<string>(
            "SELECT zone FROM reserves WHERE version_id = $1 AND feature_index = 1", id));

        var read = await api.CreateClient().GetFromJsonAsync<JsonElement>($"/api/layers/reserves/versions/{id}");
        Assert.Equal(version.GetProperty("areaM2").GetDouble(), read.GetProperty("areaM2").GetDouble());
    }

    [Fact]
    public async Task Current_version_is_the_newest_as_of_date_and_old_versions_stay()
    {
        var editor = api.CreateEditor();
        var newer = await editor.PostAsync("/api/layers/admin-units/versions",
            Upload(Collection(Feature("""{"XZQDM":"420984001"}""", Square(113.6, 30.6, 0.1))), "2023-12-31"));
        var older = await editor.PostAsync("/api/layers/admin-units/versions",
            Upload(Collection(Feature("""{"XZQDM":"420984001"}""", Square(113.6, 30.6, 0.2))), "2020-12-31"));
        Assert.Equal(HttpStatusCode.Created, newer.StatusCode);
        Assert.Equal(HttpStatusCode.Created, older.StatusCode);
        var newerId = (await newer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var layers = await api.CreateClient().GetFromJsonAsync<JsonElement>("/api/layers");
        var admin = layers.EnumerateArray().Single(l => l.GetProperty("id").GetString() == "admin-units");
        var versions = await api.CreateClient().GetFromJsonAsync<JsonElement>("/api/layers/admin-units/versions");

        Assert.Equal(5, layers.GetArrayLength());
        Assert.Equal(newerId, admin.GetProperty("current").GetProperty("id").GetInt64());
        Assert.True(admin.GetProperty("versionCount").GetInt32() >= 2);
        Assert.Equal(["2023-12-31", "2020-12-31"], versions.EnumerateArray().Take(2).Select(v => v.GetProperty("asOf").GetString()));
    }

    [Theory]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[", 400, "malformed-input")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[113,30],[114,31]]}}]}", 422, "nothing-to-import")]
    [InlineData("{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:3857\"}},\"features\":[]}", 422, "wrong-crs")]
    public async Task Bad_files_get_a_problem_and_leave_no_version(string body, int status, string problem)
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions");

        var response = await api.CreateEditor().PostAsync("/api/layers/redlines/versions", Upload(body, "2021-12-31"));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var details = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"https://ecospatial.dev/problems/{problem}", details.GetProperty("type").GetString());
        Assert.Equal(before, await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions"));
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM redlines r LEFT JOIN layer_versions v ON v.id = r.version_id WHERE v.id IS NULL"));
        Assert.True(await api.Database.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'import-refused'") > 0);
    }

    [Theory]
    [InlineData("2021-13-40", "invalid-argument", 400)]
    [InlineData("", "invalid-argument", 400)]
    public async Task A_bad_as_of_date_is_a_400(string asOf, string problem, int status)
    {
        var response = await api.CreateEditor().PostAsync("/api/layers/redlines/versions",
            Upload(Collection(Feature("{}", Square(113, 30, 0.1))), asOf));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal($"https://ecospatial.dev/problems/{problem}",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }

    [Fact]
    public async Task Import_without_the_editor_key_is_refused()
    {
        var anonymous = await api.CreateClient().PostAsync("/api/layers/redlines/versions", Upload(TwoReserves, "2021-12-31"));
        var wrong = api.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "guess");
        var guessed = await wrong.PostAsync("/api/layers/redlines/versions", Upload(TwoReserves, "2021-12-31"));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, guessed.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/layers/forests/versions")]
    [InlineData("/api/layers/redlines/versions/999999")]
    public async Task Unknown_layers_and_versions_are_404_problems(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("https://ecospatial.dev/problems/not-found",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
    }
}
