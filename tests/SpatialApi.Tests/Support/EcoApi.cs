using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EcoSpatial.SpatialApi.Tests.Support;

/// <summary>The service wired to its own fresh PostGIS database, without the demo data.</summary>
public class EcoApi : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string EditorKey = "test-editor-key";

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Whether the service loads the demo city from data/geo/demo at start.</summary>
    protected virtual bool LoadDemo => false;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        _ = Server; // start the host: migrations run now
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ECO_DB", Database.ConnectionString);
        builder.UseSetting("ECO_LOAD_DEMO", LoadDemo ? "true" : "false");
        builder.UseSetting("ECO_DEMO_DIR", EcoSpatial.SpatialCore.Tests.Support.Repo.File("data", "geo", "demo"));
        builder.UseSetting("ECO_EDITOR_KEY", EditorKey);
    }

    /// <summary>A client that sends the editor key.</summary>
    public HttpClient CreateEditor()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", EditorKey);
        return client;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>The service over a fresh database loaded with the demo city, as <c>./eco up</c> does.</summary>
public sealed class DemoCityApi : EcoApi
{
    protected override bool LoadDemo => true;
}

/// <summary>One service and database shared by the integration test classes; they run one after another.</summary>
[CollectionDefinition(nameof(EcoApiCollection))]
public sealed class EcoApiCollection : ICollectionFixture<EcoApi>;
