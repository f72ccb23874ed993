namespace EcoSpatial.SpatialCore.Landuse;

/// <summary>
/// The land-use classes an indicator reads: overlays are computed for these parcels only, so an indicator that needs
/// the forest and grass parcels does not pay for the farmland. The membership test is the one of
/// <see cref="LandUseCodes"/>; <see cref="Of"/> picks a version's codes that are in the set, for a database to filter by.
/// </summary>
/// <param name="Name">Stable name (part of cache keys and benchmark output).</param>
/// <param name="Contains">Whether a class code belongs to the set.</param>
public sealed record ParcelClassSet(string Name, Func<string, bool> Contains)
{
    /// <summary>Every parcel with a class code.</summary>
    public static ParcelClassSet All { get; } = new("all", _ => true);

    /// <summary>林地 and 草地 as 林草覆盖率 counts them (<see cref="LandUseCodes.Forest"/>, <see cref="LandUseCodes.Grass"/>).</summary>
    public static ParcelClassSet ForestGrass { get; } =
        new("forest-grass", c => LandUseCodes.Forest.Contains(c) || LandUseCodes.Grass.Contains(c));

    /// <summary>Construction land (<see cref="LandUseCodes.IsConstruction"/>).</summary>
    public static ParcelClassSet Construction { get; } = new("construction", c => LandUseCodes.IsConstruction(c));

    /// <summary>Natural ecological land (<see cref="LandUseCodes.IsNatural"/>).</summary>
    public static ParcelClassSet Natural { get; } = new("natural", c => LandUseCodes.IsNatural(c));

    /// <summary>The codes among <paramref name="codes"/> that are in the set.</summary>
    public IReadOnlyList<string> Of(IEnumerable<string> codes) => [.. codes.Where(Contains)];
}
