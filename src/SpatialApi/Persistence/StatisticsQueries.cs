using Npgsql;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>GDP figure in force for a region and year: the newest entry.</summary>
public sealed record GdpFigure(string Region, int Year, double Gdp10kYuan, string PriceBase, DateTimeOffset EnteredAt);

/// <summary>Reads and appends of the GDP statistics (table <c>gdp_statistics</c>, append-only).</summary>
public static class StatisticsQueries
{
    /// <summary>Appends a GDP figure; the newest one for a region and year is the one in force.</summary>
    public static async Task<GdpFigure> AppendGdpAsync(this NpgsqlDataSource db, string region, int year, double gdp10kYuan, string priceBase, string actor, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO gdp_statistics (region, year, gdp_10k_yuan, price_base, entered_by) VALUES ($1, $2, $3, $4, $5)
            RETURNING entered_at
            """);
        command.Parameters.Add(new() { Value = region });
        command.Parameters.Add(new() { Value = year });
        command.Parameters.Add(new() { Value = gdp10kYuan });
        command.Parameters.Add(new() { Value = priceBase });
        command.Parameters.Add(new() { Value = actor });
        var at = (DateTime)(await command.ExecuteScalarAsync(ct))!;
        return new GdpFigure(region, year, gdp10kYuan, priceBase, new DateTimeOffset(at, TimeSpan.Zero));
    }

    /// <summary>The figure in force for every year of a region, oldest year first.</summary>
    public static async Task<List<GdpFigure>> GdpSeriesAsync(this NpgsqlDataSource db, string region, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT DISTINCT ON (year) region, year, gdp_10k_yuan, price_base, entered_at
            FROM gdp_statistics WHERE region = $1 ORDER BY year, id DESC
            """);
        command.Parameters.Add(new() { Value = region });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var figures = new List<GdpFigure>();
        while (await reader.ReadAsync(ct))
        {
            figures.Add(new GdpFigure(reader.GetString(0), reader.GetInt32(1), reader.GetDouble(2), reader.GetString(3),
                new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero)));
        }

        return figures;
    }
}
