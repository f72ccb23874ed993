namespace EcoSpatial.SpatialCore.Geodesy;

/// <summary>
/// The CGCS2000 reference ellipsoid: a = 6378137 m, 1/f = 298.257222101 (the GRS80 figures).
/// </summary>
public static class Cgcs2000Ellipsoid
{
    /// <summary>Semi-major axis, metres.</summary>
    public const double A = 6378137.0;

    /// <summary>Flattening.</summary>
    public const double F = 1.0 / 298.257222101;

    /// <summary>First eccentricity squared, f(2 − f).</summary>
    public const double E2 = F * (2 - F);
}
