using System.Globalization;
using EcoSpatial.SpatialApi.Import;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Import;
using Npgsql;

namespace EcoSpatial.SpatialApi.Cli;

/// <summary>
/// The command-line verbs of the service binary, called by <c>./eco</c>. Exit codes: 0 done, 1 the input was
/// refused (nothing stored), 2 the command could not run (usage, configuration, database).
/// </summary>
public static class CommandLine
{
    private const string ImportUsage =
        "usage: eco import LAYER FILE --as-of YYYY-MM-DD [--crs EPSG:NNNN|GCJ02] [--towgs84 dx,dy,dz[,rx,ry,rz,s]] " +
        "[--map SOURCE=TARGET]... [--member NAME] [--label TEXT] [--approval REF]";

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args[0] switch
            {
                "import" => await ImportAsync(args[1..]),
                "check" => await CheckCommand.RunAsync(args[1..], Console.Out, Console.Error),
                _ => Fail(2, $"unknown command '{args[0]}'; the service binary knows: serve, import, check"),
            };
        }
        catch (SpatialInputException e)
        {
            return Fail(e.Error is SpatialError.InvalidArgument or SpatialError.NotFound ? 2 : 1, e.Message);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return Fail(2, e.Message);
        }
        catch (Exception e)
        {
            return Fail(2, $"unexpected {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    private static async Task<int> ImportAsync(string[] args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string>();
        var maps = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Length)
                {
                    return Fail(2, $"{args[i]} needs a value; {ImportUsage}");
                }

                if (args[i] == "--map")
                {
                    maps.Add(args[++i]);
                    continue;
                }

                options[args[i][2..]] = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        var unknown = options.Keys.Except(["as-of", "label", "approval", "crs", "towgs84", "member"]).ToList();
        if (positional.Count != 2 || unknown.Count > 0)
        {
            return Fail(2, unknown.Count > 0 ? $"unknown option --{unknown[0]}; {ImportUsage}" : ImportUsage);
        }

        var (layer, file) = (positional[0], positional[1]);
        var request = VersionRequest.Parse(layer, options.GetValueOrDefault("as-of"), options.GetValueOrDefault("label"),
            options.GetValueOrDefault("approval"), file);
        if (!File.Exists(file))
        {
            return Fail(2, $"no such file: {file}");
        }

        var importOptions = new ImportOptions(
            options.GetValueOrDefault("crs"), options.GetValueOrDefault("towgs84"), ImportOptions.ParseMap(maps),
            options.GetValueOrDefault("member"));

        var connection = Environment.GetEnvironmentVariable(EcoDatabase.ConnectionKey);
        if (string.IsNullOrEmpty(connection))
        {
            return Fail(2, $"{EcoDatabase.ConnectionKey} is not set (./eco import sets it for the local database)");
        }

        await using var dataSource = EcoDatabase.CreateDataSource(connection);
        await EcoDatabase.MigrateAsync(dataSource, CancellationToken.None);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var bar = new ProgressBar(started);
        LayerVersionRow version;
        try
        {
            version = await VersionImporter.ImportAsync(dataSource, request, file, "cli", importOptions, bar, CancellationToken.None);
        }
        finally
        {
            bar.Finish();
        }

        PrintReport(version, started.Elapsed);
        return 0;
    }

    private static void PrintReport(LayerVersionRow version, TimeSpan elapsed)
    {
        var report = System.Text.Json.JsonSerializer.Deserialize<ImportReport>(version.Report, System.Text.Json.JsonSerializerOptions.Web)!;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c,
            $"Imported {version.Layer} version {version.Id} \"{version.Label}\" as of {version.AsOf:yyyy-MM-dd} in {elapsed.TotalSeconds:F1} s ({report.FeaturesRead / Math.Max(elapsed.TotalSeconds, 1e-3):F0} features/s)"));
        Console.WriteLine(string.Create(c, $"  source      {version.SourceFileName} ({report.Format ?? "GeoJSON"}, sha256 {version.SourceSha256[..12]}…, {report.SourceCrs})"));
        Console.WriteLine(string.Create(c, $"  features    {report.FeaturesRead} read, {report.FeaturesImported} stored, {report.Repaired.Count} repaired, {report.Rejected.Count} rejected"));
        Console.WriteLine(string.Create(c, $"  area        {version.AreaM2:F2} m² ({version.AreaM2 / 1e6:F4} km²), ellipsoidal on CGCS2000"));
        Console.WriteLine($"  approval    {version.ApprovalRef ?? "(none)"}");
        foreach (var (kind, issues) in new[] { ("repaired", report.Repaired), ("rejected", report.Rejected) })
        {
            foreach (var issue in issues.Take(20))
            {
                Console.WriteLine(string.Create(c, $"  {kind,-11} feature {issue.Index}{(issue.SourceId is null ? "" : $" (id {issue.SourceId})")}: {issue.Reason}"));
            }

            if (issues.Count > 20)
            {
                Console.WriteLine(string.Create(c, $"  {kind,-11} … and {issues.Count - 20} more (see the version's report)"));
            }
        }

        foreach (var note in report.Notes)
        {
            Console.WriteLine($"  note        {note}");
        }

        if (report.OfficialArea is { } official)
        {
            foreach (var parcel in official.Parcels.Take(20))
            {
                Console.WriteLine(string.Create(c,
                    $"  area        feature {parcel.Index}: official {parcel.OfficialAreaM2:F2} m², computed {parcel.AreaM2:F2} m² ({parcel.RelativeDifference:+0.######;-0.######})"));
            }

            if (official.BeyondTolerance > 20)
            {
                Console.WriteLine(string.Create(c, $"  area        … and {official.BeyondTolerance - 20} more beyond {official.Tolerance:G1} (see the version's report)"));
            }
        }
    }

    private static int Fail(int code, string message)
    {
        Console.Error.WriteLine($"eco: {message}");
        return code;
    }

    /// <summary>
    /// A one-line progress bar on standard error with features/s, drawn only when an import runs longer than two
    /// seconds and standard error is a terminal; redrawn at most five times a second.
    /// </summary>
    private sealed class ProgressBar(System.Diagnostics.Stopwatch clock) : IProgress<ImportProgress>
    {
        private const int Width = 30;
        private readonly object gate = new();
        private TimeSpan lastDrawn;
        private bool drawn;

        public void Report(ImportProgress value)
        {
            var elapsed = clock.Elapsed;
            if (Console.IsErrorRedirected || elapsed < TimeSpan.FromSeconds(2))
            {
                return;
            }

            lock (gate)
            {
                if (elapsed - lastDrawn < TimeSpan.FromMilliseconds(200))
                {
                    return;
                }

                lastDrawn = elapsed;
                drawn = true;
                var rate = value.Read / elapsed.TotalSeconds;
                var c = CultureInfo.InvariantCulture;
                var line = value.Total is > 0 and var total
                    ? string.Create(c, $"[{new string('#', (int)(Width * Math.Min(1.0, (double)value.Read / total))),-Width}] {value.Read:N0}/{total:N0} features  {rate:N0} features/s")
                    : string.Create(c, $"{value.Read:N0} features  {rate:N0} features/s");
                Console.Error.Write("\r" + line + "   ");
            }
        }

        public void Finish()
        {
            if (drawn)
            {
                Console.Error.WriteLine();
            }
        }
    }
}
