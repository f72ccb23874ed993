namespace EcoSpatial.SpatialApi.Cli;

/// <summary>The command-line verbs of the service binary (called by <c>./eco</c>).</summary>
public static class CommandLine
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(2);
}
