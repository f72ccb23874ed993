using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>Opens a file as the <see cref="IFeatureSource"/> of its format, recognised by its first bytes (not its name).</summary>
public static class FeatureSources
{
    /// <summary>
    /// Opens <paramref name="path"/>: a zip (a zipped Shapefile), a GeoPackage (SQLite), a <c>.shp</c> beside its
    /// <c>.dbf</c>, or GeoJSON.
    /// </summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.MalformedInput"/> for an empty or unknown file.</exception>
    public static IFeatureSource Open(string path, string? member)
    {
        Span<byte> head = stackalloc byte[64];
        int n;
        using (var file = File.OpenRead(path))
        {
            n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        head = head[..n];
        if (n == 0)
        {
            throw new SpatialInputException(SpatialError.MalformedInput, "The file is empty (0 bytes).");
        }

        if (head.StartsWith("PK\u0003\u0004"u8) || head.StartsWith("PK\u0005\u0006"u8))
        {
            return ShapefileSource.OpenZip(path, member);
        }

        if (head.StartsWith("SQLite format 3\0"u8))
        {
            return GeoPackageSource.Open(path, member);
        }

        if (n >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x27 && head[3] == 0x0A)
        {
            return ShapefileSource.OpenShp(path);
        }

        var first = head.TrimStart(" \t\r\n\uFEFF"u8);
        if (first.Length > 0 && first[0] is (byte)'{' or (byte)'[')
        {
            using var stream = File.OpenRead(path);
            return new GeoJsonFeatureSource(stream);
        }

        throw new SpatialInputException(SpatialError.MalformedInput,
            "The file is not a format EcoSpatial reads: a zipped Shapefile (.zip), a GeoPackage (.gpkg) or GeoJSON.");
    }
}
