using EcoSpatial.SpatialApi.Ogc;
using EcoSpatial.SpatialApi.Persistence;

namespace EcoSpatial.SpatialApi.Tiles;

/// <summary>Services of the map-serving paths (<c>/ogc</c> and <c>/tiles</c>).</summary>
public static class MapServing
{
    /// <summary>The tile cache, and the version extents computed on the read data source (a standby when there is one).</summary>
    public static IServiceCollection AddMapServing(this IServiceCollection services) =>
        services.AddSingleton<TileCache>()
            .AddSingleton(sp => new VersionExtents(sp.GetRequiredService<ReadDataSource>().Source));
}
