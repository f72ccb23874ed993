using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EcoSpatial.SpatialApi.Tests.Support;

/// <summary>Starts a test service on a real loopback port, for clients that cannot talk to a TestServer (GDAL, a browser).</summary>
public static class LoopbackServer
{
    /// <summary>Starts Kestrel on 127.0.0.1 with a free port and returns the address it listens on.</summary>
    public static Uri StartOnLoopback(this WebApplicationFactory<Program> factory)
    {
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return new Uri(addresses.Addresses.Single());
    }
}
