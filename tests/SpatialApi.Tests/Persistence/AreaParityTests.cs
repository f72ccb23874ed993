using System.Text.Json;
using EcoSpatial.SpatialApi.Tests.Support;
using EcoSpatial.SpatialCore;
using EcoSpatial.SpatialCore.Geodesy;
using EcoSpatial.SpatialCore.Tests.Support;
using NetTopologySuite.IO;

namespace EcoSpatial.SpatialApi.Tests.Persistence;

/// <summary>SpatialCore's ellipsoidal area and PostGIS <c>ST_Area(geom::geography)</c> agree on every golden polygon.</summary>
[Collection(nameof(EcoApiCollection))]
public class AreaParityTests(EcoApi api)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Fixture())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task NTS_and_PostGIS_agree_to_1e_9(string name)
    {
        var wkt = Fixture().Single(c => c.GetProperty("name").GetString() == name).GetProperty("wkt").GetString()!;
        var geometry = new WKTReader(Srid.Cgcs2000Factory.GeometryServices).Read(wkt);
        geometry.SRID = Srid.Cgcs2000;

        var postgis = await api.Database.ScalarAsync<double>("SELECT ST_Area(ST_GeomFromText($1, 4490)::geography)", wkt);
        var core = EllipsoidalArea.Of(geometry);

        Assert.InRange(Math.Abs(core - postgis) / postgis, 0, 1e-9);
    }

    private static IEnumerable<JsonElement> Fixture() => JsonDocument
        .Parse(File.ReadAllText(Repo.File("data", "geo", "fixtures", "area-planimeter.json")))
        .RootElement.GetProperty("cases").EnumerateArray().ToList();
}
