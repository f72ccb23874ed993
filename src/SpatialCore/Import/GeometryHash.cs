using System.Buffers.Binary;
using System.Security.Cryptography;
using NetTopologySuite.Geometries;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// The identity of a stored geometry: the md5 of its EWKB exactly as PostGIS writes it (<c>md5(ST_AsEWKB(geom))</c>:
/// little-endian, SRID on the outer geometry only, 2D), as a uuid. Equal hashes mean equal geometries, so a new
/// version's unchanged parcels can reuse what was computed for an older one. Computed by the importer while it
/// prepares features (on all cores), not by the database per stored row; the same EWKB bytes are what the importer
/// sends PostGIS for the geometry.
/// </summary>
public static class GeometryHash
{
    private const uint SridFlag = 0x20000000;

    /// <summary>
    /// One MD5 per thread, reused: a geometry's EWKB is a hundred-odd bytes, and a one-shot hash sets up and tears
    /// down the platform's digest context each time, which costs more than hashing the bytes.
    /// </summary>
    [ThreadStatic]
    private static IncrementalHash? md5;

    /// <summary>The hash of an EWKB (<see cref="Ewkb"/>).</summary>
    public static Guid Of(ReadOnlySpan<byte> ewkb)
    {
        var hash = md5 ??= IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        Span<byte> digest = stackalloc byte[16];
        hash.AppendData(ewkb);
        hash.GetHashAndReset(digest);
        return new Guid(digest, bigEndian: true);
    }

    /// <summary><paramref name="geometry"/> (2D, with its SRID) as PostGIS's <c>ST_AsEWKB</c> writes it.</summary>
    public static byte[] Ewkb(MultiPolygon geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var size = 13;
        for (var p = 0; p < geometry.NumGeometries; p++)
        {
            var polygon = (Polygon)geometry.GetGeometryN(p);
            size += 9;
            for (var r = 0; r < Rings(polygon); r++)
            {
                size += 4 + (16 * Ring(polygon, r).Count);
            }
        }

        var ewkb = new byte[size];
        Header(ewkb, 6 | SridFlag, geometry.SRID); // the outer header carries the SRID, then the polygon count
        BinaryPrimitives.WriteInt32LittleEndian(ewkb.AsSpan(9), geometry.NumGeometries);
        var at = 13;
        for (var p = 0; p < geometry.NumGeometries; p++)
        {
            var polygon = (Polygon)geometry.GetGeometryN(p);
            at += Header(ewkb.AsSpan(at), 3, Rings(polygon));
            for (var r = 0; r < Rings(polygon); r++)
            {
                var ring = Ring(polygon, r);
                BinaryPrimitives.WriteInt32LittleEndian(ewkb.AsSpan(at), ring.Count);
                at += 4;
                for (var i = 0; i < ring.Count; i++, at += 16)
                {
                    BinaryPrimitives.WriteDoubleLittleEndian(ewkb.AsSpan(at), ring.GetX(i));
                    BinaryPrimitives.WriteDoubleLittleEndian(ewkb.AsSpan(at + 8), ring.GetY(i));
                }
            }
        }

        return ewkb;
    }

    /// <summary>Writes byte order, type and one int32 (9 bytes); returns 9.</summary>
    private static int Header(Span<byte> target, uint type, int value)
    {
        target[0] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(target[1..], type);
        BinaryPrimitives.WriteInt32LittleEndian(target[5..], value);
        return 9;
    }

    /// <summary>The number of rings of a polygon as EWKB counts them (none when empty).</summary>
    private static int Rings(Polygon polygon) => polygon.IsEmpty ? 0 : 1 + polygon.NumInteriorRings;

    /// <summary>Ring <paramref name="r"/>: 0 the shell, then the holes.</summary>
    private static CoordinateSequence Ring(Polygon polygon, int r) =>
        (r == 0 ? polygon.ExteriorRing : polygon.GetInteriorRingN(r - 1)).CoordinateSequence;
}
