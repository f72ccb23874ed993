using System.Diagnostics;
using System.Globalization;
using EcoSpatial.DemoCity;

// ./eco gen [--out DIR] [--seed N] [--parcels N]: writes the synthetic demo city (see Generator).
const string Usage = "usage: eco gen [--out DIR] [--seed N] [--parcels N]   (defaults: data/geo/demo, 20261129, 24000)";

string? output = null;
var seed = Generator.DefaultSeed;
var parcels = Generator.DefaultParcels;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        case "--out" when !string.IsNullOrWhiteSpace(value):
            output = value;
            i++;
            break;
        case "--seed" when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s):
            seed = s;
            i++;
            break;
        case "--parcels" when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                              && n is >= 1000 and <= 5_000_000:
            parcels = n;
            i++;
            break;
        case "--out" or "--seed" or "--parcels":
            return Fail($"{args[i]} needs a value{(args[i] == "--parcels" ? " from 1000 to 5000000" : args[i] == "--seed" ? " (an integer)" : "")}; {Usage}");
        default:
            return Fail($"unknown argument '{args[i]}'; {Usage}");
    }
}

output ??= Path.Combine(RepoRoot() ?? Directory.GetCurrentDirectory(), "data", "geo", "demo");
var clock = Stopwatch.StartNew();
try
{
    var files = Generator.Run(new GeneratorOptions(output, seed, parcels), Console.Out);
    foreach (var f in files)
    {
        Console.WriteLine($"{f.File,-32} {f.Features,9} features {f.AreaM2 / 1e6,12:F3} km²");
    }

    Console.WriteLine($"wrote {Path.GetFullPath(output)} (seed {seed}) in {clock.Elapsed.TotalSeconds:F1} s");
    return 0;
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or AggregateException)
{
    var cause = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
    return Fail($"generation failed: {cause.Message}", 1);
}

static int Fail(string message, int code = 2)
{
    Console.Error.WriteLine($"eco gen: {message}");
    return code;
}

// The folder holding EcoSpatial.sln at or above the current one, so `./eco gen` writes into the repo from anywhere in it.
static string? RepoRoot()
{
    for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "EcoSpatial.sln")))
        {
            return dir.FullName;
        }
    }

    return null;
}
