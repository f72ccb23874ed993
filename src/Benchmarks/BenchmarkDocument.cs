using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EcoSpatial.Benchmarks;

/// <summary>
/// docs/benchmarks.md: one section per suite between <c>&lt;!-- bench:NAME --&gt;</c> markers. Writing a suite
/// replaces only its own section (appending it when new), so suites owned by others keep theirs.
/// </summary>
public static class BenchmarkDocument
{
    /// <summary>
    /// The repository root (the folder holding EcoSpatial.sln) above the working directory, else above this program
    /// (built into src/Benchmarks/bin), or null.
    /// </summary>
    public static string? Repository()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "EcoSpatial.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    public static string Locate() =>
        Repository() is { } repository
            ? Path.Combine(repository, "docs", "benchmarks.md")
            : Path.Combine(Directory.GetCurrentDirectory(), "benchmarks.md");

    /// <summary>
    /// Runs <paramref name="write"/> holding an exclusive lock for <paramref name="path"/> (a file in the temp folder,
    /// locked with <c>FileShare.None</c>, which .NET maps to <c>flock</c> on Linux), so that two benchmark runs in one
    /// tree, say two engineers' suites, do not lose each other's sections in their read-modify-write. Waits up to a minute.
    /// </summary>
    public static void Locked(string path, Action write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var name = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(path))))[..16];
        var lockPath = Path.Combine(Path.GetTempPath(), $"eco-bench-{name}.lock");
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            try
            {
                using var gate = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                write();
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }

    /// <summary>Replaces the section of <paramref name="suite"/>; <paramref name="command"/> is how it was run.</summary>
    public static void WriteSection(string path, string suite, string body, string? command = null)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nRun with `./eco bench [SUITE]`; each suite rewrites its own section.\n";
        var (start, end) = ($"<!-- bench:{suite} -->", $"<!-- /bench:{suite} -->");
        var machine = string.Create(CultureInfo.InvariantCulture,
            $"_Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {Machine.LoadAverageText()} at the end; `{command ?? "./eco bench " + suite}`._");
        var section = new StringBuilder().Append(start).Append("\n## ").Append(suite).Append("\n\n").Append(machine).Append("\n\n")
            .Append(body.TrimEnd()).Append('\n').Append(end).ToString();
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, StringComparison.Ordinal);
        text = from >= 0 && to > from
            ? text[..from] + section + text[(to + end.Length)..]
            : text.TrimEnd() + "\n\n" + section + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}

/// <summary>How a run was made, stamped on every result it writes.</summary>
public sealed record BenchRun(string Mode, string Command, string? Commit)
{
    public static BenchRun Now(bool quick, IEnumerable<string> suites) => new(
        quick ? "quick" : "full",
        "./eco bench" + (quick ? " --quick" : "") + string.Concat(suites.Select(s => " " + s)),
        BenchmarkDocument.Repository() is { } repository ? Machine.GitCommit(repository) : null);
}

/// <summary>
/// docs/benchmarks.json, the machine-readable twin of docs/benchmarks.md: <c>{"about": …, "results": [ … ]}</c>
/// with one object per measured case. Writing a suite replaces only the objects whose <c>suite</c> is that suite
/// (at the place of the first of them, else at the end) and keeps every other object exactly as it was.
/// </summary>
public static class BenchmarkResults
{
    private const string About =
        "Written by ./eco bench, one object per measured case (docs/benchmarks.md has the same runs in words). " +
        "median and the spread (p10/p90 from 5 samples, min/max) are in unit over n repetitions after a warm-up; " +
        "ratio = median / comparisonMedian in that unit unless the suite's section says otherwise (below 1 is faster for times, " +
        "above 1 is faster for rates); peakMemoryMb is the peak resident set of the benchmark process, which runs the service, " +
        "during the suite; loadAverage is the 1/5/15-minute load when the case was recorded; commit ends in +dirty when src/ had " +
        "uncommitted changes.";

    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>docs/benchmarks.json beside <paramref name="markdownPath"/>.</summary>
    public static string PathBeside(string markdownPath) => Path.ChangeExtension(markdownPath, ".json");

    public static void WriteSuite(string path, string suite, IReadOnlyList<BenchResult> results, BenchRun run)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(run);
        var kept = new List<JsonNode>();
        var insertAt = -1;
        if (File.Exists(path) && JsonNode.Parse(File.ReadAllText(path))?["results"] is JsonArray old)
        {
            foreach (var entry in old)
            {
                if (entry is null)
                {
                    continue;
                }

                if (entry["suite"]?.GetValue<string>() == suite)
                {
                    insertAt = insertAt < 0 ? kept.Count : insertAt;
                    continue;
                }

                kept.Add(entry.DeepClone());
            }
        }

        var fresh = results.Select(r => ToJson(suite, r, run)).ToList();
        kept.InsertRange(insertAt < 0 ? kept.Count : insertAt, fresh);
        var document = new JsonObject { ["about"] = About, ["results"] = new JsonArray([.. kept]) };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, document.ToJsonString(Indented) + "\n");
    }

    private static JsonObject ToJson(string suite, BenchResult r, BenchRun run)
    {
        var o = new JsonObject
        {
            ["suite"] = suite,
            ["case"] = r.Case,
            ["dataSet"] = r.DataSet,
            ["n"] = r.N,
            ["median"] = Round(r.Median),
        };
        Add(o, "p10", r.P10);
        Add(o, "p90", r.P90);
        Add(o, "min", r.Min);
        Add(o, "max", r.Max);
        o["unit"] = r.Unit;
        if (r.Comparison is not null)
        {
            o["comparison"] = r.Comparison;
        }

        Add(o, "comparisonMedian", r.ComparisonMedian);
        Add(o, "ratio", r.EffectiveRatio);
        Add(o, "throughput", r.Throughput);
        if (r.ThroughputUnit is not null && r.Throughput is not null)
        {
            o["throughputUnit"] = r.ThroughputUnit;
        }

        if (r.Figures is { Count: > 0 })
        {
            var figures = new JsonObject();
            foreach (var (name, value) in r.Figures)
            {
                figures[name] = Round(value);
            }

            o["figures"] = figures;
        }

        Add(o, "peakMemoryMb", r.PeakMemoryMb is { } mb ? Math.Round(mb, 1) : null);
        o["loadAverage"] = new JsonArray([.. (r.LoadAverage ?? []).Select(v => (JsonNode)JsonValue.Create(v))]);
        o["timestamp"] = (r.Timestamp ?? DateTimeOffset.UtcNow).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        o["commit"] = run.Commit;
        o["mode"] = run.Mode;
        o["command"] = run.Command;
        o["cores"] = Environment.ProcessorCount;
        o["dotnet"] = Environment.Version.ToString();
        return o;
    }

    private static void Add(JsonObject o, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            o[name] = Round(v);
        }
    }

    /// <summary>Seven significant digits: more than any of these measurements can claim, and readable diffs.</summary>
    private static double Round(double value) =>
        double.IsFinite(value) ? double.Parse(value.ToString("G7", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : 0;
}
