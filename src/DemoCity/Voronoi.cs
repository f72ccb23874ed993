namespace EcoSpatial.DemoCity;

/// <summary>A site of a Voronoi diagram: a stable id and its position in metres on the local plane.</summary>
internal readonly record struct Site(long Id, double X, double Y);

/// <summary>
/// One Voronoi cell at a time, by clipping a convex start polygon with the bisector half-planes of the site's
/// neighbours, nearest first. A neighbour farther than twice the cell's current radius cannot cut it, so the loop
/// stops early.
/// </summary>
/// <remarks>
/// Two neighbouring cells must agree on their shared vertices to the last bit, or rounding to the output grid could
/// open slivers between them. So each vertex where two bisectors meet is recomputed at the end as the circumcentre
/// of its three sites, taken in id order: every cell that has the vertex computes it from the same numbers in the
/// same order.
/// </remarks>
internal static class Voronoi
{
    /// <summary>
    /// The cell of <paramref name="site"/> inside the convex, counter-clockwise polygon <paramref name="bounds"/>,
    /// as a counter-clockwise vertex list (not closed), and its radius (largest distance from the site to a vertex).
    /// </summary>
    public static (List<(double X, double Y)> Vertices, double Radius) Cell(
        Site site, IReadOnlyList<Site> neighboursByDistance, IReadOnlyList<(double X, double Y)> bounds)
    {
        // Each vertex carries the ids of the two edges that meet at it; edge i runs from vertex i to vertex i+1.
        // Bound edges get negative ids.
        var poly = new List<Vertex>(bounds.Count + 8);
        for (var i = 0; i < bounds.Count; i++)
        {
            poly.Add(new Vertex(bounds[i].X, bounds[i].Y, -1 - ((i + bounds.Count - 1) % bounds.Count), -1 - i));
        }

        var radius = Radius(site, poly);
        foreach (var n in neighboursByDistance)
        {
            var dx = n.X - site.X;
            var dy = n.Y - site.Y;
            var d2 = dx * dx + dy * dy;
            if (d2 > 4 * radius * radius)
            {
                break;
            }

            // Keep points p with (p − m)·(n − s) ≤ 0, m the midpoint of s and n.
            var mx = (site.X + n.X) / 2;
            var my = (site.Y + n.Y) / 2;
            poly = Clip(poly, mx, my, dx, dy, n.Id);
            radius = Radius(site, poly);
        }

        var result = new List<(double X, double Y)>(poly.Count);
        foreach (var v in poly)
        {
            result.Add(v.EdgeIn >= 0 && v.EdgeOut >= 0 && v.EdgeIn != v.EdgeOut
                ? Circumcentre(site, Find(neighboursByDistance, v.EdgeIn), Find(neighboursByDistance, v.EdgeOut))
                : (v.X, v.Y));
        }

        return (result, radius);
    }

    private static Site Find(IReadOnlyList<Site> sites, long id)
    {
        foreach (var s in sites)
        {
            if (s.Id == id)
            {
                return s;
            }
        }

        throw new InvalidOperationException($"Site {id} is not a neighbour.");
    }

    /// <summary>Keeps the part of the polygon where <c>(p − m)·d ≤ 0</c>; the cut is labelled <paramref name="edgeId"/>.</summary>
    private static List<Vertex> Clip(List<Vertex> poly, double mx, double my, double dx, double dy, long edgeId)
    {
        var result = new List<Vertex>(poly.Count + 1);
        for (var i = 0; i < poly.Count; i++)
        {
            var a = poly[i];
            var b = poly[(i + 1) % poly.Count];
            var sa = (a.X - mx) * dx + (a.Y - my) * dy;
            var sb = (b.X - mx) * dx + (b.Y - my) * dy;
            if (sa <= 0)
            {
                result.Add(a);
            }

            if ((sa <= 0) != (sb <= 0))
            {
                var t = sa / (sa - sb);
                var x = a.X + t * (b.X - a.X);
                var y = a.Y + t * (b.Y - a.Y);

                // Entering the kept side: the new vertex joins the new edge to a's outgoing edge, else the reverse.
                result.Add(sa > 0 ? new Vertex(x, y, edgeId, a.EdgeOut) : new Vertex(x, y, a.EdgeOut, edgeId));
            }
        }

        return result;
    }

    private static double Radius(Site site, List<Vertex> poly)
    {
        var max = 0.0;
        foreach (var v in poly)
        {
            max = Math.Max(max, (v.X - site.X) * (v.X - site.X) + (v.Y - site.Y) * (v.Y - site.Y));
        }

        return Math.Sqrt(max);
    }

    /// <summary>The circumcentre of three sites, computed in id order so that it is bit-identical for all three cells.</summary>
    private static (double X, double Y) Circumcentre(Site a, Site b, Site c)
    {
        if (a.Id > b.Id)
        {
            (a, b) = (b, a);
        }

        if (b.Id > c.Id)
        {
            (b, c) = (c, b);
        }

        if (a.Id > b.Id)
        {
            (a, b) = (b, a);
        }

        var bx = b.X - a.X;
        var by = b.Y - a.Y;
        var cx = c.X - a.X;
        var cy = c.Y - a.Y;
        var d = 2 * (bx * cy - by * cx);
        var b2 = bx * bx + by * by;
        var c2 = cx * cx + cy * cy;
        return (a.X + (cy * b2 - by * c2) / d, a.Y + (bx * c2 - cx * b2) / d);
    }

    private readonly record struct Vertex(double X, double Y, long EdgeIn, long EdgeOut);
}
