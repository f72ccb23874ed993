namespace EcoSpatial.SpatialApi.Tests.Tiles;

/// <summary>XYZ tile numbers of a lon/lat point (the Web Mercator "slippy map" formula).</summary>
public static class TileMath
{
    public static (int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = Math.Pow(2, z);
        var x = (int)Math.Floor((lon + 180) / 360 * n);
        var latRad = lat * Math.PI / 180;
        var y = (int)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n);
        return (x, y);
    }
}
