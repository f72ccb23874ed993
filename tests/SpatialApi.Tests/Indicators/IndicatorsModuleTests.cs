using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Indicators;

/// <summary>
/// A small town pair imported through the API; every indicator is compared with a hand-written PostGIS query for
/// the same figure (parity to 1e-9 relative), and the verdicts with what the data were built to show.
/// </summary>
/// <remarks>
/// Town A (平原) is 113.0–113.1°E, town B (丘陵) 113.1–113.2°E, both 30.0–30.1°N, each cut into four 0.05° parcels.
/// 2021: A = 0301 forest (SW), 0101 paddy (SE), 0101 (NW), 0702 homestead (NE); B = 0301, 0301, 0404 grass, 0601 industry.
/// 2023: A's SE paddy became 0701 urban housing. The red line covers A's SW forest and the west half of the SE
/// parcel in 2021; in 2023 it loses a 0.005° strip at its east edge, with no approval. A water-source level-1 zone
/// covers B's NE industrial parcel's south-west quarter.
/// </remarks>
[Collection(nameof(IndicatorsCollection))]
public class IndicatorsModuleTests(EcoApi api) : IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static bool imported;

    private static string Cell(double lon, double lat, double size = 0.05) => Square(lon, lat, size);

    private static string Rect(double w, double s, double e, double n) => FormattableString.Invariant(
        $"[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]");

    private static string Parcel(string bsm, string code, string town, double lon, double lat) =>
        Feature($$"""{"BSM":"{{bsm}}","DLBM":"{{code}}","ZLDWDM":"{{town}}"}""", Cell(lon, lat));

    private static string Landuse(string aSouthEast) => Collection(
        Parcel("A1", "0301", "420984001", 113.00, 30.00), Parcel("A2", aSouthEast, "420984001", 113.05, 30.00),
        Parcel("A3", "0101", "420984001", 113.00, 30.05), Parcel("A4", "0702", "420984001", 113.05, 30.05),
        Parcel("B1", "0301", "420984002", 113.10, 30.00), Parcel("B2", "0301", "420984002", 113.15, 30.00),
        Parcel("B3", "0404", "420984002", 113.10, 30.05), Parcel("B4", "0601", "420984002", 113.15, 30.05));

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (imported)
            {
                return;
            }

            var editor = api.CreateEditor();
            async Task Import(string layer, string json, string asOf, string? approval = null) =>
                (await editor.PostAsync($"/api/layers/{layer}/versions", Upload(json, asOf, approval: approval))).EnsureSuccessStatusCode();

            await Import("admin-units", Collection(
                Feature("""{"XZQDM":"420984001","XZQMC":"甲镇","DXLB":"平原"}""", Rect(113.0, 30.0, 113.1, 30.1)),
                Feature("""{"XZQDM":"420984002","XZQMC":"乙镇","DXLB":"丘陵"}""", Rect(113.1, 30.0, 113.2, 30.1))), "2000-01-01");
            await Import("landuse", Landuse("0101"), "2021-12-31");
            await Import("landuse", Landuse("0701"), "2023-12-31");
            await Import("redlines", Collection(Feature("""{"HXBH":"HX-1","HXMC":"甲镇林地"}""", Rect(113.0, 30.0, 113.075, 30.05))), "2021-12-31", "批复 2021");
            await Import("redlines", Collection(Feature("""{"HXBH":"HX-1","HXMC":"甲镇林地"}""", Rect(113.0, 30.0, 113.07, 30.05))), "2023-12-31");
            await Import("water-source-zones", Collection(Feature("""{"SYDMC":"乙镇水厂","BHQJB":"一级"}""", Rect(113.15, 30.05, 113.175, 30.075))), "2021-12-31");
            imported = true;
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonElement> Indicator(string query)
    {
        var response = await api.CreateClient().GetAsync($"/api/indicators/{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<double> Sql(string sql) => api.Database.ScalarAsync<double>(sql);

    private static void Close(double expected, double actual) =>
        Assert.InRange(Math.Abs(actual - expected), 0, Math.Max(1e-6, Math.Abs(expected) * 1e-9));

    [Fact]
    public async Task Catalogue_lists_every_indicator_with_its_table_number()
    {
        var catalogue = await api.CreateClient().GetFromJsonAsync<JsonElement>("/api/indicators");

        var ids = catalogue.EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Contains("redline-area-change", ids);
        Assert.Contains("forest-grass-coverage", ids);
        Assert.All(catalogue.EnumerateArray(), i => Assert.False(string.IsNullOrEmpty(i.GetProperty("formula").GetString())));
    }

    [Fact]
    public async Task Redline_loss_without_approval_fails_and_matches_PostGIS()
    {
        var result = await Indicator("redline-area-change");
        var details = result.GetProperty("details");

        var lost = await Sql("""
            SELECT ST_Area(ST_Difference(a.geom, b.geom)::geography)
            FROM redlines a JOIN layer_versions va ON va.id = a.version_id AND va.as_of = '2021-12-31'
                 CROSS JOIN redlines b JOIN layer_versions vb ON vb.id = b.version_id AND vb.as_of = '2023-12-31'
            """);
        var before = await Sql("SELECT ST_Area(r.geom::geography) FROM redlines r JOIN layer_versions v ON v.id = r.version_id WHERE v.as_of = '2021-12-31'");
        var after = await Sql("SELECT ST_Area(r.geom::geography) FROM redlines r JOIN layer_versions v ON v.id = r.version_id WHERE v.as_of = '2023-12-31'");
        Assert.Equal("fail", result.GetProperty("status").GetString());
        Close(lost, details.GetProperty("lostM2").GetDouble());
        Close(before, details.GetProperty("areaFromM2").GetDouble());
        // net is area(to) − area(from); with geodesic edges it differs from −lost by ~1e-7 where an edge was split
        Close(after - before, result.GetProperty("value").GetDouble());
        Assert.InRange(-result.GetProperty("value").GetDouble() / lost, 1 - 1e-6, 1 + 1e-6);
        Assert.Equal(0, details.GetProperty("gainedM2").GetDouble());
        Assert.True(details.GetProperty("unapprovedLoss").GetBoolean());
        Assert.Equal(["redlines", "redlines", "admin-units"], result.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("layer").GetString()));
    }

    [Fact]
    public async Task Redline_area_unchanged_between_identical_dates_passes()
    {
        var result = await Indicator("redline-area-change?from=2021-12-31&to=2022-06-30");

        Assert.Equal("pass", result.GetProperty("status").GetString());
        Assert.Equal(0, result.GetProperty("details").GetProperty("lostM2").GetDouble());
    }

    [Fact]
    public async Task Coverage_per_town_matches_PostGIS_and_targets_follow_terrain()
    {
        var result = await Indicator("forest-grass-coverage?asOf=2023-12-31");
        var towns = result.GetProperty("breakdown").EnumerateArray().ToDictionary(t => t.GetProperty("code").GetString()!);

        foreach (var code in new[] { "420984001", "420984002" })
        {
            var expected = await Sql($"""
                SELECT sum(ST_Area(ST_Intersection(l.geom, a.geom)::geography)) / (SELECT ST_Area(a2.geom::geography) FROM admin_units a2 WHERE a2.code = '{code}')
                FROM landuse l JOIN layer_versions v ON v.id = l.version_id AND v.as_of = '2023-12-31', admin_units a
                WHERE a.code = '{code}' AND l.class_code IN ('0301','0302','0305','0307','0401','0403','0404')
                  AND ST_Intersects(l.geom, a.geom)
                """);
            Close(expected, towns[code].GetProperty("rate").GetDouble());
        }

        Assert.Equal("pass", towns["420984001"].GetProperty("status").GetString());   // 25 % ≥ 18 % (平原)
        Assert.Equal(18, towns["420984001"].GetProperty("targetPercent").GetDouble());
        Assert.Equal("pass", towns["420984002"].GetProperty("status").GetString());   // 75 % ≥ 40 % (丘陵)
        Assert.Equal("%", result.GetProperty("unit").GetString());
    }

    [Fact]
    public async Task Coverage_of_one_town_alone()
    {
        var result = await Indicator("forest-grass-coverage?asOf=2023-12-31&region=420984002");

        Assert.Single(result.GetProperty("breakdown").EnumerateArray());
        Assert.InRange(result.GetProperty("value").GetDouble(), 74.9, 75.1);
    }

    [Fact]
    public async Task Natural_land_share_in_the_red_lines_matches_PostGIS()
    {
        var result = await Indicator("natural-land-share?asOf=2023-12-31&from=2021-12-31");

        var expected = await Sql("""
            SELECT sum(ST_Area(ST_Intersection(l.geom, r.geom)::geography)) / max(ST_Area(r.geom::geography))
            FROM landuse l JOIN layer_versions vl ON vl.id = l.version_id AND vl.as_of = '2023-12-31',
                 redlines r JOIN layer_versions vr ON vr.id = r.version_id AND vr.as_of = '2023-12-31'
            WHERE ST_Intersects(l.geom, r.geom) AND l.class_code LIKE '03%'
            """);
        Close(expected, result.GetProperty("details").GetProperty("rate").GetDouble());
        // the SE paddy strip that left the red line was not natural, so the natural share rose
        Assert.Equal("pass", result.GetProperty("status").GetString());
        var byDefault = await Indicator("natural-land-share?asOf=2023-12-31"); // baseline: the oldest land use
        Assert.Equal(result.GetProperty("details").GetProperty("baselineRate").GetDouble(), byDefault.GetProperty("details").GetProperty("baselineRate").GetDouble());
    }

    [Fact]
    public async Task Encroachment_finds_new_housing_in_the_red_line_and_industry_in_the_level_1_zone()
    {
        var result = await Indicator("encroachment?asOf=2023-12-31&since=2021-12-31");
        var pieces = result.GetProperty("details").GetProperty("pieces").EnumerateArray().ToList();

        var housing = Assert.Single(pieces, p => p.GetProperty("parcelCode").GetString() == "A2");
        Assert.Equal("redline", housing.GetProperty("zoneKind").GetString());
        Assert.True(housing.GetProperty("isNew").GetBoolean());
        Assert.Equal("prohibited", housing.GetProperty("severity").GetString());
        var industry = Assert.Single(pieces, p => p.GetProperty("parcelCode").GetString() == "B4");
        Assert.Equal("water-level1", industry.GetProperty("zoneKind").GetString());
        Assert.False(industry.GetProperty("isNew").GetBoolean());
        Assert.Equal("fail", result.GetProperty("status").GetString());

        var expected = await Sql("""
            SELECT ST_Area(ST_Intersection(l.geom, r.geom)::geography)
            FROM landuse l JOIN layer_versions vl ON vl.id = l.version_id AND vl.as_of = '2023-12-31',
                 redlines r JOIN layer_versions vr ON vr.id = r.version_id AND vr.as_of = '2023-12-31'
            WHERE l.parcel_code = 'A2'
            """);
        Close(expected, housing.GetProperty("overlapM2").GetDouble());
    }

    [Fact]
    public async Task Encroachment_geojson_draws_the_pieces()
    {
        var response = await api.CreateClient().GetAsync("/api/encroachments?asOf=2023-12-31&since=2021-12-31&zone=redline");
        var collection = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var feature = Assert.Single(collection.GetProperty("features").EnumerateArray());
        Assert.Equal("A2", feature.GetProperty("properties").GetProperty("parcelCode").GetString());
        Assert.Equal("Polygon", feature.GetProperty("geometry").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Changes_geojson_has_the_lost_strip()
    {
        var collection = await api.CreateClient().GetFromJsonAsync<JsonElement>("/api/changes/redlines?from=2021-12-31&to=2023-12-31");

        var lost = Assert.Single(collection.GetProperty("features").EnumerateArray());
        Assert.Equal("lost", lost.GetProperty("properties").GetProperty("change").GetString());
        var xs = lost.GetProperty("geometry").GetProperty("coordinates")[0].EnumerateArray().Select(c => c[0].GetDouble()).ToList();
        Assert.Equal(113.07, xs.Min(), 9);
        Assert.Equal(113.075, xs.Max(), 9);
    }

    [Fact]
    public async Task Habitat_quality_of_town_B_follows_HJ_192_weights_on_PostGIS_areas()
    {
        var result = await Indicator("habitat-quality?asOf=2023-12-31&region=420984002");

        string Area(string bsm) => $"(SELECT ST_Area(l.geom::geography) FROM landuse l JOIN layer_versions v ON v.id = l.version_id AND v.as_of = '2023-12-31' WHERE l.parcel_code = '{bsm}')";
        var expected = await Sql($"""
            SELECT 511.2642131067 * (0.35 * 0.60 * ({Area("B1")} + {Area("B2")}) + 0.21 * 0.30 * {Area("B3")} + 0.04 * 0.30 * {Area("B4")})
                   / (SELECT ST_Area(geom::geography) FROM admin_units WHERE code = '420984002')
            """);
        Close(expected, result.GetProperty("value").GetDouble());
        Assert.Equal("not-applicable", result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Construction_land_per_GDP_uses_entered_GDP_and_PostGIS_construction_areas()
    {
        var editor = api.CreateEditor();
        (await editor.PutAsJsonAsync("/api/statistics/gdp/420984001/2021", new { gdp10kYuan = 9_000.0, priceBase = "2020" })).EnsureSuccessStatusCode();
        (await editor.PutAsJsonAsync("/api/statistics/gdp/420984001/2023", new { gdp10kYuan = 1.0, priceBase = "2020" })).EnsureSuccessStatusCode(); // a typo…
        (await editor.PutAsJsonAsync("/api/statistics/gdp/420984001/2023", new { gdp10kYuan = 12_000.0, priceBase = "2020" })).EnsureSuccessStatusCode(); // …corrected

        var result = await Indicator("construction-land-per-gdp?region=420984001&from=2021&to=2023");

        string Construction(string asOf) => $"""
            (SELECT sum(ST_Area(l.geom::geography)) FROM landuse l JOIN layer_versions v ON v.id = l.version_id AND v.as_of = '{asOf}'
             WHERE l.admin_code = '420984001' AND l.class_code IN ('0701', '0702'))
            """;
        var ratio = await Sql($"SELECT ({Construction("2023-12-31")} / 12000.0) / ({Construction("2021-12-31")} / 9000.0)");
        Close(100 * (1 - Math.Sqrt(ratio)), result.GetProperty("value").GetDouble());
        Assert.Equal(12_000, result.GetProperty("details").GetProperty("gdpTo10kYuan").GetDouble());
        Assert.Equal("fail", result.GetProperty("status").GetString()); // housing doubled while GDP grew a third
        var anonymous = await api.CreateClient().PutAsJsonAsync("/api/statistics/gdp/420984001/2022", new { gdp10kYuan = 10_000.0 });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData(113.01, 30.01, 0, "prohibited", "redlines")]          // inside the red line
    [InlineData(113.16, 30.06, 0, "prohibited", "water-source-zones")] // inside the level-1 zone
    [InlineData(113.12, 30.08, 0, "clear", null)]                   // B's grass, no zone
    [InlineData(113.0715, 30.02, 200, "prohibited", "redlines")]    // 144 m outside, but the 200 m buffer reaches the red line
    public async Task Screening_names_the_zones_a_site_touches(double lon, double lat, double bufferM, string verdict, string? layer)
    {
        var body = FormattableString.Invariant($$"""{"geometry":{"type":"Polygon","coordinates":{{Square(lon, lat, 0.002)}}},"bufferM":{{bufferM}}}""");
        var response = await api.CreateClient().PostAsync("/api/screening", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(verdict, result.GetProperty("verdict").GetString());
        var findings = result.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(layer, findings.Select(f => f.GetProperty("hit").GetProperty("layer").GetString()).SingleOrDefault());
        var site = await api.Database.ScalarAsync<double>(FormattableString.Invariant(
            $"SELECT ST_Area(ST_Buffer(ST_GeomFromGeoJSON('{{\"type\":\"Polygon\",\"coordinates\":{Square(lon, lat, 0.002)}}}')::geography, {bufferM})) "));
        Assert.InRange(result.GetProperty("siteAreaM2").GetDouble(), site * 0.999, site * 1.001);
    }

    [Theory]
    [InlineData("""{"geometry":{"type":"LineString","coordinates":[[113,30],[113.1,30.1]]}}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"bufferM":10}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"geometry":{"type":"Point","coordinates":[113,30]},"bufferM":-5}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"geometry":{"type":"Point","coordinates":[500000,3400000]},"bufferM":5}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""not json""", HttpStatusCode.BadRequest)]
    public async Task Bad_screening_requests_are_problems(string body, HttpStatusCode status)
    {
        var response = await api.CreateClient().PostAsync("/api/screening", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("no-such-indicator", HttpStatusCode.NotFound)]
    [InlineData("forest-grass-coverage?asOf=yesterday", HttpStatusCode.BadRequest)]
    [InlineData("forest-grass-coverage?region=99", HttpStatusCode.NotFound)]
    [InlineData("redline-area-change?from=abc", HttpStatusCode.BadRequest)]
    public async Task Bad_queries_are_problems(string query, HttpStatusCode status)
    {
        var response = await api.CreateClient().GetAsync($"/api/indicators/{query}");

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Before_any_land_use_the_answer_is_no_data()
    {
        var result = await Indicator("forest-grass-coverage?asOf=2001-01-01");

        Assert.Equal("no-data", result.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("value").ValueKind);
    }
}

/// <summary>The indicator tests get their own database: their figures must not see other tests' imports.</summary>
[CollectionDefinition(nameof(IndicatorsCollection))]
public sealed class IndicatorsCollection : ICollectionFixture<EcoApi>;
