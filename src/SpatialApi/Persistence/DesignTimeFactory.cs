using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a database.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EcoDbContext>
{
    public EcoDbContext CreateDbContext(string[] args) =>
        new(EcoDatabase.Configure(new DbContextOptionsBuilder<EcoDbContext>(),
            EcoDatabase.CreateDataSource("Host=localhost;Database=design")).Options);
}
