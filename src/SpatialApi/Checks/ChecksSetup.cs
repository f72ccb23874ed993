using EcoSpatial.SpatialApi.Indicators;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>Registers the checks: definitions, ledger, runner, alerts and (in the service) the scheduler.</summary>
public static class ChecksSetup
{
    /// <summary>Everything but the scheduler; the command line uses this alone.</summary>
    public static IServiceCollection AddCheckServices(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new CheckOptions();
        configuration.GetSection("Checks").Bind(options);
        services.AddSingleton(options);
        services.AddSingleton<CheckStore>();
        services.AddSingleton<CheckLedger>();
        services.AddSingleton<CheckRunner>();
        services.AddSingleton(sp => new AlertSender(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<CheckLedger>(), sp.GetRequiredService<CheckOptions>(), sp.GetRequiredService<ILogger<AlertSender>>()));
        services.TryAddSingleton<IndicatorService>();
        return services;
    }

    /// <summary>The checks in the web service: <see cref="AddCheckServices"/> and the <see cref="CheckScheduler"/>.</summary>
    public static IServiceCollection AddChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCheckServices(configuration);
        services.AddHostedService<CheckScheduler>();
        return services;
    }
}
