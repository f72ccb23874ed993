using System.Globalization;
using System.Text;

namespace EcoSpatial.Benchmarks;

/// <summary>
/// docs/benchmarks.md: one section per suite between <c>&lt;!-- bench:NAME --&gt;</c> markers. Writing a suite
/// replaces only its own section (appending it when new), so suites owned by others keep theirs.
/// </summary>
public static class BenchmarkDocument
{
    public static string Locate()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcoSpatial.sln")))
            {
                return Path.Combine(dir.FullName, "docs", "benchmarks.md");
            }
        }

        return Path.Combine(Directory.GetCurrentDirectory(), "benchmarks.md");
    }

    public static void WriteSection(string path, string suite, string body)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "# Benchmarks\n\nRun with `./eco bench [SUITE]`; each suite rewrites its own section.\n";
        var (start, end) = ($"<!-- bench:{suite} -->", $"<!-- /bench:{suite} -->");
        var machine = string.Create(CultureInfo.InvariantCulture,
            $"_Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}, load average {LoadAverage()} at the end; `./eco bench {suite}`._");
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

    /// <summary>The 1-minute load average (Linux), which says how far other work on the machine skews the figures.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
