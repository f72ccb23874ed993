using EcoSpatial.SpatialCore;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Distance;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace EcoSpatial.DemoCity;

/// <summary>A town (乡镇/街道) of the demo city. Its name is real; its boundary, centre and terrain are synthetic.</summary>
/// <param name="Code">XZQDM: the county code and three digits, e.g. 420984001.</param>
/// <param name="Name">XZQMC.</param>
/// <param name="Hills">True for 丘陵 (hills), false for 平原 (plain).</param>
/// <param name="Centre">The town centre on the metric plane (the seed of its Voronoi cell).</param>
/// <param name="UrbanRadius">Radius of its built-up core, metres.</param>
/// <param name="Area">Its boundary in lon/lat, on the output grid.</param>
internal sealed record Town(string Code, string Name, bool Hills, (double X, double Y) Centre, double UrbanRadius, Geometry Area)
{
    /// <summary>DXLB terrain class.</summary>
    public string Terrain => Hills ? "丘陵" : "平原";
}

/// <summary>
/// Splits the frame into 10–14 towns: the Voronoi cells of seeded centres (the first one is the real city seat),
/// clipped to the outline, so the towns tile it. The towns in the north-west are hills, the rest plain.
/// </summary>
internal static class Towns
{
    /// <summary>Real town names of 汉川市, the seat first. Which area carries which name is synthetic.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "仙女山街道", "马口镇", "脉旺镇", "城隍镇", "分水镇", "沉湖镇", "田二河镇", "回龙镇", "新堰镇", "垌冢镇",
        "麻河镇", "刘家隔镇", "新河镇", "庙头镇", "杨林沟镇", "韩集乡", "南河乡", "里潭乡", "西江乡",
    ];

    private const long Stream = 100;

    public static IReadOnlyList<Town> Build(Frame frame, long seed)
    {
        var draws = new Draws(seed, Stream);
        var count = 10 + draws.NextInt(5);
        var centres = Centres(frame, draws, count);

        var env = frame.OutlineMetres.EnvelopeInternal;
        var margin = 20_000.0;
        var bounds = new List<(double X, double Y)>
        {
            (env.MinX - margin, env.MinY - margin), (env.MaxX + margin, env.MinY - margin),
            (env.MaxX + margin, env.MaxY + margin), (env.MinX - margin, env.MaxY + margin),
        };
        var sites = centres.Select((c, i) => new Site(i, c.X, c.Y)).ToList();

        // The north-west towns (by x − y on the plane, the seat excepted) are hills: about a quarter of them.
        var hills = sites.Skip(1)
            .OrderByDescending(s => (s.Y - env.Centre.Y) / env.Height - (s.X - env.Centre.X) / env.Width)
            .Take(count / 4)
            .Select(s => s.Id)
            .ToHashSet();

        var towns = new List<Town>(count);
        var crossings = new List<(Coordinate At, Coordinate Snapped)>();
        foreach (var site in sites)
        {
            var others = sites.Where(s => s.Id != site.Id)
                .OrderBy(s => (s.X - site.X) * (s.X - site.X) + (s.Y - site.Y) * (s.Y - site.Y))
                .ToList();
            var (cell, _) = Voronoi.Cell(site, others, bounds);
            var area = Clip(frame, cell, crossings);
            var index = (int)site.Id;
            var urbanRadius = index == 0 ? 2300 : 600 + 400 * draws.Next();
            towns.Add(new Town(
                $"{Frame.CountyCode}{index + 1:D3}", Names[index], hills.Contains(site.Id), (site.X, site.Y),
                urbanRadius, area));
        }

        return towns;
    }

    /// <summary>
    /// The cell clipped to the outline, with every vertex on the output grid, such that the towns tile the outline
    /// exactly up to micrometre offsets. The cell's own vertices are rounded first (neighbours round the same
    /// circumcentres alike). Where a cell edge crosses the outline, the crossing is generally not a grid point, and
    /// rounding it would nick the outline (by up to ~0.1 m² on its ≤ 20 m edges; ~1 m² without the densification).
    /// Instead the crossing moves along the outline segment, by at most ~20 m, to the grid point nearest to the
    /// segment's line. The towns that share a crossing share the choice through <paramref name="crossings"/>.
    /// </summary>
    private static Geometry Clip(Frame frame, List<(double X, double Y)> cell, List<(Coordinate At, Coordinate Snapped)> crossings)
    {
        var ring = cell.Append(cell[0])
            .Select(v => frame.Plane.ToDegrees(v.X, v.Y))
            .Select(d => new Coordinate(OutputGrid.Round(d.Lon), OutputGrid.Round(d.Lat)))
            .ToArray();
        var cellDegrees = Srid.Cgcs2000Factory.CreatePolygon(ring);
        var clipped = OutputGrid.Polygonal(OverlayNGRobust.Overlay(cellDegrees, frame.Outline, SpatialFunction.Intersection));

        Coordinate Snap(Coordinate c)
        {
            if (OutputGrid.Round(c.X) == c.X && OutputGrid.Round(c.Y) == c.Y)
            {
                return c;
            }

            foreach (var (at, snapped) in crossings)
            {
                if (at.Distance(c) < 1e-9)
                {
                    return snapped.Copy();
                }
            }

            var result = SnapToSegment(c, NearestSegment(frame.Outline, c));
            crossings.Add((c.Copy(), result));
            return result.Copy();
        }

        var factory = Srid.Cgcs2000Factory;
        var polygons = new List<Polygon>();
        for (var i = 0; i < clipped.NumGeometries; i++)
        {
            var polygon = (Polygon)clipped.GetGeometryN(i);
            var rings = polygon.InteriorRings.Prepend(polygon.ExteriorRing)
                .Select(r => CoordinateArrays.RemoveRepeatedPoints(r.Coordinates.Select(Snap).ToArray()))
                .ToList();
            if (rings[0].Length < 4)
            {
                continue;
            }

            polygons.Add(factory.CreatePolygon(
                factory.CreateLinearRing(rings[0]),
                rings.Skip(1).Where(r => r.Length >= 4).Select(factory.CreateLinearRing).ToArray()));
        }

        Geometry result = polygons.Count == 1 ? polygons[0] : factory.CreateMultiPolygon([.. polygons]);
        if (!result.IsValid)
        {
            throw new InvalidOperationException("A town boundary became invalid when snapped to the outline.");
        }

        return result;
    }

    private static (Coordinate A, Coordinate B) NearestSegment(Geometry outline, Coordinate c)
    {
        var best = (Distance: double.MaxValue, A: c, B: c);
        foreach (var ring in LinearComponentExtracter.GetLines(outline).Select(l => l.Coordinates))
        {
            for (var i = 0; i + 1 < ring.Length; i++)
            {
                var d = DistanceComputer.PointToSegment(c, ring[i], ring[i + 1]);
                if (d < best.Distance)
                {
                    best = (d, ring[i], ring[i + 1]);
                }
            }
        }

        return (best.A, best.B);
    }

    /// <summary>
    /// The grid point within ~20 m of <paramref name="c"/>, between the segment's ends, that lies nearest to the
    /// segment's line (exact integer arithmetic in grid units). An end of the segment wins if it is in range.
    /// </summary>
    private static Coordinate SnapToSegment(Coordinate c, (Coordinate A, Coordinate B) segment)
    {
        const long Window = 2000; // grid units of 1e-7°: about 20 m
        static long Units(double v) => (long)Math.Round(v * 1e7);
        var (ax, ay, bx, by) = (Units(segment.A.X), Units(segment.A.Y), Units(segment.B.X), Units(segment.B.Y));
        var (px, py) = (Units(c.X), Units(c.Y));
        var alongX = Math.Abs(bx - ax) >= Math.Abs(by - ay);

        // Swap axes so that the segment runs mostly along the first one.
        var (u0, v0, du, dv, pu) = alongX ? (ax, ay, bx - ax, by - ay, px) : (ay, ax, by - ay, bx - ax, py);
        var lo = Math.Max(Math.Min(u0, u0 + du), pu - Window);
        var hi = Math.Min(Math.Max(u0, u0 + du), pu + Window);
        var best = (Cross: long.MaxValue, Offset: long.MaxValue, U: pu, V: 0L);
        for (var u = lo; u <= hi; u++)
        {
            var v = v0 + (long)Math.Round((double)dv * (u - u0) / du);
            var cross = Math.Abs(du * (v - v0) - dv * (u - u0));
            var offset = Math.Abs(u - pu);
            if (cross < best.Cross || (cross == best.Cross && offset < best.Offset))
            {
                best = (cross, offset, u, v);
            }
        }

        var (x, y) = alongX ? (best.U, best.V) : (best.V, best.U);
        return new Coordinate(x / 1e7, y / 1e7);
    }

    /// <summary>The seat, then seeded centres inside the outline, spread apart, ordered by distance from the seat.</summary>
    private static List<(double X, double Y)> Centres(Frame frame, Draws draws, int count)
    {
        var outline = frame.OutlineMetres;
        var env = outline.EnvelopeInternal;
        var inside = new IndexedPointInAreaLocator(outline);
        var border = new IndexedFacetDistance(outline.Boundary);
        var spacing = 0.8 * Math.Sqrt(outline.Area / count);
        var centres = new List<(double X, double Y)> { frame.SeatMetres };
        for (var attempt = 0; centres.Count < count; attempt++)
        {
            if (attempt % 2000 == 1999)
            {
                spacing *= 0.9; // the outline is odd-shaped: relax until enough centres fit
            }

            var p = new Coordinate(draws.Next(env.MinX, env.MaxX), draws.Next(env.MinY, env.MaxY));
            if (inside.Locate(p) == Location.Interior
                && border.Distance(LocalPlane.MetricFactory.CreatePoint(p)) > spacing / 3
                && centres.All(c => Math.Sqrt((c.X - p.X) * (c.X - p.X) + (c.Y - p.Y) * (c.Y - p.Y)) > spacing))
            {
                centres.Add((p.X, p.Y));
            }
        }

        var seat = centres[0];
        return [seat, .. centres.Skip(1).OrderBy(c => (c.X - seat.X) * (c.X - seat.X) + (c.Y - seat.Y) * (c.Y - seat.Y))];
    }
}

/// <summary>Which town a metric point lies in, by indexed point-in-polygon tests on the metric town areas.</summary>
internal sealed class TownIndex
{
    private readonly (Envelope Envelope, IndexedPointInAreaLocator Locator)[] _towns;

    public TownIndex(Frame frame, IReadOnlyList<Town> towns) =>
        _towns = towns.Select(t => frame.Plane.ToMetres(t.Area))
            .Select(g => (g.EnvelopeInternal, LandUse.Locator(g)))
            .ToArray();

    /// <summary>The index of the town whose interior holds (x, y), or null.</summary>
    public int? Locate(double x, double y)
    {
        var p = new Coordinate(x, y);
        for (var i = 0; i < _towns.Length; i++)
        {
            if (_towns[i].Envelope.Contains(p) && _towns[i].Locator.Locate(p) == Location.Interior)
            {
                return i;
            }
        }

        return null;
    }
}
