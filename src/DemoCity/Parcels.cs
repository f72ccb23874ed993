using EcoSpatial.SpatialCore;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Distance;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace EcoSpatial.DemoCity;

/// <summary>A land-use parcel (图斑) in both years: same geometry, class possibly changed in 2023.</summary>
/// <param name="Town">Index of the town it lies in.</param>
/// <param name="Geometry">Lon/lat, valid, on the output grid.</param>
/// <param name="AreaM2">Ellipsoidal area, m².</param>
/// <param name="Class2021">DLBM in 2021.</param>
/// <param name="Class2023">DLBM in 2023.</param>
internal sealed record Parcel(int Town, Geometry Geometry, double AreaM2, string Class2021, string Class2023);

/// <summary>
/// Cuts the frame into parcels: the Voronoi cells of a jittered grid of seeded sites (one per grid square, so a
/// cell only depends on its 7×7 neighbourhood and rows can be made in parallel and streamed), clipped to the towns
/// with the river surface carved out. The river surface of each town is one 1101 parcel.
/// </summary>
/// <remarks>
/// A cell whose 5×5 squares hold no town or river boundary, or that is farther from every boundary than its own
/// radius, lies inside one town: its vertices are just rounded to the grid. Only cells that cross a boundary go
/// through a snap-rounding overlay, with the town's land clipped to a tile.
/// </remarks>
internal sealed class Parcels
{
    private const long Stream = 200;
    private const int Reach = 3; // neighbours within ±3 squares: a cell's radius is < √2 squares
    private const int RowsPerBatch = 24;

    private readonly LocalPlane _plane;
    private readonly long _seed;
    private readonly double _ox, _oy;
    private readonly int _nx, _ny;
    private readonly Envelope _outlineEnvelope;
    private readonly Geometry[] _land, _water;
    private readonly (Envelope Envelope, IndexedPointInAreaLocator Locator)[] _landMetres;
    private readonly bool[] _nearBoundary;
    private readonly IndexedFacetDistance _boundaries;
    private readonly int _tileSquares, _tilesX;
    private readonly Lazy<Geometry?[]>[] _tiles;
    private readonly LandUse _landUse;
    private readonly Dictionary<long, List<PlantedChange>> _planted = [];
    private readonly ThreadLocal<IPreparedGeometry> _protected;

    public Parcels(Frame frame, IReadOnlyList<Town> towns, Zones zones, long seed, int requested)
    {
        _plane = frame.Plane;
        _seed = seed;
        _land = towns.Select(t => OutputGrid.Difference(t.Area, frame.RiverSurface)).ToArray();
        _water = towns.Select(t => OutputGrid.Intersection(t.Area, frame.RiverSurface)).ToArray();
        var landMetres = _land.Select(_plane.ToMetres).ToArray();
        _landMetres = landMetres.Select(g => (g.EnvelopeInternal, LandUse.Locator(g))).ToArray();

        // A few percent more sites than asked: boundary cells split, but the count must not fall short.
        var landArea = landMetres.Sum(g => g.Area);
        Spacing = Math.Sqrt(landArea / (requested * 1.03));
        _outlineEnvelope = frame.OutlineMetres.EnvelopeInternal;
        _ox = _outlineEnvelope.MinX - 4 * Spacing;
        _oy = _outlineEnvelope.MinY - 4 * Spacing;
        _nx = (int)Math.Ceiling(_outlineEnvelope.Width / Spacing) + 8;
        _ny = (int)Math.Ceiling(_outlineEnvelope.Height / Spacing) + 8;
        _nearBoundary = NearBoundary(landMetres);
        _boundaries = new IndexedFacetDistance(LocalPlane.MetricFactory.BuildGeometry(
            landMetres.SelectMany(g => LinearComponentExtracter.GetLines(g)).ToArray()));
        _boundaries.Distance(LocalPlane.MetricFactory.CreatePoint(new Coordinate(0, 0)));
        _tileSquares = (int)Math.Ceiling(Math.Max(16 * Spacing, 1500) / Spacing);
        _tilesX = (_nx + _tileSquares - 1) / _tileSquares;
        var tilesY = (_ny + _tileSquares - 1) / _tileSquares;
        _tiles = Enumerable.Range(0, _tilesX * tilesY)
            .Select(t => new Lazy<Geometry?[]>(() => Tile(t % _tilesX, t / _tilesX)))
            .ToArray();

        _landUse = new LandUse(frame, towns, new TownIndex(frame, towns), zones, seed, Spacing);
        foreach (var p in zones.Planted)
        {
            var cell = NearestSite(p.X, p.Y).Id;
            _planted.TryAdd(cell, []);
            _planted[cell].Add(p);
        }

        var protectedDegrees = _plane.ToDegrees(zones.StrictMetres.Union(zones.Level2Metres));
        _protected = new ThreadLocal<IPreparedGeometry>(() => PreparedGeometryFactory.Prepare(protectedDegrees));
    }

    /// <summary>Distance between neighbouring sites, metres.</summary>
    public double Spacing { get; }

    /// <summary>The river-surface parcels (河流水面), one per town the river crosses.</summary>
    public IEnumerable<Parcel> Water() =>
        _water.Select((g, town) => (g, town))
            .Where(w => !w.g.IsEmpty)
            .Select(w => new Parcel(w.town, Checked(w.g), OutputGrid.Area(w.g), "1101", "1101"));

    /// <summary>The land parcels, south to north, in batches of rows made in parallel.</summary>
    public IEnumerable<IReadOnlyList<Parcel>> Land()
    {
        for (var j0 = 0; j0 < _ny; j0 += RowsPerBatch)
        {
            var rows = new List<Parcel>[Math.Min(RowsPerBatch, _ny - j0)];
            Parallel.For(0, rows.Length, k => rows[k] = Row(j0 + k));
            yield return rows.SelectMany(r => r).ToList();
        }
    }

    private List<Parcel> Row(int j)
    {
        var result = new List<Parcel>();
        for (var i = 0; i < _nx; i++)
        {
            var site = Site(i, j);
            if (site.X < _outlineEnvelope.MinX - 3 * Spacing || site.X > _outlineEnvelope.MaxX + 3 * Spacing
                || site.Y < _outlineEnvelope.MinY - 3 * Spacing || site.Y > _outlineEnvelope.MaxY + 3 * Spacing)
            {
                continue;
            }

            var (cell, radius) = Voronoi.Cell(site, Neighbours(i, j), StartSquare(site));
            if (!_nearBoundary[j * _nx + i]
                || _boundaries.Distance(LocalPlane.MetricFactory.CreatePoint(new Coordinate(site.X, site.Y))) > radius + 0.05)
            {
                // Wholly inside one town's land, or wholly outside (beyond the frame, or in the river).
                if (LandAt(site.X, site.Y) is { } town)
                {
                    result.Add(Make(site, 0, town, Rounded(cell), site.X, site.Y));
                }

                continue;
            }

            var cellDegrees = _plane.ToDegrees(Polygon(cell));
            var tile = _tiles[(j / _tileSquares) * _tilesX + i / _tileSquares].Value;
            var piece = 0;
            for (var town = 0; town < _land.Length; town++)
            {
                if (tile[town] is not { } zone || !zone.EnvelopeInternal.Intersects(cellDegrees.EnvelopeInternal))
                {
                    continue;
                }

                var part = OutputGrid.Intersection(cellDegrees, zone);
                if (part.IsEmpty)
                {
                    continue;
                }

                var (x, y) = _landMetres[town].Locator.Locate(new Coordinate(site.X, site.Y)) == Location.Interior
                    ? (site.X, site.Y)
                    : _plane.ToMetres(part.InteriorPoint.X, part.InteriorPoint.Y);
                result.Add(Make(site, piece++, town, part, x, y));
            }
        }

        return result;
    }

    /// <summary>
    /// Marks the grid squares whose cells may touch a town or river boundary: every square that a boundary piece's
    /// bounding box touches, widened by two squares (a cell lies within √2 squares of its site).
    /// </summary>
    private bool[] NearBoundary(IEnumerable<Geometry> landMetres)
    {
        var marked = new bool[_nx * _ny];
        foreach (var line in landMetres.SelectMany(g => LinearComponentExtracter.GetLines(g).Cast<LineString>()))
        {
            var c = line.Coordinates;
            for (var k = 0; k + 1 < c.Length; k++)
            {
                var steps = (int)Math.Ceiling(c[k].Distance(c[k + 1]) / (Spacing / 2));
                for (var q = 0; q < steps; q++)
                {
                    var (t0, t1) = ((double)q / steps, (double)(q + 1) / steps);
                    var (x0, x1) = (c[k].X + t0 * (c[k + 1].X - c[k].X), c[k].X + t1 * (c[k + 1].X - c[k].X));
                    var (y0, y1) = (c[k].Y + t0 * (c[k + 1].Y - c[k].Y), c[k].Y + t1 * (c[k + 1].Y - c[k].Y));
                    for (var j = Square(Math.Min(y0, y1), _oy) - 2; j <= Square(Math.Max(y0, y1), _oy) + 2; j++)
                    {
                        for (var i = Square(Math.Min(x0, x1), _ox) - 2; i <= Square(Math.Max(x0, x1), _ox) + 2; i++)
                        {
                            if (i >= 0 && j >= 0 && i < _nx && j < _ny)
                            {
                                marked[j * _nx + i] = true;
                            }
                        }
                    }
                }
            }
        }

        return marked;
    }

    private int Square(double v, double origin) => (int)Math.Floor((v - origin) / Spacing);

    /// <summary>
    /// Each town's land clipped to one tile of the grid, widened by two squares so that it holds every cell whose
    /// site is in the tile. The clip keeps the land's own vertices exactly (floating overlay); the new vertices on the
    /// tile's edges lie outside those cells, so cutting a cell with the tile gives the same parcel as with the town.
    /// </summary>
    private Geometry?[] Tile(int ti, int tj)
    {
        var margin = 2 * Spacing;
        var min = _plane.ToDegrees(_ox + ti * _tileSquares * Spacing - margin, _oy + tj * _tileSquares * Spacing - margin);
        var max = _plane.ToDegrees(_ox + (ti + 1) * _tileSquares * Spacing + margin, _oy + (tj + 1) * _tileSquares * Spacing + margin);
        var box = Srid.Cgcs2000Factory.ToGeometry(new Envelope(min.Lon, max.Lon, min.Lat, max.Lat));
        return _land.Select(zone => zone.EnvelopeInternal.Intersects(box.EnvelopeInternal)
                && OutputGrid.Polygonal(OverlayNGRobust.Overlay(zone, box, SpatialFunction.Intersection)) is { IsEmpty: false } clipped
                ? clipped
                : null)
            .ToArray();
    }

    private Parcel Make(Site site, int piece, int town, Geometry geometry, double x, double y)
    {
        geometry = Checked(geometry);
        var planted = _planted.TryGetValue(site.Id, out var list)
            ? list.FirstOrDefault(p => geometry.Contains(_plane.ToDegreesPoint((p.X, p.Y))))
            : null;
        string class2021, class2023;
        if (planted is not null)
        {
            (class2021, class2023) = (planted.Class2021, planted.Class2023);
        }
        else
        {
            class2021 = _landUse.Classify(x, y, town);
            class2023 = _landUse.Grow(x, y, town, class2021, site.Id, piece) is { } grown
                && !_protected.Value!.Intersects(geometry) ? grown : class2021;
        }

        return new Parcel(town, geometry, OutputGrid.Area(geometry), class2021, class2023);
    }

    /// <summary>The cell's vertices rounded to the grid; a cell that rounding would fold is snap-rounded instead.</summary>
    private Geometry Rounded(List<(double X, double Y)> cell)
    {
        var ring = new List<Coordinate>(cell.Count + 1);
        foreach (var (x, y) in cell)
        {
            var (lon, lat) = _plane.ToDegrees(x, y);
            var c = new Coordinate(OutputGrid.Round(lon), OutputGrid.Round(lat));
            if (ring.Count == 0 || !ring[^1].Equals2D(c))
            {
                ring.Add(c);
            }
        }

        if (ring.Count > 1 && ring[^1].Equals2D(ring[0]))
        {
            ring.RemoveAt(ring.Count - 1);
        }

        if (ring.Count >= 3 && StrictlyConvex(ring))
        {
            ring.Add(ring[0].Copy());
            return Srid.Cgcs2000Factory.CreatePolygon([.. ring]);
        }

        return OutputGrid.Reduce(_plane.ToDegrees(Polygon(cell)));
    }

    private static bool StrictlyConvex(List<Coordinate> ring)
    {
        for (var k = 0; k < ring.Count; k++)
        {
            var (a, b, c) = (ring[k], ring[(k + 1) % ring.Count], ring[(k + 2) % ring.Count]);
            if ((b.X - a.X) * (c.Y - b.Y) - (b.Y - a.Y) * (c.X - b.X) <= 0)
            {
                return false;
            }
        }

        return true;
    }

    private static Geometry Checked(Geometry g) =>
        g.IsValid && !g.IsEmpty ? g : throw new InvalidOperationException($"Invalid parcel geometry: {g}");

    private int? LandAt(double x, double y)
    {
        var p = new Coordinate(x, y);
        for (var town = 0; town < _landMetres.Length; town++)
        {
            if (_landMetres[town].Envelope.Contains(p) && _landMetres[town].Locator.Locate(p) == Location.Interior)
            {
                return town;
            }
        }

        return null;
    }

    private Site Site(int i, int j)
    {
        var u = 0.05 + 0.9 * Hash.Unit(_seed, Stream, i, j);
        var v = 0.05 + 0.9 * Hash.Unit(_seed, Stream + 1, i, j);
        return new Site((long)j * _nx + i, _ox + (i + u) * Spacing, _oy + (j + v) * Spacing);
    }

    private List<Site> Neighbours(int i, int j)
    {
        var result = new List<Site>((2 * Reach + 1) * (2 * Reach + 1));
        var centre = Site(i, j);
        for (var dj = -Reach; dj <= Reach; dj++)
        {
            for (var di = -Reach; di <= Reach; di++)
            {
                var (ni, nj) = (i + di, j + dj);
                if ((di != 0 || dj != 0) && ni >= 0 && nj >= 0 && ni < _nx && nj < _ny)
                {
                    result.Add(Site(ni, nj));
                }
            }
        }

        result.Sort((a, b) => Distance2(centre, a).CompareTo(Distance2(centre, b)));
        return result;
    }

    private Site NearestSite(double x, double y)
    {
        var (i0, j0) = ((int)Math.Floor((x - _ox) / Spacing), (int)Math.Floor((y - _oy) / Spacing));
        var target = new Site(-1, x, y);
        return Enumerable.Range(-2, 5).SelectMany(dj => Enumerable.Range(-2, 5).Select(di => Site(i0 + di, j0 + dj)))
            .MinBy(s => Distance2(s, target))!;
    }

    private List<(double X, double Y)> StartSquare(Site s)
    {
        var h = 1.5 * Spacing; // a cell lies within √2 squares of its site
        return [(s.X - h, s.Y - h), (s.X + h, s.Y - h), (s.X + h, s.Y + h), (s.X - h, s.Y + h)];
    }

    private static Polygon Polygon(List<(double X, double Y)> cell) =>
        LocalPlane.MetricFactory.CreatePolygon(cell.Append(cell[0]).Select(v => new Coordinate(v.X, v.Y)).ToArray());

    private static double Distance2(Site a, Site b) => (a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y);
}
