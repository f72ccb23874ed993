using EcoSpatial.SpatialApi.Cli;
using EcoSpatial.SpatialApi.Tests.Support;
using static EcoSpatial.SpatialApi.Tests.Support.GeoJsonFiles;

namespace EcoSpatial.SpatialApi.Tests.Cli;

[Collection(nameof(EcoApiCollection))]
public class CommandLineTests(EcoApi api) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("eco-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    private async Task<(int Exit, long NewVersions, string Stdout, string Stderr)> Run(params string[] args)
    {
        var before = await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions");
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Environment.SetEnvironmentVariable("ECO_DB", api.Database.ConnectionString);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await CommandLine.RunAsync(args);
            var after = await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions");
            return (exit, after - before, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Environment.SetEnvironmentVariable("ECO_DB", null);
        }
    }

    [Fact]
    public async Task Import_stores_one_version_and_prints_the_report()
    {
        var file = Write("landuse.geojson", Collection(
            Feature("""{"DLBM":"0101","DLMC":"水田"}""", Square(113.60, 30.60, 0.001)),
            Feature("""{"DLBM":"0301","DLMC":"乔木林地"}""", "[[[113.7,30.6],[113.71,30.61],[113.71,30.6],[113.7,30.61],[113.7,30.6]]]")));

        var (exit, added, stdout, _) = await Run("import", "landuse", file, "--as-of", "2021-12-31", "--label", "三调 2021");

        Assert.Equal(0, exit);
        Assert.Equal(1, added);
        Assert.Contains("2 read, 2 stored, 1 repaired, 0 rejected", stdout);
        Assert.Contains("Self-intersection", stdout);
    }

    [Fact]
    public async Task Malformed_GeoJSON_exits_1_with_one_line_and_stores_nothing()
    {
        var file = Write("broken.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{");

        var (exit, added, _, stderr) = await Run("import", "redlines", file, "--as-of", "2021-12-31");

        Assert.Equal(1, exit);
        Assert.Equal(0, added);
        Assert.StartsWith("eco: The file is not valid JSON", stderr);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("import", "forests", "x.geojson", "--as-of", "2021-12-31")]
    [InlineData("import", "redlines", "x.geojson")]
    [InlineData("import", "redlines", "x.geojson", "--as-of", "31/12/2021")]
    [InlineData("import", "redlines", "--as-of", "2021-12-31")]
    [InlineData("import", "redlines", "missing.geojson", "--as-of", "2021-12-31", "--colour", "red")]
    [InlineData("frobnicate")]
    public async Task Usage_errors_exit_2_and_store_nothing(params string[] args)
    {
        Write("x.geojson", Collection(Feature("{}", Square(113, 30, 0.1))));

        var (exit, added, _, stderr) = await Run(args.Select(a => a.EndsWith(".geojson") ? Path.Combine(folder, a) : a).ToArray());

        Assert.Equal(2, exit);
        Assert.Equal(0, added);
        Assert.StartsWith("eco: ", stderr);
    }
}
