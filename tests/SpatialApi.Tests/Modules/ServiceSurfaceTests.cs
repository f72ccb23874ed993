using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;

namespace EcoSpatial.SpatialApi.Tests.Modules;

[Collection(nameof(EcoApiCollection))]
public class ServiceSurfaceTests(EcoApi api)
{
    [Fact]
    public async Task Health_reports_live_and_ready_with_migrations_applied()
    {
        var client = api.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("ready", ready.GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_describes_the_layer_routes_and_docs_are_served()
    {
        var client = api.CreateClient();

        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var docs = await client.GetAsync("/docs/index.html");
        var home = await client.GetStringAsync("/");

        Assert.StartsWith("3.", openApi.GetProperty("openapi").GetString());
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/layers/{layer}/versions", out _));
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("/docs", home);
    }
}
