using System.Text.Json;
using EcoSpatial.SpatialCore;
using EcoSpatial.SpatialCore.Crs;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.Operation.Buffer;
using NetTopologySuite.Operation.Linemerge;

namespace EcoSpatial.DemoCity;

/// <summary>
/// The real parts of the demo city: the outline of 汉川市 (GB/T 2260 420984) and the Han River (汉江) through it,
/// read from the public extracts embedded from <c>data/geo/real/</c>.
/// </summary>
/// <param name="Outline">The county outline in lon/lat (SRID 4490), valid and on the output grid.</param>
/// <param name="Plane">The local metric plane centred on the outline.</param>
/// <param name="OutlineMetres">The outline on the metric plane.</param>
/// <param name="RiverMetres">The Han River centre line on the metric plane, running downstream (west to east),
/// not clipped to the outline.</param>
/// <param name="RiverSurface">The river surface inside the outline: a ~150 m half-width buffer of the centre line,
/// lon/lat, on the grid.</param>
/// <param name="SeatMetres">The label point of the county in the source (the city seat, 仙女山街道), on the plane.</param>
internal sealed record Frame(
    Geometry Outline, LocalPlane Plane, Geometry OutlineMetres, LineString RiverMetres, Geometry RiverSurface,
    (double X, double Y) SeatMetres)
{
    /// <summary>GB/T 2260 code of 汉川市.</summary>
    public const string CountyCode = "420984";

    /// <summary>Half-width of the Han River surface, metres.</summary>
    public const double RiverHalfWidth = 150;

    /// <summary>Longest outline edge before conversion, degrees (about 20 m).</summary>
    private const double MaxEdgeDegrees = 0.0002;

    private static readonly JsonSerializerOptions GeoJson = new()
    {
        Converters = { new GeoJsonConverterFactory(Srid.Cgcs2000Factory) },
    };

    /// <summary>Loads and prepares the frame. Deterministic: it depends on the embedded files only.</summary>
    public static Frame Load()
    {
        var county = ReadFeatures("real/counties.geojson")
            .Single(f => f.Id == CountyCode);

        // GCJ-02 → CGCS2000. The offset varies along an edge, so edges are densified first (which also keeps the
        // snapping of town boundaries onto the outline tiny). The source ring self-intersects and holds overlapping
        // sub-units: repair, then round to the output grid.
        var converted = Gcj02.ToCgcs2000(Densify(county.Geometry, MaxEdgeDegrees));
        var outline = OutputGrid.Reduce(GeometryFixer.Fix(converted));
        if (!outline.IsValid || outline.IsEmpty)
        {
            throw new InvalidOperationException("The 汉川 outline could not be repaired into a valid polygon.");
        }

        var centre = outline.EnvelopeInternal.Centre;
        var plane = new LocalPlane(centre.X, centre.Y);
        var cp = county.Properties.GetProperty("cp");
        var seat = Gcj02.ToWgs84(cp[0].GetDouble(), cp[1].GetDouble());

        var river = HanRiver(plane, outline);
        var surfaceMetres = river.Buffer(RiverHalfWidth, new BufferParameters(16, EndCapStyle.Flat));
        var surface = OutputGrid.Intersection(plane.ToDegrees(surfaceMetres), outline);

        return new Frame(outline, plane, plane.ToMetres(outline), river, surface, plane.ToMetres(seat.Lon, seat.Lat));
    }

    /// <summary>
    /// The Han River centre line: the full-resolution GSHHG/WDBII level-2 segments that follow the Natural Earth
    /// line named "Han" (every vertex within ~5 km of it), merged into one line and oriented downstream, i.e.
    /// towards its mouth at Wuhan, the eastern end of the Natural Earth line.
    /// </summary>
    private static LineString HanRiver(LocalPlane plane, Geometry outline)
    {
        var naturalEarth = ReadFeatures("real/ne10m_rivers.geojson")
            .Single(f => f.Properties.GetProperty("name").GetString() == "Han").Geometry;
        var mouth = naturalEarth.Coordinates.MaxBy(c => c.X)!;

        var merger = new LineMerger();
        foreach (var f in ReadFeatures("real/gshhg_rivers.geojson"))
        {
            if (f.Properties.GetProperty("level").GetInt32() == 2
                && f.Geometry.Coordinates.All(c => naturalEarth.Distance(new Point(c)) < 0.05))
            {
                merger.Add(f.Geometry);
            }
        }

        var merged = merger.GetMergedLineStrings().Cast<LineString>()
            .Where(l => l.Intersects(outline))
            .ToList();
        if (merged.Count != 1)
        {
            throw new InvalidOperationException($"Expected one Han River line through the frame, found {merged.Count}.");
        }

        var line = merged[0];
        if (line.StartPoint.Coordinate.Distance(mouth) < line.EndPoint.Coordinate.Distance(mouth))
        {
            line = (LineString)line.Reverse();
        }

        return (LineString)plane.ToMetres(line);
    }

    /// <summary>
    /// Inserts evenly spaced vertices so that no edge is longer than <paramref name="maxEdge"/>, ring by ring, without
    /// any validation (a buffer(0) here would lose parts of the self-intersecting source).
    /// </summary>
    private static Geometry Densify(Geometry g, double maxEdge)
    {
        var copy = g.Factory.CreateGeometry(g);
        var factory = g.Factory;
        var polygons = PolygonExtracter.GetPolygons(copy).Cast<Polygon>().Select(p =>
        {
            LinearRing Ring(LineString r)
            {
                var source = CoordinateArrays.RemoveRepeatedPoints(r.Coordinates);
                var result = new List<Coordinate> { source[0] };
                for (var i = 1; i < source.Length; i++)
                {
                    var (a, b) = (source[i - 1], source[i]);
                    var steps = (int)Math.Ceiling(a.Distance(b) / maxEdge);
                    for (var k = 1; k < steps; k++)
                    {
                        var t = (double)k / steps;
                        result.Add(new Coordinate(a.X + t * (b.X - a.X), a.Y + t * (b.Y - a.Y)));
                    }

                    result.Add(b);
                }

                return factory.CreateLinearRing([.. result]);
            }

            return factory.CreatePolygon(Ring(p.ExteriorRing), p.InteriorRings.Select(Ring).ToArray());
        });
        return factory.CreateMultiPolygon([.. polygons]);
    }

    private static IEnumerable<SourceFeature> ReadFeatures(string resource)
    {
        using var stream = typeof(Frame).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing.");
        using var document = JsonDocument.Parse(stream);
        var features = new List<SourceFeature>();
        foreach (var f in document.RootElement.GetProperty("features").EnumerateArray())
        {
            var id = f.TryGetProperty("id", out var idElement) ? idElement.ToString() : null;
            var geometry = f.GetProperty("geometry").Deserialize<Geometry>(GeoJson)!;
            geometry.SRID = Srid.Cgcs2000;
            features.Add(new SourceFeature(id, geometry, f.GetProperty("properties").Clone()));
        }

        return features;
    }

    private sealed record SourceFeature(string? Id, Geometry Geometry, JsonElement Properties);
}
