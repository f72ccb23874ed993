using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Ogc;

/// <summary>A stored version as the import reported it.</summary>
public sealed record StoredVersion(string Layer, long Id, string AsOf, int FeatureCount, double AreaM2);

/// <summary>
/// The service listening on a real loopback port (GDAL cannot talk to a TestServer), over its own PostGIS database
/// holding a small city: two land-use versions (1,200 and 1,500 parcels, so GDAL pages several times) and one or two
/// versions of every other layer.
/// </summary>
public sealed class MapServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>South-west corner and cell size (degrees) of the land-use grid; 9-decimal exact, so GeoJSON loses nothing.</summary>
    public const double Lon0 = 113.6, Lat0 = 30.6, Cell = 0.002, Parcel = 0.0019;

    public TestDatabase Database { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;
    public List<StoredVersion> Versions { get; } = [];

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        BaseAddress = this.StartOnLoopback();

        await ImportAsync("landuse", LandUse(rows: 30, cols: 40, shift: 0), "2019-12-31");
        await ImportAsync("landuse", LandUse(rows: 30, cols: 50, shift: 1), "2020-12-31");
        await ImportAsync("redlines", Collection(
            Feature("""{"HXBH":"HX-01","HXMC":"北部山地红线","HXLX":"水源涵养"}""", Square(Lon0, Lat0, 0.03)),
            Feature("""{"HXBH":"HX-02","HXMC":"东部湿地红线","HXLX":"生物多样性维护"}""", Square(Lon0 + 0.05, Lat0, 0.02))), "2021-06-30");
        await ImportAsync("redlines", Collection(
            Feature("""{"HXBH":"HX-01","HXMC":"北部山地红线","HXLX":"水源涵养"}""", Square(Lon0, Lat0, 0.035))), "2023-06-30");
        await ImportAsync("reserves", Collection(
            Feature("""{"BHDMC":"测试保护区","BHDLX":"自然保护区","GNFQ":"核心保护区","JB":"省级"}""", Square(Lon0 + 0.01, Lat0 + 0.01, 0.01))), "2022-06-30");
        await ImportAsync("water-source-zones", Collection(
            Feature("""{"SYDMC":"一号水厂","BHQJB":"一级","SYDLX":"河流型"}""", Square(Lon0 + 0.02, Lat0 + 0.02, 0.005))), "2022-06-30");
        await ImportAsync("admin-units", Collection(
            Feature("""{"XZQDM":"420984001","XZQMC":"测试镇","JB":"乡镇","DXLB":"平原"}""", Square(Lon0 - 0.01, Lat0 - 0.01, 0.12))), "2020-12-31");
    }

    /// <summary>A client for the real server.</summary>
    public HttpClient Client() => new() { BaseAddress = BaseAddress };

    /// <summary>Imports a GeoJSON document as a new version and remembers it.</summary>
    public async Task<StoredVersion> ImportAsync(string layer, string geoJson, string asOf)
    {
        using var client = Client();
        client.DefaultRequestHeaders.Add("X-Api-Key", EcoApi.EditorKey);
        var response = await client.PostAsync($"/api/layers/{layer}/versions", Upload(geoJson, asOf));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var version = new StoredVersion(layer, body.GetProperty("id").GetInt64(), asOf,
            body.GetProperty("featureCount").GetInt32(), body.GetProperty("areaM2").GetDouble());
        Versions.Add(version);
        return version;
    }

    /// <summary>
    /// A grid of square parcels (rows × cols) with 三调 attributes; <paramref name="shift"/> rotates the class codes so
    /// that versions differ. Classes cycle 0101 (水田), 0301 (乔木林地), 0702 (城镇住宅用地).
    /// </summary>
    public static string LandUse(int rows, int cols, int shift)
    {
        string[] codes = ["0101", "0301", "0702"];
        string[] names = ["水田", "乔木林地", "城镇住宅用地"];
        var features = new List<string>();
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++)
            {
                var k = (r + c + shift) % 3;
                var properties = FormattableString.Invariant(
                    $$"""{"BSM":"{{r * cols + c}}","DLBM":"{{codes[k]}}","DLMC":"{{names[k]}}","ZLDWDM":"420984001","TBMJ":{{3600 + k}}}""");
                features.Add(Feature(properties, Square(Math.Round(Lon0 + (c * Cell), 9), Math.Round(Lat0 + (r * Cell), 9), Parcel)));
            }
        }

        return Collection([.. features]);
    }

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ECO_DB", Database.ConnectionString);
        builder.UseSetting("ECO_LOAD_DEMO", "false");
        builder.UseSetting("ECO_EDITOR_KEY", EcoApi.EditorKey);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
