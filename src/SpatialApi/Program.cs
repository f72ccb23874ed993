using EcoSpatial.SpatialApi;
using EcoSpatial.SpatialApi.Cli;

// `serve` (or no verb, or only --options as WebApplicationFactory passes) runs the web service;
// any other verb is a command-line command.
if (args is [var verb, ..] && verb != "serve" && !verb.StartsWith("--", StringComparison.Ordinal))
{
    return await CommandLine.RunAsync(args);
}

var app = EcoApp.Build(args.SkipWhile(a => a == "serve").ToArray());
await app.RunAsync();
return 0;

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
