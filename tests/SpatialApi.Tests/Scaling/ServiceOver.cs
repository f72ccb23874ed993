using EcoSpatial.SpatialApi.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace EcoSpatial.SpatialApi.Tests.Scaling;

/// <summary>
/// One instance of the service (in process) over a database it does not own: several can share one database, as
/// several instances behind a proxy do. No demo data; writes with <see cref="EcoApi.EditorKey"/>.
/// </summary>
public sealed class ServiceOver(string connectionString) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ECO_DB", connectionString);
        builder.UseSetting("ECO_LOAD_DEMO", "false");
        builder.UseSetting("ECO_EDITOR_KEY", EcoApi.EditorKey);
    }

    /// <summary>A client that sends the editor key.</summary>
    public HttpClient CreateEditor()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", EcoApi.EditorKey);
        return client;
    }
}
