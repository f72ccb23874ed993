using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;
using static EcoSpatial.SpatialCore.Tests.Support.Repo;

namespace EcoSpatial.SpatialApi.Tests.Web;

/// <summary>
/// The web map and dashboard in a real browser: Debian's chromium, headless, WebGL on SwiftShader, driven by
/// web/tests/browser.mjs (playwright-core) against the demo city on a loopback port. One browser launch runs every
/// check; the screenshots (one per view) stay in web/test-results/ as the test's artefacts.
/// </summary>
public sealed class BrowserTests(DemoCityServer server, ITestOutputHelper output) : IClassFixture<DemoCityServer>
{
    private static readonly string Artefacts = File("web", "test-results");

    [Fact]
    public async Task The_page_shows_the_map_views_and_the_dashboard_in_a_real_browser()
    {
        var (exitCode, stdout, stderr) = await RunAsync("node", File("web", "tests", "browser.mjs"),
            "--base", server.BaseAddress.ToString(), "--out", Artefacts);
        var report = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.StartsWith('{'));
        Assert.True(report is not null, $"browser.mjs printed no report (exit {exitCode}).\nstdout:\n{stdout}\nstderr:\n{stderr}");
        using var json = JsonDocument.Parse(report);
        var root = json.RootElement;
        if (root.TryGetProperty("fatal", out var fatal))
        {
            Assert.Fail($"{fatal.GetString()}\nInstall Debian's chromium (./eco test does, as root).\nstderr:\n{stderr}");
        }

        var failed = new List<string>();
        foreach (var check in root.GetProperty("checks").EnumerateArray())
        {
            var ok = check.GetProperty("ok").GetBoolean();
            var line = $"{(ok ? "pass" : "FAIL")}  {check.GetProperty("name").GetString()}";
            output.WriteLine(line);
            if (!ok)
            {
                failed.Add($"{line}: {(check.TryGetProperty("detail", out var d) ? d.GetRawText() : "")}");
            }
        }

        output.WriteLine($"screenshots: {Artefacts}");
        Assert.True(failed.Count == 0, string.Join('\n', failed));
        Assert.True(exitCode == 0, $"browser.mjs exited {exitCode}\n{stderr}");
        Assert.True(root.GetProperty("checks").GetArrayLength() >= 15, "fewer checks ran than the script has");
        foreach (var view in new[] { "map", "changes", "encroachments", "screening", "dashboard" })
        {
            Assert.True(System.IO.File.Exists(Path.Combine(Artefacts, $"{view}.png")), $"no screenshot of {view}");
        }
    }

    [Fact]
    public async Task An_indicator_comes_as_CSV_with_one_row_per_admin_unit()
    {
        using var client = server.Client();
        var json = await client.GetFromJsonAsync<JsonElement>("/api/indicators/forest-grass-coverage?asOf=2023-12-31");
        var response = await client.GetAsync("/api/indicators/forest-grass-coverage?asOf=2023-12-31&f=csv");
        var csv = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("indicator,region,", lines[0]);
        Assert.Equal(json.GetProperty("breakdown").GetArrayLength() + 1, lines.Length);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("forest-grass-coverage,", l));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/indicators/forest-grass-coverage?f=xml")).StatusCode);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = File("web") };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{tool}' could not be started ({e.Message}): Node.js 20.19+ is needed for the browser tests.", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"browser.mjs did not finish within 15 minutes.\n{await stdout}\n{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
