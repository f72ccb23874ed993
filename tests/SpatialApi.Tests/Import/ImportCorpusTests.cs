using System.Text.Json;
using EcoSpatial.SpatialApi.Cli;
using EcoSpatial.SpatialApi.Tests.Support;
using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Tests.Support;

namespace EcoSpatial.SpatialApi.Tests.Import;

/// <summary>
/// The bad-input corpus (tests/corpus/import): every file is imported with <c>eco import landuse FILE …</c> and must
/// have exactly the outcome cases.json states: refused with that exit code and a one-line message, nothing stored;
/// or imported as one version with those counts, CRS and notes.
/// </summary>
[Collection(nameof(EcoApiCollection))]
public class ImportCorpusTests(EcoApi api)
{
    private static readonly string Folder = Repo.File("tests", "corpus", "import");

    public static TheoryData<int, string> Cases()
    {
        var data = new TheoryData<int, string>();
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));
        var i = 0;
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(i++, c.GetProperty("file").GetString()!);
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_30_files_and_every_file_has_a_case()
    {
        var files = Directory.GetFiles(Path.Combine(Folder, "files")).Select(Path.GetFileName).ToHashSet();
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));
        var covered = document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("file").GetString()).ToHashSet();

        Assert.True(files.Count >= 30, $"{files.Count} files");
        Assert.Empty(files.Except(covered).Except(["landuse-4490.geojson"]));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_file_has_exactly_its_stated_outcome(int index, string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")));
        var c = document.RootElement.GetProperty("cases")[index];
        string[] extra = c.TryGetProperty("args", out var a) ? a.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];
        var path = Path.Combine(Folder, "files", file);

        var before = await Counts();
        var (exit, stdout, stderr) = await Cli.RunAsync(api, ["import", "landuse", path, "--as-of", "2021-12-31", .. extra]);
        var after = await Counts();

        if (c.TryGetProperty("refused", out var refused))
        {
            Assert.Equal(refused.GetProperty("exit").GetInt32(), exit);
            Assert.Single(stderr.TrimEnd().Split('\n'));
            Assert.StartsWith("eco: ", stderr);
            Assert.Contains(refused.GetProperty("message").GetString()!, stderr);
            Assert.Equal(before, after); // nothing stored: no version, no feature
            return;
        }

        var expected = c.GetProperty("imported");
        Assert.True(exit == 0, stderr);
        var report = await LatestReport();
        Assert.Equal(
            (expected.GetProperty("read").GetInt32(), expected.GetProperty("stored").GetInt32(),
             expected.GetProperty("repaired").GetInt32(), expected.GetProperty("rejected").GetInt32()),
            (report.FeaturesRead, report.FeaturesImported, report.Repaired.Count, report.Rejected.Count));
        Assert.Equal(expected.GetProperty("crs").GetString(), report.SourceCrs);
        Assert.Equal((before.Versions + 1, before.Features + report.FeaturesImported), after);
        foreach (var note in expected.TryGetProperty("notes", out var n) ? n.EnumerateArray() : default)
        {
            Assert.Contains(report.Notes, text => text.Contains(note.GetString()!, StringComparison.Ordinal));
        }

        foreach (var issue in expected.TryGetProperty("issues", out var i) ? i.EnumerateArray() : default)
        {
            Assert.Contains(report.Repaired.Concat(report.Rejected), x => x.Reason.Contains(issue.GetString()!, StringComparison.Ordinal));
        }

        Assert.StartsWith("Imported landuse version", stdout, StringComparison.Ordinal);
    }

    private async Task<(long Versions, long Features)> Counts() =>
        (await api.Database.ScalarAsync<long>("SELECT count(*) FROM layer_versions"),
         await api.Database.ScalarAsync<long>("SELECT count(*) FROM landuse"));

    private async Task<ImportReport> LatestReport() => JsonSerializer.Deserialize<ImportReport>(
        await api.Database.ScalarAsync<string>("SELECT report::text FROM layer_versions ORDER BY id DESC LIMIT 1"),
        JsonSerializerOptions.Web)!;
}

/// <summary>Runs the service's command line in process against the fixture's database, capturing its output.</summary>
internal static class Cli
{
    private static readonly SemaphoreSlim Console1 = new(1, 1);

    public static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(EcoApi api, string[] args)
    {
        await Console1.WaitAsync();
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Environment.SetEnvironmentVariable("ECO_DB", api.Database.ConnectionString);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await CommandLine.RunAsync(args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
            Environment.SetEnvironmentVariable("ECO_DB", null);
            Console1.Release();
        }
    }
}
