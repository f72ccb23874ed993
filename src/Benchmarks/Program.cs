using EcoSpatial.Benchmarks;

// ./eco bench [--quick] [--out DIR] [SUITE...] : runs the named suites (all when none) against ECO_DB and writes
// each one's section of docs/benchmarks.md and its entries of docs/benchmarks.json, leaving the other suites' as
// they are. ECO_BENCH_BIG_DB adds a big data set where a suite uses one (not in quick mode).
IBenchmarkSuite[] suites =
[
    new OgcBenchmark(), new TilesBenchmark(), new IndicatorsBenchmark(), new ImportBenchmark(), new AreaBenchmark(), new LoadBenchmark(),
    new ExportBenchmark(),
];

if (args is ["-h" or "--help" or "help", ..])
{
    Console.WriteLine("""
        usage: ./eco bench [--quick] [--out DIR] [SUITE...]   (default: all suites)

          --quick     fewer rounds and smaller data (CI-sized, a few minutes); writes DIR/benchmarks.md and .json,
                      DIR defaulting to .eco/bench-quick, so the full figures in docs/ stay
          --out DIR   write DIR/benchmarks.md and DIR/benchmarks.json instead of docs/

        suites:
        """);
    foreach (var suite in suites)
    {
        Console.WriteLine($"  {suite.Name,-11} {suite.Summary}");
    }

    Console.WriteLine("""

        environment: ECO_DB (default: the ./eco up database), ECO_BENCH_BIG_DB (optional, e.g. 1,000,000 parcels from
        ./eco gen; not used with --quick), ECO_BENCH_IMPORT_PARCELS (import), ECO_BENCH_LOAD_SECONDS and
        ECO_BENCH_LOAD_CLIENTS (load: seconds per level, default 20; client counts, default 16,64)
        """);
    return 0;
}

var quick = false;
string? outDir = null;
var names = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--quick":
            quick = true;
            break;
        case "--out" when i + 1 < args.Length:
            outDir = args[++i];
            break;
        default:
            names.Add(args[i]);
            break;
    }
}

var unknown = names.Where(a => suites.All(s => s.Name != a)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"eco bench: unknown suite {string.Join(", ", unknown)}; the suites are {string.Join(", ", suites.Select(s => s.Name))} (./eco bench --help)");
    return 2;
}

var selected = names.Count == 0 ? suites : suites.Where(s => names.Contains(s.Name)).ToArray();
var db = Environment.GetEnvironmentVariable("ECO_DB") is { Length: > 0 } value
    ? value
    : "Host=127.0.0.1;Port=55432;Username=postgres;Database=ecospatial";
var big = Environment.GetEnvironmentVariable("ECO_BENCH_BIG_DB") is { Length: > 0 } b ? b : null;
outDir ??= quick ? Path.Combine(BenchmarkDocument.Repository() ?? Directory.GetCurrentDirectory(), ".eco", "bench-quick") : null;
var document = outDir is null ? BenchmarkDocument.Locate() : Path.Combine(Path.GetFullPath(outDir), "benchmarks.md");
var json = BenchmarkResults.PathBeside(document);
var run = BenchRun.Now(quick, names);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
await using var context = await BenchContext.StartAsync(db, big, quick, cancel.Token);
foreach (var suite in selected)
{
    Console.Error.WriteLine($"eco bench: {suite.Name}{(quick ? " (quick)" : "")} …");
    context.BeginSuite();
    var section = await suite.RunAsync(context, cancel.Token);
    Console.WriteLine($"## {suite.Name}\n\n{section}");
    BenchmarkDocument.Locked(document, () =>
    {
        BenchmarkDocument.WriteSection(document, suite.Name, section, $"./eco bench{(quick ? " --quick" : "")} {suite.Name}");
        BenchmarkResults.WriteSuite(json, suite.Name, context.Results, run);
    });
}

Console.Error.WriteLine($"eco bench: wrote {document} and {json}");
return 0;
