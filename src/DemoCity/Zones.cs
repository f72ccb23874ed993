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
        var draws = new Draws(seed, Stream);
        var shapeNoise = new Noise(seed, Stream + 1, 1500, 2);
        var f = LocalPlane.MetricFactory;
        var outline = frame.OutlineMetres;
        var inside = new IndexedPointInAreaLocator(outline);
        var border = new IndexedFacetDistance(outline.Boundary);
        var river = new IndexedFacetDistance(frame.RiverMetres);
        bool Inside(double x, double y) => inside.Locate(new Coordinate(x, y)) == Location.Interior;
        double ToBorder(double x, double y) => border.Distance(f.CreatePoint(new Coordinate(x, y)));
        double ToRiver(double x, double y) => river.Distance(f.CreatePoint(new Coordinate(x, y)));
        var env = outline.EnvelopeInternal;
        var planted = new List<PlantedChange>();

        // Water sources: one intake upstream of the seat, one upstream of the riverside plain town farthest from it.
        var line = new LengthIndexedLine(frame.RiverMetres);
        var intakes = new List<(double S, Town Town)>();
        var seatIndex = line.Project(new Coordinate(frame.SeatMetres.X, frame.SeatMetres.Y));
        intakes.Add((UpstreamInside(line, seatIndex - 3000, Inside), towns[0]));
        var second = towns.Skip(1).Where(t => !t.Hills)
            .Select(t => (Town: t, S: line.Project(new Coordinate(t.Centre.X, t.Centre.Y))))
            .Where(t => Math.Abs(t.S - intakes[0].S) > 15_000 && ToRiver(t.Town.Centre.X, t.Town.Centre.Y) < 6000)
            .OrderBy(t => ToRiver(t.Town.Centre.X, t.Town.Centre.Y))
            .First();
        intakes.Add((UpstreamInside(line, second.S - 1500, Inside), second.Town));

        var waterSources = new List<WaterSourceZone>();
        Geometry level1All = f.CreatePolygon(), level2All = f.CreatePolygon();
        foreach (var (s, town) in intakes)
        {
            var name = $"汉川市{town.Name}汉江饮用水水源地";
            var level1 = FlatBuffer(line.ExtractLine(s - 1000, s + 100), Frame.RiverHalfWidth + 50);
            var level2 = FlatBuffer(line.ExtractLine(s - 3000, s + 300), Frame.RiverHalfWidth + 50 + 1000).Difference(level1);
            var level1Degrees = Clip(frame, level1);
            waterSources.Add(new WaterSourceZone(name, "一级", level1Degrees));
            waterSources.Add(new WaterSourceZone(name, "二级", OutputGrid.Difference(Clip(frame, level2), level1Degrees)));
            level1All = level1All.Union(level1);
            level2All = level2All.Union(level2);
        }

        // Planted: a house in the first 一级 zone, on its land strip; factories on the land of both 二级 zones.
        var (s1, _) = intakes[0];
        planted.Add(Bank(line, s1 - 400, 175, Inside, "一级水源保护区内新增建设", "0101", "0702"));
        planted.Add(Bank(line, s1 - 2000, 700, Inside, "二级水源保护区内新增工业", "0101", "0601"));
        planted.Add(Bank(line, intakes[1].S - 2500, -650, Inside, "二级水源保护区内新增工业", "0101", "0601"));

        // The lake: on the plain, away from the river, the border and the towns.
        var plain = towns.Where(t => !t.Hills).ToList();
        var lakeCentre = Place(draws, env, 4000, p =>
            Inside(p.X, p.Y) && ToBorder(p.X, p.Y) > 4500 && ToRiver(p.X, p.Y) > 6000
            && towns.All(t => Distance(t.Centre, p) > 4000)
            && plain.Any(t => t.Area.Contains(frame.Plane.ToDegreesPoint(p))));
        var lake = Blob(lakeCentre, 2400, shapeNoise);
        var lakeWater = Blob(lakeCentre, 1700, shapeNoise);

        // Red lines, each clipped to the outline and to what earlier ones left free.
        var redLines = new List<(string Name, string Function, Geometry Metres)>
        {
            ("汉江汉川段河流生态廊道", "水源涵养", FlatBuffer(frame.RiverMetres, Frame.RiverHalfWidth + 300)),
            ("湖区湿地生物多样性维护区", "生物多样性维护", lake.Buffer(300)),
        };

        var hills = towns.Where(t => t.Hills).Select(t => frame.Plane.ToMetres(t.Area)).Aggregate((a, b) => a.Union(b));
        var hillsInside = new IndexedPointInAreaLocator(hills);
        var hillsBorder = new IndexedFacetDistance(hills.Boundary);
        var forest = new List<Polygon>();
        var hillEnv = hills.EnvelopeInternal;
        for (var attempt = 0; attempt < 4000 && forest.Count < 6; attempt++)
        {
            var radius = draws.Next(1100, 2200);
            var p = (X: draws.Next(hillEnv.MinX, hillEnv.MaxX), Y: draws.Next(hillEnv.MinY, hillEnv.MaxY));
            if (hillsInside.Locate(new Coordinate(p.X, p.Y)) == Location.Interior
                && hillsBorder.Distance(f.CreatePoint(new Coordinate(p.X, p.Y))) > 0.6 * radius
                && towns.All(t => Distance(t.Centre, p) > radius + 1500)
                && forest.All(b => b.Distance(f.CreatePoint(new Coordinate(p.X, p.Y))) > radius + 1200))
            {
                forest.Add(Blob(p, radius, shapeNoise));
            }
        }

        var forestFunctions = new[] { "水土保持", "水源涵养", "生物多样性维护" };
        redLines.AddRange(forest.Select((b, i) => ($"西北丘陵森林生态保护区{i + 1}", forestFunctions[i % 3], (Geometry)b)));

        for (var i = 0; i < 2; i++)
        {
            var radius = draws.Next(550, 850);
            var p = Place(draws, env, 4000, q =>
                Inside(q.X, q.Y) && ToRiver(q.X, q.Y) is var d && d > 450 + radius + 300 && d < 4000
                && ToBorder(q.X, q.Y) > radius + 500
                && towns.All(t => Distance(t.Centre, q) > t.UrbanRadius * 1.5 + radius + 500)
                && intakes.All(k => line.ExtractPoint(k.S).Distance(new Coordinate(q.X, q.Y)) > 6000)
                && plain.Any(t => t.Area.Contains(frame.Plane.ToDegreesPoint(q))));
            redLines.Add(($"沿江湿地生态保护区{i + 1}", "生物多样性维护", Blob(p, radius, shapeNoise)));
        }

        Geometry taken = Srid.Cgcs2000Factory.CreatePolygon();
        var redLinesDegrees = new List<(string Name, string Function, Geometry Area)>();
        foreach (var (name, function, metres) in redLines)
        {
            var area = OutputGrid.Difference(Clip(frame, metres), taken);
            redLinesDegrees.Add((name, function, area));
            taken = taken.IsEmpty ? area : OutputGrid.Union(taken, area);
        }

        // The 2023 loss: a bite out of the forest block nearest to a town, on its side facing that town.
        var reserveBlock = forest.OrderByDescending(b => b.Area).First();
        var bitten = forest.Where(b => b != reserveBlock)
            .OrderBy(b => towns.Min(t => b.Distance(f.CreatePoint(new Coordinate(t.Centre.X, t.Centre.Y)))))
            .First();
        var bittenIndex = 2 + forest.IndexOf(bitten);
        var nearestTown = towns.OrderBy(t => bitten.Distance(f.CreatePoint(new Coordinate(t.Centre.X, t.Centre.Y)))).First();
        var biteCentre = DistanceOp.NearestPoints(bitten.ExteriorRing, f.CreatePoint(new Coordinate(nearestTown.Centre.X, nearestTown.Centre.Y)))[0];
        var (bittenArea, biteRadius) = Bite(frame, redLinesDegrees[bittenIndex].Area, biteCentre, f);
        planted.Add(new PlantedChange(biteCentre.X, biteCentre.Y, "生态保护红线内新增工业 (红线调出)", "0301", "0601"));

        var red = redLinesDegrees.Select((r, i) => new RedLine(
            $"{Frame.CountyCode}-HX-{i + 1:D3}", r.Name, r.Function, r.Area, i == bittenIndex ? bittenArea : r.Area)).ToList();

        // More planted cases in the red lines: a house in another forest block, a factory on the river corridor bank.
        var otherBlock = forest.First(b => b != reserveBlock && b != bitten);
        var inBlock = otherBlock.InteriorPoint.Coordinate;
        planted.Add(new PlantedChange(inBlock.X, inBlock.Y, "生态保护红线内新增建设", "0301", "0702"));
        var corridorPoint = Enumerable.Range(0, 400)
            .Select(k => intakes.Max(i => i.S) + 6000 + 250.0 * k)
            .Where(s => s < line.EndIndex && intakes.All(i => Math.Abs(i.S - s) > 6000))
            .Select(s => TryBank(line, s, 330, Inside, "生态保护红线内新增工业", "0101", "0601"))
            .FirstOrDefault(p => p is not null)
            ?? throw new InvalidOperationException("No river bank in the frame downstream of the intakes.");
        planted.Add(corridorPoint);

        // Protected areas: a provincial nature reserve on the largest forest block, a national wetland park on the lake.
        var core = reserveBlock.Buffer(-350);
        var general = reserveBlock.Buffer(1200).Difference(core);
        var coreDegrees = Clip(frame, core);
        var park = lake.Buffer(1500);
        var reserves = new List<Reserve>
        {
            new("汉川西北丘陵自然保护区", "自然保护区", "核心保护区", "省级", coreDegrees),
            new("汉川西北丘陵自然保护区", "自然保护区", "一般控制区", "省级", OutputGrid.Difference(Clip(frame, general), coreDegrees)),
            new("汉川湖区湿地公园", "自然公园", "一般控制区", "国家级", Clip(frame, park)),
        };
        var inCore = core.InteriorPoint.Coordinate;
        planted.Add(new PlantedChange(inCore.X, inCore.Y, "自然保护区核心保护区内新增建设", "0301", "0702"));

        var strict = f.BuildGeometry(redLines.Select(r => r.Metres).Append(core).Append(level1All)).Union();
        return new Zones(red, reserves, waterSources, planted, lake, lakeWater,
            f.BuildGeometry(forest).Union(), strict, level2All.Difference(level1All));
    }

    /// <summary>Cuts a disc centred on the block's edge, sized so the loss is 8–25 ha; returns the rest and the radius.</summary>
    private static (Geometry Remaining, double Radius) Bite(Frame frame, Geometry block, Coordinate centre, GeometryFactory f)
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
                return (rest, radius);
            }

            radius *= Math.Sqrt(15 / Math.Max(lossHa, 0.5));
        }

        throw new InvalidOperationException("Could not size the red-line bite to 8–25 ha.");
    }

    /// <summary>A point on the bank, <paramref name="offset"/> metres left of the river at <paramref name="s"/>
    /// (negative: right), moved to the other bank if it falls outside the frame.</summary>
    private static PlantedChange Bank(
        LengthIndexedLine line, double s, double offset, Func<double, double, bool> inside, string why, string from, string to) =>
        TryBank(line, s, offset, inside, why, from, to)
        ?? throw new InvalidOperationException($"No bank point inside the frame near {s:F0} m along the river.");

    private static PlantedChange? TryBank(
        LengthIndexedLine line, double s, double offset, Func<double, double, bool> inside, string why, string from, string to)
    {
        foreach (var side in new[] { offset, -offset })
        {
            var a = line.ExtractPoint(s - 10);
            var b = line.ExtractPoint(s + 10);
            var len = a.Distance(b);
            var (nx, ny) = (-(b.Y - a.Y) / len, (b.X - a.X) / len);
            var p = line.ExtractPoint(s);
            var (x, y) = (p.X + side * nx, p.Y + side * ny);
            if (inside(x, y))
            {
                return new PlantedChange(x, y, why, from, to);
            }
        }

        return null;
    }

    /// <summary>The first position at or upstream of <paramref name="s"/> whose whole 二级 reach lies in the frame.</summary>
    private static double UpstreamInside(LengthIndexedLine line, double s, Func<double, double, bool> inside)
    {
        for (var candidate = s; candidate > line.StartIndex + 3500; candidate -= 250)
        {
            var reachInside = Enumerable.Range(0, 34)
                .Select(k => line.ExtractPoint(candidate - 3000 + 100 * k))
                .All(p => inside(p.X, p.Y));
            if (reachInside)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No river reach inside the frame for a water source.");
    }

    private static (double X, double Y) Place(Draws draws, Envelope env, int attempts, Func<(double X, double Y), bool> accept)
    {
        for (var i = 0; i < attempts; i++)
        {
            var p = (draws.Next(env.MinX, env.MaxX), draws.Next(env.MinY, env.MaxY));
            if (accept(p))
            {
                return p;
            }
        }

        throw new InvalidOperationException("Could not place a synthetic zone inside the frame.");
    }

    /// <summary>A smooth star-shaped polygon of about <paramref name="radius"/> metres around a centre.</summary>
    private static Polygon Blob((double X, double Y) centre, double radius, Noise noise)
    {
        const int N = 96;
        var ring = new Coordinate[N + 1];
        for (var k = 0; k < N; k++)
        {
            var angle = 2 * Math.PI * k / N;
            var (c, s) = (Math.Cos(angle), Math.Sin(angle));
            var r = radius * (0.65 + 0.7 * noise.At(centre.X + radius * c, centre.Y + radius * s));
            ring[k] = new Coordinate(centre.X + r * c, centre.Y + r * s);
        }

        ring[N] = ring[0].Copy();
        return LocalPlane.MetricFactory.CreatePolygon(ring);
    }

    private static Geometry FlatBuffer(Geometry line, double halfWidth) =>
        line.Buffer(halfWidth, new BufferParameters(16, EndCapStyle.Flat));

    private static Geometry Clip(Frame frame, Geometry metres) =>
        OutputGrid.Intersection(frame.Plane.ToDegrees(metres), frame.Outline);

    private static double Distance((double X, double Y) a, (double X, double Y) b) =>
        Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
}
