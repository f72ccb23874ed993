using EcoSpatial.SpatialCore;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Distance;

namespace EcoSpatial.DemoCity;

/// <summary>A red-line polygon (生态保护红线) in both years; the 2023 area differs only where a bite was cut out.</summary>
internal sealed record RedLine(string Code, string Name, string Function, Geometry Area2021, Geometry Area2023);

/// <summary>One functional zone of a protected area (自然保护地).</summary>
internal sealed record Reserve(string Name, string Category, string Zone, string Level, Geometry Area);

/// <summary>One level of a drinking-water-source protection zone (饮用水水源保护区).</summary>
internal sealed record WaterSourceZone(string SourceName, string Level, Geometry Area);

/// <summary>
/// A point where the 2023 land use gains construction on purpose, so that the encroachment checks have known
/// cases: the parcel that holds the point is <paramref name="Class2021"/> in 2021 and <paramref name="Class2023"/> in 2023.
/// </summary>
internal sealed record PlantedChange(double X, double Y, string Why, string Class2021, string Class2023);

/// <summary>
/// The synthetic protection layers on the real frame: red lines, protected areas, water-source zones, plus the
/// lake they refer to and the planted 2023 changes. Built on the metric plane, clipped to the outline in lon/lat.
/// </summary>
/// <param name="RedLines">生态保护红线, 2021 and 2023.</param>
/// <param name="Reserves">自然保护地 zones.</param>
/// <param name="WaterSources">饮用水水源保护区 zones.</param>
/// <param name="Planted">The planted 2023 construction cases.</param>
/// <param name="LakeMetres">The lake and its marsh fringe (湖泊湿地), metres.</param>
/// <param name="LakeWaterMetres">The open water of the lake, metres.</param>
/// <param name="ForestBlocksMetres">The hill forest blocks of the red lines, metres.</param>
/// <param name="StrictMetres">Where the 2021 land use holds no construction and no 2023 growth may touch:
/// red lines, reserve cores and 一级 zones, metres.</param>
/// <param name="Level2Metres">The 二级 zones, metres (no industry there in 2021, no growth in 2023).</param>
internal sealed record Zones(
    IReadOnlyList<RedLine> RedLines,
    IReadOnlyList<Reserve> Reserves,
    IReadOnlyList<WaterSourceZone> WaterSources,
    IReadOnlyList<PlantedChange> Planted,
    Geometry LakeMetres,
    Geometry LakeWaterMetres,
    Geometry ForestBlocksMetres,
    Geometry StrictMetres,
    Geometry Level2Metres)
{
    private const long Stream = 300;

    public static Zones Build(Frame frame, IReadOnlyList<Town> towns, long seed)
    {
        var site = new Layout(frame, towns, seed);
        var planted = new List<PlantedChange>();

        var (waterSources, intakes, level1, level2) = BuildWaterSources(site, planted);
        var (lake, lakeWater) = Lake(site);
        var forest = ForestBlocks(site);
        var (redLines, redLinesMetres) = BuildRedLines(site, lake, forest, intakes, planted);
        var (reserves, core) = BuildReserves(site, forest, lake, planted);

        var strict = LocalPlane.MetricFactory.BuildGeometry(redLinesMetres.Append(core).Append(level1)).Union();
        return new Zones(redLines, reserves, waterSources, planted, lake, lakeWater,
            LocalPlane.MetricFactory.BuildGeometry(forest).Union(), strict, level2.Difference(level1));
    }

    /// <summary>
    /// Two intakes on the Han River, each with a 一级 and a 二级 zone by the HJ 338-2018 river defaults, and the
    /// planted construction in them (a house in the first 一级 zone, a factory in each 二级 zone).
    /// </summary>
    private static (List<WaterSourceZone> Zones, List<double> Intakes, Geometry Level1, Geometry Level2) BuildWaterSources(
        Layout site, List<PlantedChange> planted)
    {
        var line = site.River;
        var first = site.ReachNear(line.Project(new Coordinate(site.Frame.SeatMetres.X, site.Frame.SeatMetres.Y)) - 3000, []);

        // The second: upstream of the riverside plain town nearest to the river, at least 15 km along it from the first.
        var town = site.Towns.Skip(1).Where(t => !t.Hills)
            .Select(t => (Town: t, S: line.Project(new Coordinate(t.Centre.X, t.Centre.Y))))
            .Where(t => Math.Abs(t.S - first) > 15_000)
            .OrderBy(t => site.ToRiver(t.Town.Centre.X, t.Town.Centre.Y))
            .Select(t => (double?)t.S)
            .FirstOrDefault();
        var second = site.ReachNear((town ?? first - 20_000) - 1500, [first]);

        var zones = new List<WaterSourceZone>();
        Geometry level1All = LocalPlane.MetricFactory.CreatePolygon(), level2All = LocalPlane.MetricFactory.CreatePolygon();
        foreach (var s in new[] { first, second })
        {
            var intake = line.ExtractPoint(s);
            var name = $"汉川市{site.Towns.MinBy(t => Distance(t.Centre, (intake.X, intake.Y)))!.Name}汉江饮用水水源地";
            var level1 = FlatBuffer(line.ExtractLine(s - 1000, s + 100), Frame.RiverHalfWidth + 50);
            var level2 = FlatBuffer(line.ExtractLine(s - 3000, s + 300), Frame.RiverHalfWidth + 50 + 1000).Difference(level1);
            var level1Degrees = site.Clip(level1);
            zones.Add(new WaterSourceZone(name, "一级", level1Degrees));
            zones.Add(new WaterSourceZone(name, "二级", OutputGrid.Difference(site.Clip(level2), level1Degrees)));
            level1All = level1All.Union(level1);
            level2All = level2All.Union(level2);
        }

        planted.Add(site.Bank(first - 400, 175, "一级水源保护区内新增建设", "0101", "0702"));
        planted.Add(site.Bank(first - 2000, 700, "二级水源保护区内新增工业", "0101", "0601"));
        planted.Add(site.Bank(second - 2500, -650, "二级水源保护区内新增工业", "0101", "0601"));
        return (zones, [first, second], level1All, level2All);
    }

    /// <summary>A lake with its marsh fringe (and its open water), on the plain, away from the river, border and towns.</summary>
    private static (Polygon Lake, Polygon Water) Lake(Layout site)
    {
        var centre = site.Place(4000, p =>
            site.Inside(p.X, p.Y) && site.ToBorder(p.X, p.Y) > 4500 && site.ToRiver(p.X, p.Y) > 6000
            && site.Towns.All(t => Distance(t.Centre, p) > 4000) && site.OnPlain(p));
        return (site.Blob(centre, 2400), site.Blob(centre, 1700));
    }

    /// <summary>Four to six forest blocks in the hill towns, apart from each other and from the town centres.</summary>
    private static List<Polygon> ForestBlocks(Layout site)
    {
        var f = LocalPlane.MetricFactory;
        var hills = site.Towns.Where(t => t.Hills).Select(t => site.Frame.Plane.ToMetres(t.Area)).Aggregate((a, b) => a.Union(b));
        var inside = new IndexedPointInAreaLocator(hills);
        var border = new IndexedFacetDistance(hills.Boundary);
        var env = hills.EnvelopeInternal;
        var forest = new List<Polygon>();
        var scale = 1.0; // shrinks when the hills are too cramped for six blocks
        for (var attempt = 0; forest.Count < 6 && (forest.Count < 4 || attempt < 4000); attempt++)
        {
            if (attempt > 0 && attempt % 4000 == 0)
            {
                scale *= 0.8;
            }

            var radius = scale * site.Draws.Next(1100, 2200);
            var p = (X: site.Draws.Next(env.MinX, env.MaxX), Y: site.Draws.Next(env.MinY, env.MaxY));
            var point = f.CreatePoint(new Coordinate(p.X, p.Y));
            if (inside.Locate(point.Coordinate) == Location.Interior
                && border.Distance(point) > 0.6 * radius
                && site.Towns.All(t => Distance(t.Centre, p) > radius + 1500 * scale)
                && forest.All(b => b.Distance(point) > radius + 1200 * scale))
            {
                forest.Add(site.Blob(p, radius));
            }
        }

        return forest;
    }

    /// <summary>
    /// The red lines: the river corridor, the lake, the forest blocks and two riverside wetlands, each clipped to the
    /// frame and to what earlier ones left free. In 2023 one forest block loses a bite on the side facing the
    /// nearest town. Planted: a factory on the bite, a house in another block, a factory on the corridor's bank.
    /// </summary>
    private static (List<RedLine> RedLines, List<Geometry> Metres) BuildRedLines(
        Layout site, Polygon lake, List<Polygon> forest, List<double> intakes, List<PlantedChange> planted)
    {
        var f = LocalPlane.MetricFactory;
        var functions = new[] { "水土保持", "水源涵养", "生物多样性维护" };
        var shapes = new List<(string Name, string Function, Geometry Metres)>
        {
            ("汉江汉川段河流生态廊道", "水源涵养", FlatBuffer(site.Frame.RiverMetres, Frame.RiverHalfWidth + 300)),
            ("湖区湿地生物多样性维护区", "生物多样性维护", lake.Buffer(300)),
        };
        shapes.AddRange(forest.Select((b, i) => ($"西北丘陵森林生态保护区{i + 1}", functions[i % 3], (Geometry)b)));
        for (var i = 0; i < 2; i++)
        {
            var radius = site.Draws.Next(550, 850);
            var p = site.Place(4000, q =>
                site.Inside(q.X, q.Y) && site.ToRiver(q.X, q.Y) is var d && d > 450 + radius + 300 && d < 4000
                && site.ToBorder(q.X, q.Y) > radius + 500
                && site.Towns.All(t => Distance(t.Centre, q) > t.UrbanRadius * 1.5 + radius + 500)
                && intakes.All(s => site.River.ExtractPoint(s).Distance(new Coordinate(q.X, q.Y)) > 6000)
                && site.OnPlain(q));
            shapes.Add(($"沿江湿地生态保护区{i + 1}", "生物多样性维护", site.Blob(p, radius)));
        }

        Geometry taken = Srid.Cgcs2000Factory.CreatePolygon();
        var areas = new List<Geometry>();
        foreach (var (_, _, metres) in shapes)
        {
            var area = OutputGrid.Difference(site.Clip(metres), taken);
            areas.Add(area);
            taken = taken.IsEmpty ? area : OutputGrid.Union(taken, area);
        }

        var reserveBlock = ReserveBlock(forest);
        Point Centre(Town t) => f.CreatePoint(new Coordinate(t.Centre.X, t.Centre.Y));
        var bitten = forest.Where(b => b != reserveBlock).MinBy(b => site.Towns.Min(t => b.Distance(Centre(t))))!;
        var bittenIndex = 2 + forest.IndexOf(bitten);
        var facing = site.Towns.MinBy(t => bitten.Distance(Centre(t)))!;
        var biteCentre = DistanceOp.NearestPoints(bitten.ExteriorRing, Centre(facing))[0];
        var afterBite = Bite(site.Frame, areas[bittenIndex], biteCentre, f);
        planted.Add(new PlantedChange(biteCentre.X, biteCentre.Y, "生态保护红线内新增工业 (红线调出)", "0301", "0601"));

        var inBlock = forest.First(b => b != reserveBlock && b != bitten).InteriorPoint.Coordinate;
        planted.Add(new PlantedChange(inBlock.X, inBlock.Y, "生态保护红线内新增建设", "0301", "0702"));
        planted.Add(Enumerable.Range(0, 400)
            .Select(k => intakes.Max() + 6000 + 250.0 * k)
            .Where(s => s < site.River.EndIndex && intakes.All(i => Math.Abs(i - s) > 6000))
            .Select(s => site.TryBank(s, 330, "生态保护红线内新增工业", "0101", "0601"))
            .FirstOrDefault(p => p is not null)
            ?? throw new InvalidOperationException("No river bank in the frame downstream of the intakes."));

        var redLines = shapes.Select((r, i) => new RedLine(
            $"{Frame.CountyCode}-HX-{i + 1:D3}", r.Name, r.Function, areas[i], i == bittenIndex ? afterBite : areas[i])).ToList();
        return (redLines, shapes.Select(r => r.Metres).ToList());
    }

    /// <summary>A provincial nature reserve on the largest forest block (core inside it, general control around it)
    /// and a national wetland park around the lake. Planted: a house in the core.</summary>
    private static (List<Reserve> Reserves, Geometry Core) BuildReserves(
        Layout site, List<Polygon> forest, Polygon lake, List<PlantedChange> planted)
    {
        var block = ReserveBlock(forest);
        var core = block.Buffer(-350);
        var general = block.Buffer(1200).Difference(core);
        var coreDegrees = site.Clip(core);
        var reserves = new List<Reserve>
        {
            new("汉川西北丘陵自然保护区", "自然保护区", "核心保护区", "省级", coreDegrees),
            new("汉川西北丘陵自然保护区", "自然保护区", "一般控制区", "省级", OutputGrid.Difference(site.Clip(general), coreDegrees)),
            new("汉川湖区湿地公园", "自然公园", "一般控制区", "国家级", site.Clip(lake.Buffer(1500))),
        };
        var inCore = core.InteriorPoint.Coordinate;
        planted.Add(new PlantedChange(inCore.X, inCore.Y, "自然保护区核心保护区内新增建设", "0301", "0702"));
        return (reserves, core);
    }

    private static Polygon ReserveBlock(List<Polygon> forest) => forest.MaxBy(b => b.Area)!;

    /// <summary>Cuts a disc centred on the block's edge, sized so that the loss is 8–25 ha; returns what is left.</summary>
    private static Geometry Bite(Frame frame, Geometry block, Coordinate centre, GeometryFactory f)
    {
        var before = OutputGrid.Area(block);
        var radius = 280.0;
        for (var i = 0; i < 8; i++)
        {
            var disc = frame.Plane.ToDegrees(f.CreatePoint(centre).Buffer(radius, 16));
            var rest = OutputGrid.Difference(block, disc);
            var lossHa = (before - OutputGrid.Area(rest)) / 1e4;
            if (lossHa is >= 8 and <= 25)
            {
                return rest;
            }

            radius *= Math.Sqrt(15 / Math.Max(lossHa, 0.5));
        }

        throw new InvalidOperationException("Could not size the red-line bite to 8–25 ha.");
    }

    private static Geometry FlatBuffer(Geometry line, double halfWidth) =>
        line.Buffer(halfWidth, new BufferParameters(16, EndCapStyle.Flat));

    private static double Distance((double X, double Y) a, (double X, double Y) b) =>
        Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    /// <summary>What the zone builders share: the frame, the towns, the seeded draws and quick spatial tests.</summary>
    private sealed class Layout
    {
        private readonly IndexedPointInAreaLocator _inside;
        private readonly IndexedFacetDistance _border, _river;
        private readonly Noise _shape;

        public Layout(Frame frame, IReadOnlyList<Town> towns, long seed)
        {
            Frame = frame;
            Towns = towns;
            Draws = new Draws(seed, Stream);
            River = new LengthIndexedLine(frame.RiverMetres);
            _shape = new Noise(seed, Stream + 1, 1500, 2);
            _inside = new IndexedPointInAreaLocator(frame.OutlineMetres);
            _border = new IndexedFacetDistance(frame.OutlineMetres.Boundary);
            _river = new IndexedFacetDistance(frame.RiverMetres);
        }

        public Frame Frame { get; }

        public IReadOnlyList<Town> Towns { get; }

        public Draws Draws { get; }

        /// <summary>The river centre line by length from its upstream end.</summary>
        public LengthIndexedLine River { get; }

        public bool Inside(double x, double y) => _inside.Locate(new Coordinate(x, y)) == Location.Interior;

        public double ToBorder(double x, double y) => _border.Distance(LocalPlane.MetricFactory.CreatePoint(new Coordinate(x, y)));

        public double ToRiver(double x, double y) => _river.Distance(LocalPlane.MetricFactory.CreatePoint(new Coordinate(x, y)));

        public bool OnPlain((double X, double Y) p) =>
            Towns.Any(t => !t.Hills && t.Area.Contains(Frame.Plane.ToDegreesPoint(p)));

        /// <summary>A metric polygon in lon/lat, clipped to the outline, on the grid.</summary>
        public Geometry Clip(Geometry metres) => OutputGrid.Intersection(Frame.Plane.ToDegrees(metres), Frame.Outline);

        /// <summary>
        /// The river position nearest to <paramref name="target"/> whose whole 二级 reach (3 km up, 300 m down)
        /// lies in the frame, at least 15 km from every position in <paramref name="others"/>.
        /// </summary>
        public double ReachNear(double target, IReadOnlyList<double> others)
        {
            var best = double.NaN;
            for (var s = River.StartIndex + 3500; s < River.EndIndex - 500; s += 250)
            {
                if ((double.IsNaN(best) || Math.Abs(s - target) < Math.Abs(best - target))
                    && others.All(o => Math.Abs(o - s) > 15_000)
                    && Enumerable.Range(0, 34).Select(k => River.ExtractPoint(s - 3000 + 100 * k)).All(p => Inside(p.X, p.Y)))
                {
                    best = s;
                }
            }

            return double.IsNaN(best) ? throw new InvalidOperationException("No river reach inside the frame for a water source.") : best;
        }

        /// <summary>A point <paramref name="offset"/> metres left of the river at <paramref name="s"/> (negative: right),
        /// or on the other bank if that one is outside the frame.</summary>
        public PlantedChange Bank(double s, double offset, string why, string from, string to) =>
            TryBank(s, offset, why, from, to)
            ?? throw new InvalidOperationException($"No bank point inside the frame near {s:F0} m along the river.");

        public PlantedChange? TryBank(double s, double offset, string why, string from, string to)
        {
            var a = River.ExtractPoint(s - 10);
            var b = River.ExtractPoint(s + 10);
            var length = a.Distance(b);
            var (nx, ny) = (-(b.Y - a.Y) / length, (b.X - a.X) / length);
            var p = River.ExtractPoint(s);
            foreach (var side in new[] { offset, -offset })
            {
                var (x, y) = (p.X + side * nx, p.Y + side * ny);
                if (Inside(x, y))
                {
                    return new PlantedChange(x, y, why, from, to);
                }
            }

            return null;
        }

        /// <summary>The first seeded point of the frame's envelope that <paramref name="accept"/> takes.</summary>
        public (double X, double Y) Place(int attempts, Func<(double X, double Y), bool> accept)
        {
            var env = Frame.OutlineMetres.EnvelopeInternal;
            for (var i = 0; i < attempts; i++)
            {
                var p = (Draws.Next(env.MinX, env.MaxX), Draws.Next(env.MinY, env.MaxY));
                if (accept(p))
                {
                    return p;
                }
            }

            throw new InvalidOperationException("Could not place a synthetic zone inside the frame.");
        }

        /// <summary>A smooth star-shaped polygon of about <paramref name="radius"/> metres around a centre.</summary>
        public Polygon Blob((double X, double Y) centre, double radius)
        {
            const int N = 96;
            var ring = new Coordinate[N + 1];
            for (var k = 0; k < N; k++)
            {
                var angle = 2 * Math.PI * k / N;
                var (c, s) = (Math.Cos(angle), Math.Sin(angle));
                var r = radius * (0.65 + 0.7 * _shape.At(centre.X + radius * c, centre.Y + radius * s));
                ring[k] = new Coordinate(centre.X + r * c, centre.Y + r * s);
            }

            ring[N] = ring[0].Copy();
            return LocalPlane.MetricFactory.CreatePolygon(ring);
        }
    }
}
