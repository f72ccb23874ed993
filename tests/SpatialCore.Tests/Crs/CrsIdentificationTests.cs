using EcoSpatial.SpatialCore.Crs;
using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialCore.Tests.Crs;

public class CrsIdentificationTests
{
    // As ArcGIS / GDAL write them (gdalsrsinfo -o wkt_esri).
    private const string Gk114 = """
        PROJCS["CGCS2000_3_Degree_GK_CM_114E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",
        SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],
        PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],
        PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]
        """;

    private const string GkZone38 = """
        PROJCS["CGCS2000_3_Degree_GK_Zone_38",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",
        SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],
        PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",38500000.0],PARAMETER["False_Northing",0.0],
        PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]
        """;

    private const string Gk6Cm111 = """
        PROJCS["CGCS2000_GK_CM_111E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",
        SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],
        PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],
        PARAMETER["Central_Meridian",111.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]
        """;

    private const string Cgcs2000 = """
        GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],
        PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]
        """;

    private const string WebMercator = """
        PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],
        PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],
        PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],
        PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]
        """;

    private const string Utm50 = """
        PROJCS["WGS_1984_UTM_Zone_50N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],
        PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],
        PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",0.9996],
        PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]
        """;

    internal const string Xian80 = """
        PROJCS["Xian_1980_3_Degree_GK_CM_114E",GEOGCS["GCS_Xian_1980",DATUM["D_Xian_1980",SPHEROID["Xian_1980",6378140.0,298.257]],
        PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],
        PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],
        PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]
        """;

    private const string Beijing54 = """
        PROJCS["Beijing_1954_3_Degree_GK_CM_114E",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],
        PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],
        PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",114.0],PARAMETER["Scale_Factor",1.0],
        PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]
        """;

    [Theory]
    [InlineData(Gk114, "EPSG:4547")]
    [InlineData(GkZone38, "EPSG:4526")]
    [InlineData(Gk6Cm111, "EPSG:4508")]
    [InlineData(Cgcs2000, "EPSG:4490")]
    [InlineData(WebMercator, "EPSG:3857")]
    [InlineData(Utm50, "EPSG:32650")]
    [InlineData("GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4326\"]]", "EPSG:4326")]
    public void Esri_prj_texts_are_identified(string wkt, string code)
    {
        Assert.Equal(code, EsriPrj.Identify(wkt).Code);
    }

    [Theory]
    [InlineData(4491, 75, 13_500_000)]
    [InlineData(4501, 135, 23_500_000)]
    [InlineData(4502, 75, 500_000)]
    [InlineData(4512, 135, 500_000)]
    [InlineData(4513, 75, 25_500_000)]
    [InlineData(4526, 114, 38_500_000)]
    [InlineData(4533, 135, 45_500_000)]
    [InlineData(4534, 75, 500_000)]
    [InlineData(4547, 114, 500_000)]
    [InlineData(4554, 135, 500_000)]
    public void Gauss_Kruger_codes_follow_the_PROJ_database(int code, double centralMeridian, double falseEasting)
    {
        var crs = CrsCatalog.FromEpsg(code)!;

        Assert.Equal((centralMeridian, falseEasting, 1.0, GeodeticFrame.Cgcs2000), (crs.CentralMeridian, crs.FalseEasting, crs.ScaleFactor, crs.Frame));
    }

    [Fact]
    public void Every_code_from_4491_to_4554_is_supported_and_identified_back_from_its_parameters()
    {
        for (var code = 4491; code <= 4554; code++)
        {
            var crs = CrsCatalog.FromEpsg(code)!;
            var sixDegree = code <= 4512;
            var back = CrsCatalog.IdentifyGaussKruger(crs.CentralMeridian, crs.FalseEasting, sixDegree)!;
            Assert.Equal((crs.CentralMeridian, crs.FalseEasting), (back.CentralMeridian, back.FalseEasting));
        }
    }

    [Fact]
    public void Xian_1980_is_refused_without_parameters_with_a_message_that_says_so()
    {
        var e = Assert.Throws<SpatialInputException>(() => EsriPrj.Identify(Xian80));

        Assert.Equal(SpatialError.WrongCrs, e.Error);
        Assert.Contains("Xi'an 1980", e.Message);
        Assert.Contains("--towgs84", e.Message);
    }

    [Fact]
    public void Beijing_1954_is_accepted_with_towgs84()
    {
        var crs = EsriPrj.Identify(Beijing54, [15.8, -154.4, -82.3]);

        Assert.Equal(GeodeticFrame.Beijing1954, crs.Frame);
        Assert.Contains("towgs84", crs.Code);
    }

    [Theory]
    [InlineData("not a projection at all", "not WKT")]
    [InlineData("PROJCS[\"Lambert\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]]],PROJECTION[\"Lambert_Conformal_Conic\"],UNIT[\"Meter\",1.0]]", "Lambert_Conformal_Conic")]
    [InlineData("GEOGCS[\"Tokyo\",DATUM[\"D_Tokyo\",SPHEROID[\"Bessel_1841\",6377397.155,299.1528128]]]", "D_Tokyo")]
    [InlineData("PROJCS[\"odd\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"Central_Meridian\",114.5],PARAMETER[\"Scale_Factor\",1.0],UNIT[\"Meter\",1.0]]", "central meridian 114.5")]
    public void Unidentified_prj_fails_naming_what_was_found(string wkt, string named)
    {
        var e = Assert.Throws<SpatialInputException>(() => EsriPrj.Identify(wkt));

        Assert.Equal(SpatialError.WrongCrs, e.Error);
        Assert.Contains(named, e.Message);
    }

    [Theory]
    [InlineData("EPSG:4547", "EPSG:4547")]
    [InlineData("4526", "EPSG:4526")]
    [InlineData("gcj02", "GCJ02")]
    [InlineData("GCJ-02", "GCJ02")]
    public void Crs_option_is_parsed(string text, string code)
    {
        Assert.Equal(code, CrsCatalog.Parse(text).Code);
    }

    [Theory]
    [InlineData("EPSG:2383")]
    [InlineData("mercator")]
    public void Unsupported_crs_option_is_refused(string text)
    {
        Assert.Equal(SpatialError.WrongCrs, Assert.Throws<SpatialInputException>(() => CrsCatalog.Parse(text)).Error);
    }
}
