using System.Text.Json;
using System.Text.Json.Serialization;
using Carter;
using EcoSpatial.SpatialApi.Checks;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialApi.Problems;
using EcoSpatial.SpatialApi.Startup;
using EcoSpatial.SpatialApi.Tiles;
using Microsoft.AspNetCore.Http.Features;
using NetTopologySuite.IO.Converters;

namespace EcoSpatial.SpatialApi;

/// <summary>Composition of the web service; reads as its table of contents.</summary>
public static class EcoApp
{
    /// <summary>Largest accepted upload (a zipped county land-use survey is a few hundred MB).</summary>
    private const long MaxUploadBytes = 2L * 1024 * 1024 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Writes and EF on the primary; heavy reads on a standby when ECO_DB lists several hosts (see ReadDataSource).
        var (dataSource, reads) = EcoDatabase.CreateDataSources(EcoDatabase.ConnectionString(builder.Configuration));
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddSingleton(reads);
        builder.Services.AddDbContext<EcoDbContext>(o => EcoDatabase.Configure(o, dataSource));
        builder.Services.AddHostedService<DatabaseStartup>();
        // Two instances only with a standby: the checks judge on the primary, which has every import at once, while
        // the indicators served over HTTP read the standby (keyed). With one host they are the same instance.
        builder.Services.AddSingleton<Indicators.IndicatorService>();
        builder.Services.AddKeyedSingleton(ReadDataSource.Key, (sp, _) => ReferenceEquals(reads.Source, dataSource)
            ? sp.GetRequiredService<Indicators.IndicatorService>()
            : new Indicators.IndicatorService(reads.Source));
        builder.Services.AddChecks(builder.Configuration);

        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new GeoJsonConverterFactory());
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier);
        builder.Services.AddExceptionHandler<ProblemHandler>();
        builder.Services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = MaxUploadBytes);
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = MaxUploadBytes);
        // OpenAPI 3.0: what OGC API Features' oas30 conformance class declares and GDAL's OAPIF driver reads.
        builder.Services.AddOpenApi(o => o.OpenApiVersion = Microsoft.OpenApi.OpenApiSpecVersion.OpenApi3_0);
        builder.Services.AddCarter();
        builder.Services.AddMapServing();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "docs";
            o.SwaggerEndpoint("/openapi/v1.json", "EcoSpatial API");
            o.DocumentTitle = "EcoSpatial API";
        });
        app.MapCarter();
        return app;
    }
}
