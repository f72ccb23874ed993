using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Distance;

namespace EcoSpatial.DemoCity;

/// <summary>
/// The GB/T 21010-2017 (三调) second-level classes the generator uses, named as in the project's code table
/// (domain reference §5.1), which shortens a few official names (0601 工业, 0701 城镇住宅, 1003 公路).
/// </summary>
internal static class LandClasses
{
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>
    {
        ["0101"] = "水田",
        ["0102"] = "水浇地",
        ["0103"] = "旱地",
        ["0201"] = "果园",
        ["0301"] = "乔木林地",
        ["0305"] = "灌木林地",
        ["0307"] = "其他林地",
        ["0404"] = "其他草地",
        ["0601"] = "工业",
        ["0701"] = "城镇住宅",
        ["0702"] = "农村宅基地",
        ["1003"] = "公路",
        ["1006"] = "农村道路",
        ["1101"] = "河流水面",
        ["1102"] = "湖泊水面",
        ["1104"] = "坑塘水面",
        ["1107"] = "沟渠",
        ["1108"] = "沼泽地",
    };

    /// <summary>建设用地 per GB/T 21010 附录A: 05–09, 10 except 1006, 1109, 1201.</summary>
    public static bool IsConstruction(string code) =>
        code[..2] is "05" or "06" or "07" or "08" or "09" || (code[..2] == "10" && code != "1006") || code is "1109" or "1201";
}

/// <summary>
/// Decides the land-use class at a point from smooth seeded fields, so classes form patches: built-up cores around
/// town centres, villages in clusters, ponds near water, paddy as the matrix of the plain, forest in the hills.
/// Thresholds are shares of area, because every noise field is remapped to [0, 1] by its own distribution.
/// </summary>
internal sealed class LandUse
{
    private const long Stream = 400;
    private const double GrowthTarget = 0.02;

    private readonly IReadOnlyList<Town> _towns;
    private readonly double _spacing;
    private readonly long _seed;
    private readonly IndexedPointInAreaLocator _lake, _lakeWater, _forestBlocks, _strict, _level2;
    private readonly (double X0, double Y0, double X1, double Y1)[] _roads;
    private readonly DistanceGrid _toWater;
    private readonly UniformField _urban, _industry, _village, _pond, _orchard, _crop, _hill, _forest, _wet;
    private readonly (double Cos, double Sin, double Spacing, double Phase) _canals, _fieldRoads;
    private readonly double _growthScale;

    /// <summary>
    /// Builds the fields and calibrates them on seeded sample points of the frame. <paramref name="spacing"/> is the
    /// parcel spacing in metres: linear classes (roads, canals) are about one parcel wide.
    /// </summary>
    public LandUse(Frame frame, IReadOnlyList<Town> towns, TownIndex townIndex, Zones zones, long seed, double spacing)
    {
        _towns = towns;
        _spacing = spacing;
        _seed = seed;
        _lake = Locator(zones.LakeMetres);
        _lakeWater = Locator(zones.LakeWaterMetres);
        _forestBlocks = Locator(zones.ForestBlocksMetres);
        _strict = Locator(zones.StrictMetres);
        _level2 = Locator(zones.Level2Metres);
        _roads = Roads(towns);

        var samples = Samples(frame, townIndex, seed, 20_000);
        var plainSamples = samples.Where(s => !towns[s.Town].Hills).Select(s => (s.X, s.Y)).ToList();
        var allSamples = samples.Select(s => (s.X, s.Y)).ToList();
        var water = new IndexedFacetDistance(LocalPlane.MetricFactory.BuildGeometry([frame.RiverMetres, zones.LakeMetres.Boundary]));
        _toWater = new DistanceGrid(frame.OutlineMetres.EnvelopeInternal, 400,
            (x, y) => water.Distance(LocalPlane.MetricFactory.CreatePoint(new Coordinate(x, y))));
        var pondNoise = new Noise(seed, Stream + 4, 1500);

        _urban = Field(5, 1200, allSamples);
        _industry = Field(6, 900, allSamples);
        _village = Field(7, 700, allSamples, octaves: 2);
        _orchard = Field(8, 2500, allSamples);
        _crop = Field(9, 2000, allSamples);
        _hill = Field(10, 3000, allSamples);
        _forest = Field(11, 1500, allSamples);
        _wet = Field(12, 600, allSamples);
        _pond = new UniformField(
            (x, y) => pondNoise.At(x, y) - 0.6 * Math.Min(_toWater.At(x, y), 8000) / 8000, plainSamples);

        var draws = new Draws(seed, Stream + 20);
        var angle = draws.Next(0, Math.PI / 2);
        _canals = (Math.Cos(angle), Math.Sin(angle), 36 * spacing, draws.Next());
        _fieldRoads = (Math.Cos(angle + Math.PI / 2), Math.Sin(angle + Math.PI / 2), 40 * spacing, draws.Next());

        _growthScale = CalibrateGrowth(samples);

        UniformField Field(long stream, double wavelength, List<(double X, double Y)> points, int octaves = 3)
        {
            var noise = new Noise(seed, Stream + stream, wavelength, octaves);
            return new UniformField(noise.At, points);
        }
    }

    /// <summary>The 2021 class at (x, y) metres in town <paramref name="town"/>.</summary>
    public string Classify(double x, double y, int town)
    {
        var t = _towns[town];
        var p = new Coordinate(x, y);
        if (_lakeWater.Locate(p) != Location.Exterior)
        {
            return "1102";
        }

        if (_lake.Locate(p) != Location.Exterior)
        {
            return _wet.At(x, y) > 0.5 ? "1108" : "1104";
        }

        var code = t.Hills ? Hills(x, y, t, p) : Plain(x, y, t, p);

        // The 2021 baseline respects the rules: no construction in red lines, cores and 一级 zones, no industry in 二级.
        if (LandClasses.IsConstruction(code) && _strict.Locate(p) != Location.Exterior)
        {
            return t.Hills ? "0307" : "0101";
        }

        return code == "0601" && _level2.Locate(p) != Location.Exterior ? "0701" : code;
    }

    /// <summary>
    /// The 2023 class of a farmland parcel that is built over (urban growth, likelier near town centres), or null
    /// if it stays as it was. Parcels that touch protected zones never grow; the planted changes cover those.
    /// </summary>
    public string? Grow(double x, double y, int town, string class2021, long cell, int piece)
    {
        if (class2021 is not ("0101" or "0102" or "0103" or "0201" or "0404"))
        {
            return null;
        }

        var t = _towns[town];
        var d = Distance(t, x, y);
        if (Hash.Unit(_seed, Stream + 30, cell, piece) >= Math.Min(1, _growthScale * GrowthWeight(t, d)))
        {
            return null;
        }

        var kind = Hash.Unit(_seed, Stream + 31, cell, piece);
        return d < 1.8 * t.UrbanRadius ? (kind < 0.7 ? "0701" : "0601") : (kind < 0.75 ? "0702" : "0601");
    }

    private string Plain(double x, double y, Town t, Coordinate p)
    {
        if (Urban(x, y, t))
        {
            return _industry.At(x, y) > 0.75 ? "0601" : "0701";
        }

        if (OnRoad(x, y))
        {
            return "1003";
        }

        if (LineFamily(x, y, _canals) < 0.3 * _spacing)
        {
            return "1107";
        }

        if (LineFamily(x, y, _fieldRoads) < 0.3 * _spacing)
        {
            return "1006";
        }

        if (_village.At(x, y) > 0.93)
        {
            return "0702";
        }

        if (_pond.At(x, y) > 0.78)
        {
            return "1104";
        }

        if (_orchard.At(x, y) > 0.965)
        {
            return "0201";
        }

        var crop = _crop.At(x, y);
        return crop < 0.22 ? "0103" : crop < 0.28 ? "0102" : "0101";
    }

    private string Hills(double x, double y, Town t, Coordinate p)
    {
        if (Urban(x, y, t))
        {
            return "0701";
        }

        if (OnRoad(x, y))
        {
            return "1003";
        }

        if (_forestBlocks.Locate(p) != Location.Exterior)
        {
            var n = _forest.At(x, y);
            return n > 0.35 ? "0301" : n > 0.12 ? "0305" : "0307";
        }

        if (_village.At(x, y) > 0.97)
        {
            return "0702";
        }

        var h = _hill.At(x, y);
        return h switch
        {
            < 0.12 => "0103",
            < 0.17 => "0102",
            < 0.20 => "0101",
            < 0.22 => "1104",
            < 0.32 => "0404",
            < 0.42 => "0307",
            < 0.57 => "0305",
            _ => "0301",
        };
    }

    private bool OnRoad(double x, double y)
    {
        var limit = 0.45 * _spacing;
        foreach (var (x0, y0, x1, y1) in _roads)
        {
            var (dx, dy) = (x1 - x0, y1 - y0);
            var t = Math.Clamp(((x - x0) * dx + (y - y0) * dy) / (dx * dx + dy * dy), 0, 1);
            var (ex, ey) = (x0 + t * dx - x, y0 + t * dy - y);
            if (ex * ex + ey * ey < limit * limit)
            {
                return true;
            }
        }

        return false;
    }

    private bool Urban(double x, double y, Town t) => Distance(t, x, y) < t.UrbanRadius * (0.75 + 0.5 * _urban.At(x, y));

    private static double Distance(Town t, double x, double y) =>
        Math.Sqrt((x - t.Centre.X) * (x - t.Centre.X) + (y - t.Centre.Y) * (y - t.Centre.Y));

    private static double GrowthWeight(Town t, double d) => Math.Exp(-Math.Max(0, d - t.UrbanRadius) / 1500);

    /// <summary>Distance to the nearest line of a family of parallel lines (canals or field roads).</summary>
    private static double LineFamily(double x, double y, (double Cos, double Sin, double Spacing, double Phase) family)
    {
        var t = (x * family.Cos + y * family.Sin) / family.Spacing + family.Phase;
        return Math.Abs(t - Math.Round(t)) * family.Spacing;
    }

    /// <summary>Finds the growth scale that turns about <see cref="GrowthTarget"/> of all parcels into construction.</summary>
    private double CalibrateGrowth(IReadOnlyList<(double X, double Y, int Town)> samples)
    {
        var eligible = samples
            .Where(s => Classify(s.X, s.Y, s.Town) is "0101" or "0102" or "0103" or "0201" or "0404")
            .Select(s => GrowthWeight(_towns[s.Town], Distance(_towns[s.Town], s.X, s.Y)))
            .ToList();
        double lo = 0, hi = 1000;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            var share = eligible.Sum(w => Math.Min(1, mid * w)) / samples.Count;
            (lo, hi) = share < GrowthTarget ? (mid, hi) : (lo, mid);
        }

        return lo;
    }

    /// <summary>Seeded points inside the frame with their town, for calibrating shares.</summary>
    private static List<(double X, double Y, int Town)> Samples(Frame frame, TownIndex towns, long seed, int count)
    {
        var env = frame.OutlineMetres.EnvelopeInternal;
        var inside = new IndexedPointInAreaLocator(frame.OutlineMetres);
        var result = new List<(double X, double Y, int Town)>(count);
        for (long k = 0; result.Count < count; k++)
        {
            var x = env.MinX + env.Width * Hash.Unit(seed, Stream + 40, k);
            var y = env.MinY + env.Height * Hash.Unit(seed, Stream + 41, k);
            if (inside.Locate(new Coordinate(x, y)) == Location.Interior && towns.Locate(x, y) is { } town)
            {
                result.Add((x, y, town));
            }
        }

        return result;
    }

    /// <summary>Roads (公路): each town centre joined to its two nearest neighbours.</summary>
    private static (double X0, double Y0, double X1, double Y1)[] Roads(IReadOnlyList<Town> towns)
    {
        var pairs = new SortedSet<(int, int)>();
        for (var i = 0; i < towns.Count; i++)
        {
            foreach (var j in Enumerable.Range(0, towns.Count).Where(j => j != i)
                         .OrderBy(j => Distance(towns[j], towns[i].Centre.X, towns[i].Centre.Y)).Take(2))
            {
                pairs.Add((Math.Min(i, j), Math.Max(i, j)));
            }
        }

        return pairs.Select(p => (towns[p.Item1].Centre.X, towns[p.Item1].Centre.Y, towns[p.Item2].Centre.X, towns[p.Item2].Centre.Y))
            .ToArray();
    }

    internal static IndexedPointInAreaLocator Locator(Geometry g)
    {
        var locator = new IndexedPointInAreaLocator(g);
        locator.Locate(g.EnvelopeInternal.Centre); // build the index now, before threads share it
        return locator;
    }
}

/// <summary>A scalar field sampled on a regular grid and read back with bilinear interpolation (for costly distances).</summary>
internal sealed class DistanceGrid
{
    private readonly double _x0, _y0, _step;
    private readonly int _nx, _ny;
    private readonly double[] _values;

    public DistanceGrid(Envelope extent, double step, Func<double, double, double> field)
    {
        (_x0, _y0, _step) = (extent.MinX - step, extent.MinY - step, step);
        _nx = (int)Math.Ceiling(extent.Width / step) + 3;
        _ny = (int)Math.Ceiling(extent.Height / step) + 3;
        _values = new double[_nx * _ny];
        for (var j = 0; j < _ny; j++)
        {
            for (var i = 0; i < _nx; i++)
            {
                _values[j * _nx + i] = field(_x0 + i * step, _y0 + j * step);
            }
        }
    }

    public double At(double x, double y)
    {
        var u = Math.Clamp((x - _x0) / _step, 0, _nx - 1.000001);
        var v = Math.Clamp((y - _y0) / _step, 0, _ny - 1.000001);
        var (i, j) = ((int)u, (int)v);
        var (fu, fv) = (u - i, v - j);
        var bottom = _values[j * _nx + i] * (1 - fu) + _values[j * _nx + i + 1] * fu;
        var top = _values[(j + 1) * _nx + i] * (1 - fu) + _values[(j + 1) * _nx + i + 1] * fu;
        return bottom * (1 - fv) + top * fv;
    }
}
