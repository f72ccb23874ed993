using System.Text.Json;
using System.Text.RegularExpressions;
using EcoSpatial.SpatialApi.Tests.Support;
using EcoSpatial.SpatialCore;
using EcoSpatial.SpatialCore.Geodesy;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace EcoSpatial.SpatialApi.Tests.Ogc;

/// <summary>GDAL's OAPIF driver (a real client) reads every layer and version through <c>/ogc</c>.</summary>
[Collection(nameof(EcoApiCollection))]
public partial class GdalClientTests(MapServer server) : IClassFixture<MapServer>
{
    private string Ogc => new Uri(server.BaseAddress, "/ogc").ToString();

    [Fact]
    public async Task Ogrinfo_lists_the_five_collections()
    {
        var result = await Gdal.RunAsync("ogrinfo", "-ro", "-so", "OAPIF:" + Ogc);

        Assert.True(result.ExitCode == 0, result.Errors);
        foreach (var layer in new[] { "redlines", "reserves", "water-source-zones", "landuse", "admin-units" })
        {
            Assert.Contains($": {layer} (", result.Output);
        }
    }

    [Fact]
    public async Task Ogrinfo_counts_every_version_of_every_layer()
    {
        foreach (var version in server.Versions)
        {
            var url = $"OAPIF:{Ogc}/collections/{version.Layer}?version={version.Id}";
            var result = await Gdal.RunAsync("ogrinfo", "-ro", "-so", "-al", url);

            Assert.True(result.ExitCode == 0, result.Errors);
            Assert.Equal(version.FeatureCount, FeatureCount(result.Output));
        }
    }

    [Fact]
    public async Task Ogrinfo_reads_the_version_in_force_at_a_datetime_and_the_current_one_by_default()
    {
        var landuse = server.Versions.Where(v => v.Layer == "landuse").OrderBy(v => v.AsOf).ToList();

        var at2019 = await Gdal.RunAsync("ogrinfo", "-ro", "-so", "-al", $"OAPIF:{Ogc}/collections/landuse?datetime=2020-06-30");
        var current = await Gdal.RunAsync("ogrinfo", "-ro", "-so", "-al", $"OAPIF:{Ogc}/collections/landuse");

        Assert.Equal(landuse[0].FeatureCount, FeatureCount(at2019.Output));
        Assert.Equal(landuse[1].FeatureCount, FeatureCount(current.Output));
    }

    /// <summary>
    /// ogr2ogr pages a whole land-use version (500 a page: 3 or more pages, each found by the previous page's next link)
    /// into a GeoPackage; the GeoPackage then holds the stored count and the stored total ellipsoidal area.
    /// </summary>
    [Fact]
    public async Task Ogr2ogr_pages_each_landuse_version_into_a_geopackage_with_the_stored_count_and_area()
    {
        foreach (var version in server.Versions.Where(v => v.Layer == "landuse"))
        {
            var gpkg = Path.Combine(Path.GetTempPath(), $"eco-oapif-{Guid.NewGuid():N}.gpkg");
            try
            {
                var copy = await Gdal.RunAsync("ogr2ogr", "-f", "GPKG", gpkg, "-oo", "PAGE_SIZE=500", "-nln", "landuse",
                    $"OAPIF:{Ogc}/collections/landuse?version={version.Id}", "--debug", "on");
                Assert.True(copy.ExitCode == 0, copy.Errors);
                var pages = ItemsFetch().Matches(copy.Errors).Count;
                Assert.True(pages >= 3, $"expected several pages, GDAL fetched {pages}");

                var info = await Gdal.RunAsync("ogrinfo", "-ro", "-so", "-al", gpkg);
                Assert.Equal(version.FeatureCount, FeatureCount(info.Output));

                var asGeoJson = await Gdal.RunAsync("ogr2ogr", "-f", "GeoJSON", "/vsistdout/", gpkg, "landuse");
                var features = ReadFeatures(asGeoJson.Output);
                Assert.Equal(version.FeatureCount, features.Count);
                Assert.Equal(features.Count, features.Select(f => f.Attributes["parcel_code"]).Distinct().Count());
                var area = features.Sum(f =>
                {
                    var geometry = f.Geometry.Copy();
                    geometry.SRID = Srid.Cgcs2000; // CRS84 and CGCS2000 lon/lat coincide (architecture: storage 4490, output CRS84)
                    return EllipsoidalArea.Of(geometry);
                });
                Assert.Equal(version.AreaM2, area, version.AreaM2 * 1e-9);
            }
            finally
            {
                File.Delete(gpkg);
            }
        }
    }

    private static int FeatureCount(string ogrinfo) =>
        int.Parse(FeatureCountLine().Match(ogrinfo) is { Success: true } m ? m.Groups[1].Value : throw new Xunit.Sdk.XunitException(ogrinfo),
            System.Globalization.CultureInfo.InvariantCulture);

    private static FeatureCollection ReadFeatures(string geoJson)
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory());
        return JsonSerializer.Deserialize<FeatureCollection>(geoJson, options)!;
    }

    [GeneratedRegex(@"Feature Count: (\d+)")]
    private static partial Regex FeatureCountLine();

    [GeneratedRegex(@"Fetch\([^)]*/items\?")]
    private static partial Regex ItemsFetch();
}
