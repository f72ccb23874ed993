using EcoSpatial.SpatialApi;
using EcoSpatial.SpatialApi.Cli;

if (args is [var verb, ..] && verb != "serve")
{
    return await CommandLine.RunAsync(args);
}

var app = EcoApp.Build(args.SkipWhile(a => a == "serve").ToArray());
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
