using Carter;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Problems;
using Microsoft.EntityFrameworkCore;

namespace EcoSpatial.SpatialApi.Modules;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c> (database reachable, migrations applied). Ready asks
/// the read data source, so that a service whose primary is down but whose standby answers stays ready to serve reads.
/// </summary>
public sealed class HealthModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health");
        group.MapGet("/live", () => TypedResults.Ok(new { status = "live" })).WithName("Live");
        group.MapGet("/ready", Ready).WithName("Ready");
    }

    private static async Task<IResult> Ready(ReadDataSource reads, CancellationToken ct)
    {
        try
        {
            await using var db = EcoDatabase.CreateContext(reads.Source);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            return pending.Count == 0
                ? TypedResults.Ok(new { status = "ready" })
                : ProblemCatalog.Result("not-ready", $"Migrations not applied: {string.Join(", ", pending)}.");
        }
        catch (Npgsql.NpgsqlException e)
        {
            return ProblemCatalog.Result("not-ready", $"The database is not reachable: {e.Message}");
        }
    }
}
