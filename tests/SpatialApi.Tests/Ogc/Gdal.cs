using System.Diagnostics;

namespace EcoSpatial.SpatialApi.Tests.Ogc;

/// <summary>Runs GDAL's command-line tools (Debian gdal-bin; ./eco test installs it) and captures their output.</summary>
public static class Gdal
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public static async Task<Result> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GDAL_HTTP_TIMEOUT"] = "60";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{tool}' could not be started ({e.Message}): install gdal-bin (./eco test does).", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            return new Result(process.ExitCode, await output, await errors);
        }
    }
}
