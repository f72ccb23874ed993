using EcoSpatial.SpatialCore.Errors;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Geodesy;

/// <summary>
/// Area of a lon/lat polygon on the CGCS2000 ellipsoid, in m², with every edge taken as the geodesic between its
/// vertices: the figure PostGIS gives for <c>ST_Area(geom::geography)</c> and GeographicLib's <c>Planimeter</c>.
/// </summary>
/// <remarks>
/// <para>Method. The area between a curve and the equator is <c>(a²/2)·∫ q(φ) dλ</c>, where <c>q</c> is the
/// authalic function <c>q(φ) = (1−e²)[sinφ/(1−e²sin²φ) + artanh(e·sinφ)/e]</c> (the ellipsoidal zone area per
/// radian of longitude is <c>a²q/2</c>). A ring's area is the absolute value of that line integral around it,
/// taken relative to the ring's first latitude so that tiny parcels lose no precision to cancellation.</para>
/// <para>Along each edge the integral follows the geodesic: on the auxiliary sphere of reduced latitude β the
/// geodesic is a great circle, and its longitude on the ellipsoid obeys <c>dλ = w·dω</c> with
/// <c>w = √(1 − e²cos²β)</c>. The auxiliary longitude difference ω₁₂ is found by fixed-point iteration
/// (<c>ω₁₂ = λ₁₂ − sinα₀∫(w−1)/cos²β dσ</c>, which contracts by a factor of about f per step), and both integrals
/// are evaluated by Gauss–Legendre quadrature (3 points on arcs up to 1e-3 rad, else 8 points on pieces of at most
/// 0.02 rad), which is exact to rounding for the smooth integrands here.</para>
/// <para>Preconditions: SRID 4490 (CGCS2000 lon/lat degrees), finite coordinates with |lat| ≤ 90 and
/// |lon| ≤ 180, no ring around a pole and no edge of 90° of arc or more. Polygon holes are subtracted;
/// multipolygon parts are summed (parts are assumed not to overlap, as in a valid geometry).
/// Projected or planar input is refused, so a lon/lat polygon can never be measured as if it were planar.</para>
/// </remarks>
public static class EllipsoidalArea
{
    private const double A = Cgcs2000Ellipsoid.A;
    private const double F = Cgcs2000Ellipsoid.F;
    private const double E2 = Cgcs2000Ellipsoid.E2;
    private static readonly double E = Math.Sqrt(E2);
    private const double MaxPieceArc = 0.02;
    private const double DegToRad = Math.PI / 180.0;

    private static readonly (double[] Nodes, double[] Weights) GaussLegendre8 = GaussLegendre(8);
    private static readonly (double[] Nodes, double[] Weights) GaussLegendre3 = GaussLegendre(3);

    /// <summary>Arcs up to this length (≈ 6 km) use 3-point quadrature: its error, of order σ⁷, is below rounding there.</summary>
    private const double ShortArc = 1e-3;

    /// <summary>Area in m² of a polygonal geometry in EPSG:4490; 0 for an empty geometry.</summary>
    /// <exception cref="SpatialInputException">
    /// The geometry is not in EPSG:4490, is not polygonal, or has a coordinate that is not a finite lon/lat.
    /// </exception>
    public static double Of(Geometry geometry)
    {
        Srid.RequireCgcs2000(geometry);
        if (geometry is Polygon polygon)
        {
            return OfPolygon(polygon);
        }

        if (geometry is MultiPolygon multi)
        {
            var sum = 0.0;
            for (var i = 0; i < multi.NumGeometries; i++)
            {
                sum += OfPolygon((Polygon)multi.GetGeometryN(i));
            }

            return sum;
        }

        return geometry.IsEmpty ? 0 : throw new SpatialInputException(SpatialError.NotPolygonal,
            $"Area needs a Polygon or MultiPolygon, got {geometry.GeometryType}.");
    }

    private static double OfPolygon(Polygon polygon)
    {
        if (polygon.IsEmpty)
        {
            return 0;
        }

        var area = OfRing(polygon.ExteriorRing.CoordinateSequence);
        for (var i = 0; i < polygon.NumInteriorRings; i++)
        {
            area -= OfRing(polygon.GetInteriorRingN(i).CoordinateSequence);
        }

        return area;
    }

    /// <summary>Unsigned area in m² enclosed by one closed ring of lon/lat degrees.</summary>
    private static double OfRing(CoordinateSequence ring)
    {
        var n = ring.Count;
        if (n < 4)
        {
            return 0;
        }

        // Each vertex is checked and turned into a reduced latitude once, and shared by the two edges that meet there.
        var lat1 = RequireLat(ring.GetY(0));
        var lon1 = RequireLon(ring.GetX(0));
        var q0 = Q(Math.Sin(lat1 * DegToRad));
        var (sinB1, cosB1) = ReducedLatitude(lat1 * DegToRad);
        var sum = 0.0;
        for (var i = 1; i < n; i++)
        {
            var lon2 = RequireLon(ring.GetX(i));
            var lat2 = RequireLat(ring.GetY(i));
            var (sinB2, cosB2) = ReducedLatitude(lat2 * DegToRad);
            sum += EdgeIntegral(lon1, sinB1, cosB1, lon2, sinB2, cosB2, q0);
            (lon1, sinB1, cosB1) = (lon2, sinB2, cosB2);
        }

        return Math.Abs(sum) * A * A / 2;
    }

    /// <summary>
    /// ∫ (q(φ) − q0) dλ along the geodesic from (lon1, β1) to (lon2, β2), longitudes in degrees and reduced
    /// latitudes as sine and cosine, radians² out.
    /// </summary>
    private static double EdgeIntegral(double lon1, double sinB1, double cosB1, double lon2, double sinB2, double cosB2, double q0)
    {
        var lambda12 = Math.IEEERemainder((lon2 - lon1) * DegToRad, 2 * Math.PI);
        if (lambda12 == 0)
        {
            return 0; // a meridian: dλ = 0 along it
        }

        // Solve for the auxiliary-sphere longitude difference ω12 whose great circle maps to this edge,
        // starting from dλ = w·dω at the mean reduced latitude (exact for short edges to order f·σ²).
        var cosBMean = (cosB1 + cosB2) / 2;
        var omega12 = lambda12 / W(cosBMean * cosBMean);
        GreatCircle arc = default;
        for (var iteration = 0; iteration < 30; iteration++)
        {
            arc = GreatCircle.Through(sinB1, cosB1, sinB2, cosB2, omega12);
            var correction = arc.SinA0 * Integrate(arc, Integrand.LongitudeCorrection, 0);
            var next = lambda12 - correction;
            if (Math.Abs(next - omega12) <= 1e-15 * Math.Max(1, Math.Abs(next)))
            {
                break; // the arc just solved is the edge's, to rounding (a parcel's edge converges at the first step)
            }

            omega12 = next;
        }

        if (arc.Sigma12 >= Math.PI / 2)
        {
            throw new SpatialInputException(SpatialError.InvalidGeometry,
                "An edge spans 90° of arc or more; densify the polygon before measuring it.");
        }

        return Integrate(arc, Integrand.Area, q0);
    }

    /// <summary>The two functions of σ that are integrated along an arc.</summary>
    private enum Integrand
    {
        /// <summary>−e²/(1 + w): the longitude lost on the ellipsoid per unit arc, divided by sinα0.</summary>
        LongitudeCorrection,

        /// <summary>(q(φ) − q0)·sinα0·w/cos²β: the area integrand per unit arc.</summary>
        Area,
    }

    /// <summary>∫ f(σ) dσ over the arc, by Gauss–Legendre on pieces of at most <see cref="MaxPieceArc"/>.</summary>
    private static double Integrate(in GreatCircle arc, Integrand f, double q0)
    {
        var pieces = Math.Max(1, (int)Math.Ceiling(arc.Sigma12 / MaxPieceArc));
        var h = arc.Sigma12 / pieces;
        var (nodes, weights) = arc.Sigma12 <= ShortArc ? GaussLegendre3 : GaussLegendre8;
        var total = 0.0;
        for (var p = 0; p < pieces; p++)
        {
            var mid = arc.Sigma1 + (p + 0.5) * h;
            for (var k = 0; k < nodes.Length; k++)
            {
                var s = mid + nodes[k] * h / 2;
                total += weights[k] * (f == Integrand.Area ? AreaIntegrand(arc, s, q0) : -E2 / (1 + W(arc.Cos2Beta(s))));
            }
        }

        return total * h / 2;
    }

    private static double AreaIntegrand(in GreatCircle arc, double s, double q0)
    {
        var sinBeta = arc.CosA0 * Math.Sin(s);
        var cos2Beta = 1 - sinBeta * sinBeta; // arc.Cos2Beta(s), reusing sinβ
        // tanφ = tanβ/(1−f), so sinφ = sinβ/√(sin²β + (1−f)²cos²β): no angle is formed.
        var sinPhi = sinBeta / Math.Sqrt(sinBeta * sinBeta + (1 - F) * (1 - F) * cos2Beta);
        return (Q(sinPhi) - q0) * arc.SinA0 * W(cos2Beta) / cos2Beta;
    }

    /// <summary>Gauss–Legendre nodes and weights on [−1, 1]: roots of Pₙ by Newton's method.</summary>
    private static (double[] Nodes, double[] Weights) GaussLegendre(int n)
    {
        var nodes = new double[n];
        var weights = new double[n];
        for (var i = 0; i < n; i++)
        {
            var x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            var derivative = 1.0;
            for (var iteration = 0; iteration < 100; iteration++)
            {
                var (p, pPrev) = (1.0, 0.0);
                for (var k = 1; k <= n; k++)
                {
                    (p, pPrev) = (((2 * k - 1) * x * p - (k - 1) * pPrev) / k, p);
                }

                derivative = n * (x * p - pPrev) / (x * x - 1);
                var step = p / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-15)
                {
                    break;
                }
            }

            nodes[i] = x;
            weights[i] = 2 / ((1 - x * x) * derivative * derivative);
        }

        return (nodes, weights);
    }

    private static double W(double cos2Beta) => Math.Sqrt(1 - E2 * cos2Beta);

    /// <summary>sinβ and cosβ of the reduced latitude, tanβ = (1−f)·tanφ.</summary>
    private static (double Sin, double Cos) ReducedLatitude(double phi)
    {
        var (sinPhi, cosPhi) = Math.SinCos(phi);
        var y = (1 - F) * sinPhi;
        var r = Math.Sqrt(y * y + cosPhi * cosPhi);
        return (y / r, cosPhi / r);
    }

    /// <summary>
    /// The authalic function q(φ), from sinφ; the zone from the equator to φ has area a²·q(φ)/2 per radian of longitude.
    /// </summary>
    private static double Q(double sinPhi) =>
        (1 - E2) * (sinPhi / (1 - E2 * sinPhi * sinPhi) + Math.Atanh(E * sinPhi) / E);

    private static double RequireLon(double lon) =>
        double.IsFinite(lon) && Math.Abs(lon) <= 180 ? lon : throw OutOfRange("longitude", lon);

    private static double RequireLat(double lat) =>
        double.IsFinite(lat) && Math.Abs(lat) <= 90 ? lat : throw OutOfRange("latitude", lat);

    private static SpatialInputException OutOfRange(string what, double value) =>
        new(SpatialError.InvalidGeometry, $"A {what} of {value} is not a valid lon/lat coordinate in degrees.");

    /// <summary>
    /// A great circle on the auxiliary sphere from (β1, 0) to (β2, ω12): its equatorial azimuth α0,
    /// the arc σ1 from the ascending node to the first point, and the arc length σ12.
    /// </summary>
    private readonly record struct GreatCircle(double SinA0, double CosA0, double Sigma1, double Sigma12)
    {
        public static GreatCircle Through(double sinB1, double cosB1, double sinB2, double cosB2, double omega12)
        {
            var (sinW, cosW) = Math.SinCos(omega12);
            var x = cosB2 * sinW;
            var y = cosB1 * sinB2 - sinB1 * cosB2 * cosW;
            var chord = Math.Sqrt(x * x + y * y);
            var sigma12 = Math.Atan2(chord, sinB1 * sinB2 + cosB1 * cosB2 * cosW);
            // The azimuth α1 at the first point has sinα1 = x/chord, cosα1 = y/chord (α1 = 0 for a point arc).
            var (sinA1, cosA1) = chord > 0 ? (x / chord, y / chord) : (0.0, 1.0);
            var sinA0 = sinA1 * cosB1;
            var cosA0 = Math.Sqrt(cosA1 * cosA1 + sinA1 * sinA1 * sinB1 * sinB1);
            var sigma1 = Math.Atan2(sinB1, cosA1 * cosB1);
            return new GreatCircle(sinA0, cosA0, sigma1, sigma12);
        }

        /// <summary>cos²β at arc σ from the node: sinβ = cosα0·sinσ.</summary>
        public double Cos2Beta(double sigma)
        {
            var sinBeta = CosA0 * Math.Sin(sigma);
            return 1 - sinBeta * sinBeta;
        }
    }
}
