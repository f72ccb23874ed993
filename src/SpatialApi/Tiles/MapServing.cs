using EcoSpatial.SpatialApi.Ogc;

namespace EcoSpatial.SpatialApi.Tiles;

/// <summary>Services of the map-serving paths (<c>/ogc</c> and <c>/tiles</c>).</summary>
public static class MapServing
{
    public static IServiceCollection AddMapServing(this IServiceCollection services) =>
        services.AddSingleton<TileCache>().AddSingleton<VersionExtents>();
}
