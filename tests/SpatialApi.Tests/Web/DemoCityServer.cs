using System.Net.Http.Json;
using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EcoSpatial.SpatialApi.Tests.Web;

/// <summary>
/// The service over a fresh database loaded with the demo city, listening on a real loopback port (a browser cannot
/// talk to a TestServer); serves the web front end from src/SpatialApi/wwwroot, which the build fills from web/.
/// </summary>
public sealed class DemoCityServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        BaseAddress = this.StartOnLoopback();
        await WaitForDemoAsync();
    }

    public HttpClient Client() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };

    /// <summary>Waits (bounded) until every version of the demo manifest is stored.</summary>
    private async Task WaitForDemoAsync()
    {
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(EcoSpatial.SpatialCore.Tests.Support.Repo.File("data", "geo", "demo", "manifest.json")));
        var expected = manifest.RootElement.GetArrayLength();
        using var client = Client();
        var deadline = DateTime.UtcNow.AddMinutes(10);
        var stored = 0;
        while (DateTime.UtcNow < deadline)
        {
            var response = await client.GetAsync("/api/layers");
            if (response.IsSuccessStatusCode)
            {
                var layers = await response.Content.ReadFromJsonAsync<JsonElement>();
                stored = layers.EnumerateArray().Sum(l => l.GetProperty("versionCount").GetInt32());
                if (stored >= expected)
                {
                    return;
                }
            }

            await Task.Delay(1000);
        }

        throw new TimeoutException($"The demo city was not loaded within 10 minutes ({stored} of {expected} versions).");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ECO_DB", Database.ConnectionString);
        builder.UseSetting("ECO_LOAD_DEMO", "true");
        builder.UseSetting("ECO_DEMO_DIR", EcoSpatial.SpatialCore.Tests.Support.Repo.File("data", "geo", "demo"));
        builder.UseSetting("ECO_EDITOR_KEY", EcoApi.EditorKey);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}
