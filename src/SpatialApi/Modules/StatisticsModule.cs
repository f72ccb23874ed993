using System.Globalization;
using Carter;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Problems;
using EcoSpatial.SpatialCore.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace EcoSpatial.SpatialApi.Modules;

/// <summary>GDP at comparable prices for one region and year, in 万元.</summary>
public sealed record GdpRequest(double? Gdp10kYuan, string? PriceBase);

/// <summary>Statistics the indicators need beside the layers: GDP per region and year (append-only; the newest entry is in force).</summary>
public sealed class StatisticsModule : ICarterModule
{
    public void AddRoutes(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/statistics/gdp").WithTags("Statistics");
        group.MapGet("/{region}", List).WithName("ListGdp").WithSummary("GDP in force per year for a region.");
        group.MapPut("/{region}/{year:int}", Put).WithName("PutGdp")
            .WithSummary("Enter GDP at comparable prices (万元) for a region and year. Needs X-Api-Key. Earlier entries stay in the history.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireEditorKey();
    }

    private static async Task<Ok<List<GdpFigure>>> List(string region, NpgsqlDataSource db, CancellationToken ct) =>
        TypedResults.Ok(await db.GdpSeriesAsync(region, ct));

    private static async Task<Ok<GdpFigure>> Put(string region, int year, GdpRequest request, NpgsqlDataSource db, CancellationToken ct)
    {
        if (request.Gdp10kYuan is not (> 0 and < 1e12) || year is < 1949 or > 2200 || string.IsNullOrWhiteSpace(region) || region.Length > 12)
        {
            throw new SpatialInputException(SpatialError.InvalidArgument,
                "Give gdp10kYuan (a positive number, 万元) for a region code of at most 12 characters and a year from 1949 to 2200.");
        }

        var priceBase = string.IsNullOrWhiteSpace(request.PriceBase) ? year.ToString(CultureInfo.InvariantCulture) : request.PriceBase.Trim();
        return TypedResults.Ok(await db.AppendGdpAsync(region, year, request.Gdp10kYuan.Value, priceBase, "api", ct));
    }
}
