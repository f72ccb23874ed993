using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Overlay;

/// <summary>Where an envelope lies with respect to a zone, as far as a <see cref="ZoneRaster"/> can tell.</summary>
public enum RasterVerdict
{
    /// <summary>Every cell the envelope meets is inside the zone: the zone covers anything in the envelope.</summary>
    Inside,

    /// <summary>Every cell the envelope meets is outside the zone: nothing in the envelope overlaps it by any area.</summary>
    Outside,

    /// <summary>The envelope meets a cell near the zone's boundary (or cells of both kinds): an exact test is needed.</summary>
    Unknown,
}

/// <summary>
/// A grid over a zone's envelope whose cells are known to be inside the zone, outside it, or near its boundary: a
/// filter that settles most parcels with a few array reads, before any geometric predicate.
/// </summary>
/// <remarks>
/// <para>Boundary cells: every edge of the zone is sampled at most half a cell apart, and the 3 × 3 cells around
/// each sample's cell are marked. Any point of an edge is within a quarter cell of a sample, so every unmarked cell
/// is more than 0.75 of a cell away from the boundary: it lies wholly inside or wholly outside the zone, and rounding
/// in the cell arithmetic cannot change that.</para>
/// <para>Inside cells: for each row, the crossings of the row's centre line with the zone's edges are sorted and
/// paired (even–odd, right for valid polygons with holes); an unmarked cell whose centre lies between a pair is
/// inside, else outside.</para>
/// <para>An envelope is <see cref="RasterVerdict.Inside"/> when every cell it meets is inside; then the zone covers
/// it (the closed cells lie in the closed zone), which is exactly what <c>Covers</c> would have answered.</para>
/// </remarks>
public sealed class ZoneRaster
{
    private const byte OutsideCell = 0;
    private const byte InsideCell = 1;
    private const byte BoundaryCell = 2;

    private readonly double minX;
    private readonly double minY;
    private readonly double cellWidth;
    private readonly double cellHeight;
    private readonly int columns;
    private readonly int rows;
    private readonly byte[] cells;

    /// <summary>Rasterises <paramref name="zone"/> with square-ish cells of about <paramref name="cellSize"/> degrees, at most <paramref name="maxCells"/> cells.</summary>
    public ZoneRaster(Geometry zone, double cellSize, int maxCells = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var e = zone.EnvelopeInternal;
        var size = Math.Max(cellSize, Math.Sqrt(Math.Max(e.Width * e.Height, 0) / Math.Max(maxCells, 1)));
        (columns, rows) = (Count(e.Width, size), Count(e.Height, size));
        (minX, minY) = (e.IsNull ? 0 : e.MinX, e.IsNull ? 0 : e.MinY);
        cellWidth = e.Width > 0 ? e.Width / columns : 1;
        cellHeight = e.Height > 0 ? e.Height / rows : 1;
        cells = new byte[columns * rows];
        if (e.IsNull)
        {
            return;
        }

        var rings = Rings(zone).Select(r => r.Coordinates).ToList();
        foreach (var ring in rings)
        {
            MarkBoundary(ring);
        }

        FillInside(rings);
    }

    /// <summary>Number of cells along each axis (for tests).</summary>
    public (int Columns, int Rows) Size => (columns, rows);

    /// <summary>What the raster can tell about anything inside <paramref name="envelope"/>.</summary>
    public RasterVerdict Classify(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var (c0, c1) = (Column(envelope.MinX), Column(envelope.MaxX));
        var (r0, r1) = (Row(envelope.MinY), Row(envelope.MaxY));
        if (c1 < 0 || r1 < 0 || c0 >= columns || r0 >= rows)
        {
            return RasterVerdict.Outside;
        }

        var outsideGrid = c0 < 0 || r0 < 0 || c1 >= columns || r1 >= rows;
        var (seenInside, seenOutside) = (false, outsideGrid);
        for (var r = Math.Max(r0, 0); r <= Math.Min(r1, rows - 1); r++)
        {
            for (var c = Math.Max(c0, 0); c <= Math.Min(c1, columns - 1); c++)
            {
                switch (cells[r * columns + c])
                {
                    case BoundaryCell:
                        return RasterVerdict.Unknown;
                    case InsideCell:
                        seenInside = true;
                        break;
                    default:
                        seenOutside = true;
                        break;
                }

                if (seenInside && seenOutside)
                {
                    return RasterVerdict.Unknown;
                }
            }
        }

        return seenInside ? RasterVerdict.Inside : RasterVerdict.Outside;
    }

    private static int Count(double extent, double size) =>
        extent > 0 && size > 0 ? (int)Math.Clamp(Math.Ceiling(extent / size), 1, 1 << 14) : 1;

    // Cell index of a coordinate, unclamped (may be negative or past the end); doubles clamped first so huge
    // envelopes cannot overflow the int.
    private int Column(double x) => (int)Math.Floor(Math.Clamp((x - minX) / cellWidth, -1, columns + 1));

    private int Row(double y) => (int)Math.Floor(Math.Clamp((y - minY) / cellHeight, -1, rows + 1));

    private void MarkBoundary(Coordinate[] ring)
    {
        for (var i = 1; i < ring.Length; i++)
        {
            var (a, b) = (ring[i - 1], ring[i]);
            var steps = (int)Math.Ceiling(2 * Math.Max(Math.Abs(b.X - a.X) / cellWidth, Math.Abs(b.Y - a.Y) / cellHeight));
            for (var s = 0; s <= steps; s++)
            {
                var t = steps == 0 ? 0 : (double)s / steps;
                var (c, r) = (Column(a.X + t * (b.X - a.X)), Row(a.Y + t * (b.Y - a.Y)));
                for (var dr = -1; dr <= 1; dr++)
                {
                    for (var dc = -1; dc <= 1; dc++)
                    {
                        if (c + dc >= 0 && c + dc < columns && r + dr >= 0 && r + dr < rows)
                        {
                            cells[(r + dr) * columns + c + dc] = BoundaryCell;
                        }
                    }
                }
            }
        }
    }

    private void FillInside(List<Coordinate[]> rings)
    {
        var crossings = new List<double>();
        for (var r = 0; r < rows; r++)
        {
            var y = minY + (r + 0.5) * cellHeight;
            crossings.Clear();
            foreach (var ring in rings)
            {
                for (var i = 1; i < ring.Length; i++)
                {
                    var (a, b) = (ring[i - 1], ring[i]);
                    if ((a.Y <= y) != (b.Y <= y))
                    {
                        crossings.Add(a.X + (y - a.Y) / (b.Y - a.Y) * (b.X - a.X));
                    }
                }
            }

            crossings.Sort();
            for (var k = 0; k + 1 < crossings.Count; k += 2)
            {
                for (var c = Math.Max(Column(crossings[k]), 0); c <= Math.Min(Column(crossings[k + 1]), columns - 1); c++)
                {
                    var centre = minX + (c + 0.5) * cellWidth;
                    ref var cell = ref cells[r * columns + c];
                    if (cell != BoundaryCell && centre > crossings[k] && centre < crossings[k + 1])
                    {
                        cell = InsideCell;
                    }
                }
            }
        }
    }

    private static IEnumerable<LineString> Rings(Geometry zone)
    {
        for (var i = 0; i < zone.NumGeometries; i++)
        {
            if (zone.GetGeometryN(i) is Polygon polygon)
            {
                yield return polygon.ExteriorRing;
                foreach (var hole in polygon.InteriorRings)
                {
                    yield return hole;
                }
            }
        }
    }
}
