using EcoSpatial.SpatialCore.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace EcoSpatial.SpatialApi.Problems;

/// <summary>
/// Turns domain errors (<see cref="SpatialInputException"/>), malformed requests and an unreachable database into
/// problem details. Anything else falls through to the default handler: a generic 500 whose details go to the log only.
/// </summary>
internal sealed class ProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (slug, detail) = exception switch
        {
            SpatialInputException spatial => (ProblemCatalog.SlugOf(spatial.Error), spatial.Message),
            BadHttpRequestException bad => ("bad-request", bad.Message),
            _ when Unreachable(exception) is { } down => ("database-unavailable",
                $"{down.Message.TrimEnd('.')}. Writes need the primary database; reads go on while a standby answers (ECO_DB with several hosts)."),
            _ => (null, null),
        };
        if (slug is null)
        {
            return false;
        }

        var (status, type, title) = ProblemCatalog.Describe(slug);
        http.Response.StatusCode = status;
        if (slug == "database-unavailable")
        {
            http.Response.Headers.RetryAfter = "5";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Type = type, Title = title, Status = status, Detail = detail },
        });
    }

    /// <summary>
    /// The Npgsql error in <paramref name="exception"/> that says the server could not be reached or is going away (no
    /// suitable host, a refused or broken connection, a shutdown, a standby refusing a write), or null: an SQL error
    /// stays a 500.
    /// </summary>
    private static NpgsqlException? Unreachable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException postgres)
            {
                // 08: connection exception; 57P01–57P03: shutdown, crash, cannot connect now; 25006: read-only transaction.
                return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) || postgres.SqlState is "57P01" or "57P02" or "57P03" or "25006"
                    ? postgres : null;
            }

            if (e is NpgsqlException npgsql)
            {
                return npgsql;
            }
        }

        return null;
    }
}
