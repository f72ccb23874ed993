using System.Net.Http.Headers;
using System.Text;

namespace EcoSpatial.SpatialApi.Tests.Support;

/// <summary>Small GeoJSON documents and the multipart form that uploads one.</summary>
public static class GeoJsonFiles
{
    public static string Square(double lon, double lat, double size) =>
        FormattableString.Invariant($"[[[{lon},{lat}],[{lon + size},{lat}],[{lon + size},{lat + size}],[{lon},{lat + size}],[{lon},{lat}]]]");

    public static string Collection(params string[] features) =>
        $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""";

    public static string Feature(string properties, string polygonCoordinates) =>
        $$$"""{"type":"Feature","properties":{{{properties}}},"geometry":{"type":"Polygon","coordinates":{{{polygonCoordinates}}}}}""";

    public static MultipartFormDataContent Upload(string geoJson, string asOf, string? label = null, string? approval = null, string fileName = "upload.geojson")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(geoJson));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(asOf), "asOf");
        if (label is not null)
        {
            form.Add(new StringContent(label), "label");
        }

        if (approval is not null)
        {
            form.Add(new StringContent(approval), "approval");
        }

        return form;
    }
}
