using System.Text.Json;
using EcoSpatial.SpatialCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace EcoSpatial.DemoCity.Tests;

/// <summary>One feature of a generated file: its integer id, properties and geometry (SRID 4490).</summary>
public sealed record Feature(long Id, IReadOnlyDictionary<string, JsonElement> Properties, Geometry Geometry)
{
    public string Text(string key) => Properties[key].GetString()!;
}

/// <summary>A generated layer file, parsed: its top-level members and features.</summary>
public sealed record Layer(JsonElement Root, IReadOnlyList<Feature> Features)
{
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(Srid.Cgcs2000Factory) } };

    public static Layer Read(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement.Clone();
        var features = root.GetProperty("features").EnumerateArray().Select(f => new Feature(
            f.GetProperty("id").GetInt64(),
            f.GetProperty("properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone()),
            WithSrid(f.GetProperty("geometry").Deserialize<Geometry>(GeoJson)!))).ToList();
        return new Layer(root, features);
    }

    private static Geometry WithSrid(Geometry g)
    {
        g.SRID = Srid.Cgcs2000;
        return g;
    }
}

/// <summary>A small city (2000 parcels) generated once into a temporary folder and shared by the tests of a class.</summary>
public sealed class GeneratedCity : IDisposable
{
    public const int ParcelCount = 2000;

    public GeneratedCity()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"democity-{Guid.NewGuid():N}");
        Files = Generator.Run(new GeneratorOptions(Directory, Generator.DefaultSeed, ParcelCount));
        Layers = System.IO.Directory.GetFiles(Directory, "*.geojson")
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), Layer.Read);
    }

    public string Directory { get; }

    internal IReadOnlyList<WrittenFile> Files { get; }

    public IReadOnlyDictionary<string, Layer> Layers { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>The repository root: the folder above the test binaries that holds EcoSpatial.sln.</summary>
public static class Repo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EcoSpatial.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EcoSpatial.sln not found above " + AppContext.BaseDirectory);
    }
}
