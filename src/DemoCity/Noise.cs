namespace EcoSpatial.DemoCity;

/// <summary>
/// Seeded, stateless randomness: every value is a hash of (seed, stream, indices), so a parcel's random draws do
/// not depend on the order or the thread in which it is made. SplitMix64 finaliser; no <see cref="Random"/>, whose
/// seeded sequence is not part of any contract.
/// </summary>
internal static class Hash
{
    /// <summary>A 64-bit hash of the seed, a stream id and up to three indices.</summary>
    public static ulong Of(long seed, long stream, long a = 0, long b = 0, long c = 0)
    {
        var h = Mix((ulong)seed ^ 0x5851F42D4C957F2DUL);
        h = Mix(h ^ (ulong)stream);
        h = Mix(h ^ (ulong)a);
        h = Mix(h ^ (ulong)b);
        return Mix(h ^ (ulong)c);
    }

    /// <summary>A uniform double in [0, 1) from <see cref="Of"/>.</summary>
    public static double Unit(long seed, long stream, long a = 0, long b = 0, long c = 0) =>
        (Of(seed, stream, a, b, c) >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}

/// <summary>A sequential seeded stream of draws, for the few choices made in a fixed order (town seeds, zones).</summary>
internal sealed class Draws(long seed, long stream)
{
    private long _next;

    /// <summary>The next uniform double in [0, 1).</summary>
    public double Next() => Hash.Unit(seed, stream, _next++);

    /// <summary>The next uniform double in [min, max).</summary>
    public double Next(double min, double max) => min + (max - min) * Next();

    /// <summary>The next integer in [0, count).</summary>
    public int NextInt(int count) => (int)(Next() * count);
}

/// <summary>
/// Smooth 2-D value noise (fractal sum of octaves) on the local metric plane, values in [0, 1]. It makes land-use
/// classes form patches of about <c>wavelength</c> metres instead of salt and pepper.
/// </summary>
internal sealed class Noise(long seed, long stream, double wavelength, int octaves = 3)
{
    /// <summary>The noise at (x, y) metres.</summary>
    public double At(double x, double y)
    {
        double sum = 0, weight = 0, amplitude = 1, scale = 1 / wavelength;
        for (var o = 0; o < octaves; o++)
        {
            sum += amplitude * Lattice(x * scale, y * scale, o);
            weight += amplitude;
            amplitude *= 0.5;
            scale *= 2.07;
        }

        return sum / weight;
    }

    private double Lattice(double x, double y, int octave)
    {
        var ix = Math.Floor(x);
        var iy = Math.Floor(y);
        var fx = Fade(x - ix);
        var fy = Fade(y - iy);
        var (i, j) = ((long)ix, (long)iy);
        var stream2 = stream * 16 + octave;
        var v00 = Hash.Unit(seed, stream2, i, j);
        var v10 = Hash.Unit(seed, stream2, i + 1, j);
        var v01 = Hash.Unit(seed, stream2, i, j + 1);
        var v11 = Hash.Unit(seed, stream2, i + 1, j + 1);
        var bottom = v00 + (v10 - v00) * fx;
        var top = v01 + (v11 - v01) * fx;
        return bottom + (top - bottom) * fy;
    }

    private static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);
}

/// <summary>
/// A scalar field remapped to [0, 1] by its empirical distribution over sample points, so that a threshold reads as
/// a share of the area: <c>field.At(p) &gt; 0.9</c> holds on about 10 % of the sampled region.
/// </summary>
internal sealed class UniformField
{
    private readonly Func<double, double, double> _field;
    private readonly double[] _sorted;

    public UniformField(Func<double, double, double> field, IReadOnlyList<(double X, double Y)> samples)
    {
        _field = field;
        _sorted = samples.Select(p => field(p.X, p.Y)).Order().ToArray();
    }

    /// <summary>The share of samples whose raw value is below the value at (x, y).</summary>
    public double At(double x, double y)
    {
        var v = _field(x, y);
        var index = Array.BinarySearch(_sorted, v);
        if (index < 0)
        {
            index = ~index;
        }

        return (double)index / _sorted.Length;
    }
}
