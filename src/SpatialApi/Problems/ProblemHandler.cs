using EcoSpatial.SpatialCore.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EcoSpatial.SpatialApi.Problems;

/// <summary>
/// Turns domain errors (<see cref="SpatialInputException"/>) and malformed requests into problem details.
/// Anything else falls through to the default handler: a generic 500 whose details go to the log only.
/// </summary>
internal sealed class ProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (slug, detail) = exception switch
        {
            SpatialInputException spatial => (ProblemCatalog.SlugOf(spatial.Error), spatial.Message),
            BadHttpRequestException bad => ("bad-request", bad.Message),
            _ => (null, null),
        };
        if (slug is null)
        {
            return false;
        }

        var (status, type, title) = ProblemCatalog.Describe(slug);
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Type = type, Title = title, Status = status, Detail = detail },
        });
    }
}
