using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace EcoSpatial.DemoCity;

/// <summary>What to generate and where.</summary>
/// <param name="OutputDirectory">Folder for the GeoJSON files and <c>manifest.json</c>; created if missing.</param>
/// <param name="Seed">Seed of every random choice; the same seed and parcel count give byte-identical files.</param>
/// <param name="Parcels">Minimum number of land-use parcels per year.</param>
internal sealed record GeneratorOptions(string OutputDirectory, long Seed = Generator.DefaultSeed, int Parcels = Generator.DefaultParcels);

/// <summary>One written file: its name, feature count and total ellipsoidal area in m².</summary>
internal sealed record WrittenFile(string File, int Features, double AreaM2);

/// <summary>One import of <c>manifest.json</c>, in the shape the demo loader reads.</summary>
internal sealed record ManifestEntry(string Layer, string File, string AsOf, string Label, string? Approval);

/// <summary>
/// The demo-city generator: a synthetic county-level city laid on the real frame of 汉川市, written as GeoJSON
/// layers (towns, land use 2021/2023, red lines 2021/2023, protected areas, water-source zones) and a manifest.
/// </summary>
internal static class Generator
{
    public const long DefaultSeed = 20261129;
    public const int DefaultParcels = 24000;

    /// <summary>The imports in the order <c>./eco up</c> loads them.</summary>
    public static IReadOnlyList<ManifestEntry> Manifest { get; } =
    [
        new("admin-units", "admin-units.geojson", "2021-12-31", "乡镇界线 2021 (synthetic)", null),
        new("landuse", "landuse-2021.geojson", "2021-12-31", "土地利用现状 2021 (synthetic)", null),
        new("redlines", "redlines-2021.geojson", "2021-12-31", "生态保护红线 2021 (synthetic)", "鄂政函〔2021〕示例号 (synthetic)"),
        new("reserves", "reserves-2021.geojson", "2021-12-31", "自然保护地 2021 (synthetic)", null),
        new("water-source-zones", "water-source-zones-2021.geojson", "2021-12-31", "饮用水水源保护区 2021 (synthetic)", null),
        new("landuse", "landuse-2023.geojson", "2023-12-31", "土地利用现状 2023 (synthetic)", null),
        new("redlines", "redlines-2023.geojson", "2023-12-31", "生态保护红线 2023 (synthetic, unapproved change)", null),
    ];

    public static IReadOnlyList<WrittenFile> Run(GeneratorOptions options, TextWriter? log = null)
    {
        Directory.CreateDirectory(options.OutputDirectory);
        var (seed, parcels) = (options.Seed.ToString(CultureInfo.InvariantCulture), options.Parcels.ToString(CultureInfo.InvariantCulture));
        var note = $"SYNTHETIC demo data made by ./eco gen (seed {seed}, {parcels} parcels) on the real frame "
            + $"of 汉川市 (GB/T 2260 {Frame.CountyCode}); only the county outline and the Han River are real. "
            + "Not official boundaries.";

        var frame = Frame.Load();
        var towns = Towns.Build(frame, options.Seed);
        var zones = Zones.Build(frame, towns, options.Seed);
        log?.WriteLine($"frame, {towns.Count} towns and the protection zones are ready");

        var written = new List<WrittenFile>
        {
            Write(options, "admin-units", note, towns.Select(t => (t.Area, Props(
                ("XZQDM", t.Code), ("XZQMC", t.Name), ("JB", "乡镇"), ("DXLB", t.Terrain))))),
        };
        written.AddRange(WriteLandUse(options, note, frame, towns, zones, log));
        written.Add(Write(options, "redlines-2021", note, zones.RedLines.Select(r => (r.Area2021, Props(
            ("HXBH", r.Code), ("HXMC", r.Name), ("HXLX", r.Function))))));
        written.Add(Write(options, "redlines-2023", note, zones.RedLines.Select(r => (r.Area2023, Props(
            ("HXBH", r.Code), ("HXMC", r.Name), ("HXLX", r.Function))))));
        written.Add(Write(options, "reserves-2021", note, zones.Reserves.Select(r => (r.Area, Props(
            ("BHDMC", r.Name), ("BHDLX", r.Category), ("GNFQ", r.Zone), ("JB", r.Level))))));
        written.Add(Write(options, "water-source-zones-2021", note, zones.WaterSources.Select(w => (w.Area, Props(
            ("SYDMC", w.SourceName), ("BHQJB", w.Level), ("SYDLX", "河流型"))))));

        File.WriteAllBytes(Path.Combine(options.OutputDirectory, "manifest.json"), ManifestJson());
        return written;
    }

    private static IEnumerable<WrittenFile> WriteLandUse(
        GeneratorOptions options, string note, Frame frame, IReadOnlyList<Town> towns, Zones zones, TextWriter? log)
    {
        var parcels = new Parcels(frame, towns, zones, options.Seed, options.Parcels);
        log?.WriteLine($"land use: parcel spacing {parcels.Spacing:F0} m");
        double area = 0;
        var changed = 0;
        int count;
        using (var y2021 = new GeoJsonOut(Path.Combine(options.OutputDirectory, "landuse-2021.geojson"), "landuse-2021", note))
        using (var y2023 = new GeoJsonOut(Path.Combine(options.OutputDirectory, "landuse-2023.geojson"), "landuse-2023", note))
        {
            long serial = 0;
            foreach (var p in parcels.Water().Concat(parcels.Land().SelectMany(batch => batch)))
            {
                serial++;
                var tbmj = Math.Round(p.AreaM2, 2, MidpointRounding.AwayFromZero);
                var bsm2021 = $"{Frame.CountyCode}21{serial:D8}";
                var bsm2023 = p.Class2023 == p.Class2021 ? bsm2021 : $"{Frame.CountyCode}23{serial:D8}";
                y2021.Write(serial, p.Geometry, LandUseProps(bsm2021, p.Class2021, towns[p.Town].Code, tbmj));
                y2023.Write(serial, p.Geometry, LandUseProps(bsm2023, p.Class2023, towns[p.Town].Code, tbmj));
                area += p.AreaM2;
                changed += p.Class2023 == p.Class2021 ? 0 : 1;
            }

            count = y2021.Count;
        }

        if (count < options.Parcels)
        {
            throw new InvalidOperationException($"Made {count} parcels, fewer than the {options.Parcels} asked for.");
        }

        log?.WriteLine($"land use: {count} parcels, {changed} changed class in 2023 ({100.0 * changed / count:F2} %)");
        return [new("landuse-2021.geojson", count, area), new("landuse-2023.geojson", count, area)];
    }

    private static (string Key, object Value)[] LandUseProps(string bsm, string code, string town, double tbmj) =>
        [("BSM", bsm), ("DLBM", code), ("DLMC", LandClasses.Names[code]), ("ZLDWDM", town), ("TBMJ", tbmj)];

    private static (string Key, object Value)[] Props(params (string Key, object Value)[] properties) => properties;

    private static WrittenFile Write(
        GeneratorOptions options, string name, string note, IEnumerable<(Geometry Geometry, (string Key, object Value)[] Properties)> features)
    {
        var file = name + ".geojson";
        double area = 0;
        using var output = new GeoJsonOut(Path.Combine(options.OutputDirectory, file), name, note);
        foreach (var (geometry, properties) in features)
        {
            if (geometry.IsEmpty || !geometry.IsValid)
            {
                throw new InvalidOperationException($"{file}: feature {output.Count + 1} is empty or invalid.");
            }

            output.Write(output.Count + 1, geometry, properties);
            area += OutputGrid.Area(geometry);
        }

        return new WrittenFile(file, output.Count, area);
    }

    private static byte[] ManifestJson()
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(Manifest, new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        return [.. json, (byte)'\n'];
    }
}
