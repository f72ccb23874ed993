using EcoSpatial.SpatialApi.Persistence;

namespace EcoSpatial.SpatialApi;

/// <summary>Composition of the web service.</summary>
public static class EcoApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var dataSource = EcoDatabase.CreateDataSource(EcoDatabase.ConnectionString(builder.Configuration));
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddDbContext<EcoDbContext>(o => EcoDatabase.Configure(o, dataSource));
        return builder.Build();
    }
}
