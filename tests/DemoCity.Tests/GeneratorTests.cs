using System.Diagnostics;
using System.Globalization;

namespace EcoSpatial.DemoCity.Tests;

public class GeneratorTests
{
    [Fact]
    public void Same_seed_and_parameters_give_identical_bytes_and_another_seed_does_not()
    {
        var a = Temp();
        var b = Temp();
        var c = Temp();
        try
        {
            // The second run under a culture with a decimal comma and a U+2212 minus: the output must not notice.
            Generator.Run(new GeneratorOptions(a, -7, 2000));
            var culture = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("sv-SE");
                Generator.Run(new GeneratorOptions(b, -7, 2000));
            }
            finally
            {
                CultureInfo.CurrentCulture = culture;
            }

            Generator.Run(new GeneratorOptions(c, 8, 2000));

            var names = Directory.GetFiles(a).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(8, names.Count);
            Assert.Equal(names, Directory.GetFiles(b).Select(Path.GetFileName).Order());
            foreach (var name in names)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(a, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, name!))),
                    $"{name} differs between two runs with the same seed");
            }

            Assert.False(File.ReadAllBytes(Path.Combine(a, "landuse-2021.geojson")).AsSpan()
                .SequenceEqual(File.ReadAllBytes(Path.Combine(c, "landuse-2021.geojson"))));
        }
        finally
        {
            foreach (var dir in new[] { a, b, c })
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public void Committed_demo_files_equal_a_fresh_default_run()
    {
        var committed = Path.Combine(Repo.Root, "data", "geo", "demo");
        var fresh = Temp();
        try
        {
            Generator.Run(new GeneratorOptions(fresh));
            var names = Directory.GetFiles(fresh).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(names, Directory.GetFiles(committed).Select(Path.GetFileName).Order());
            foreach (var name in names)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(committed, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fresh, name!))),
                    $"data/geo/demo/{name} is stale: run ./eco gen and commit the result");
            }
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    [Theory]
    [InlineData("--parcels", "12")]
    [InlineData("--parcels", "many")]
    [InlineData("--seed", "x")]
    [InlineData("--out")]
    [InlineData("--colour", "red")]
    public void Bad_arguments_give_one_line_on_stderr_and_exit_2(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EcoSpatial.DemoCity.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEnd();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(2, process.ExitCode);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("eco gen: ", stderr);
    }

    private static string Temp() => Path.Combine(Path.GetTempPath(), $"democity-{Guid.NewGuid():N}");
}
