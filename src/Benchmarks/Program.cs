using EcoSpatial.Benchmarks;

// ./eco bench [SUITE...] : runs the named suites (all when none) against ECO_DB and writes each one's section of
// docs/benchmarks.md, leaving the other sections as they are. ECO_BENCH_BIG_DB adds a big data set where a suite uses one.
IBenchmarkSuite[] suites = [new OgcBenchmark(), new TilesBenchmark(), new IndicatorsBenchmark(), new ImportBenchmark()];

if (args is ["-h" or "--help" or "help", ..])
{
    Console.WriteLine("usage: ./eco bench [SUITE...]   (default: all)\n\nsuites:");
    foreach (var suite in suites)
    {
        Console.WriteLine($"  {suite.Name,-8} {suite.Summary}");
    }

    Console.WriteLine("\nenvironment: ECO_DB (default: the ./eco up database), ECO_BENCH_BIG_DB (optional, e.g. 1,000,000 parcels from ./eco gen)");
    return 0;
}

var unknown = args.Where(a => suites.All(s => s.Name != a)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"eco bench: unknown suite {string.Join(", ", unknown)}; the suites are {string.Join(", ", suites.Select(s => s.Name))}");
    return 2;
}

var selected = args.Length == 0 ? suites : suites.Where(s => args.Contains(s.Name)).ToArray();
var db = Environment.GetEnvironmentVariable("ECO_DB") is { Length: > 0 } value
    ? value
    : "Host=127.0.0.1;Port=55432;Username=postgres;Database=ecospatial";
var big = Environment.GetEnvironmentVariable("ECO_BENCH_BIG_DB") is { Length: > 0 } b ? b : null;
var document = BenchmarkDocument.Locate();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
await using var context = await BenchContext.StartAsync(db, big, cancel.Token);
foreach (var suite in selected)
{
    Console.Error.WriteLine($"eco bench: {suite.Name} …");
    var section = await suite.RunAsync(context, cancel.Token);
    Console.WriteLine($"## {suite.Name}\n\n{section}");
    BenchmarkDocument.WriteSection(document, suite.Name, section);
}

Console.Error.WriteLine($"eco bench: wrote {document}");
return 0;
