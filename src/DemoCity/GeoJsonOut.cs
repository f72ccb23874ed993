using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;

namespace EcoSpatial.DemoCity;

/// <summary>
/// Streams a GeoJSON FeatureCollection to a file, one feature per line: lon/lat on the 1e-7° grid as written by
/// <see cref="Utf8JsonWriter"/> (shortest round-trip, invariant culture), rings in RFC 7946 orientation (shells
/// counter-clockwise), the legacy <c>crs</c> member naming EPSG:4490, and a <c>note</c> foreign member.
/// </summary>
internal sealed class GeoJsonOut : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 12);
    private readonly Utf8JsonWriter _json;

    public GeoJsonOut(string path, string name, string note)
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _json = new Utf8JsonWriter(_buffer, Options);
        _json.WriteStartObject();
        _json.WriteString("type", "FeatureCollection");
        _json.WriteString("name", name);
        _json.WriteStartObject("crs");
        _json.WriteString("type", "name");
        _json.WriteStartObject("properties");
        _json.WriteString("name", "urn:ogc:def:crs:EPSG::4490");
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteString("note", note);
        _json.WriteStartArray("features");
        _json.Flush();
        _file.Write(_buffer.WrittenSpan);
    }

    /// <summary>Features written so far.</summary>
    public int Count { get; private set; }

    /// <summary>Writes one feature. Property values are strings or numbers.</summary>
    public void Write(long id, Geometry geometry, params (string Key, object Value)[] properties)
    {
        _buffer.Clear();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("type", "Feature");
        _json.WriteNumber("id", id);
        _json.WriteStartObject("properties");
        foreach (var (key, value) in properties)
        {
            switch (value)
            {
                case string s:
                    _json.WriteString(key, s);
                    break;
                case double d:
                    _json.WriteNumber(key, d);
                    break;
                case int n:
                    _json.WriteNumber(key, n);
                    break;
                default:
                    throw new ArgumentException($"Unsupported property type for {key}: {value.GetType()}");
            }
        }

        _json.WriteEndObject();
        WriteGeometry(geometry);
        _json.WriteEndObject();
        _json.Flush();
        _file.Write(Count == 0 ? "\n"u8 : ",\n"u8);
        _file.Write(_buffer.WrittenSpan);
        Count++;
    }

    public void Dispose()
    {
        _file.Write("\n]}\n"u8);
        _file.Dispose();
    }

    private void WriteGeometry(Geometry geometry)
    {
        _json.WriteStartObject("geometry");
        switch (geometry)
        {
            case Polygon polygon:
                _json.WriteString("type", "Polygon");
                _json.WriteStartArray("coordinates");
                WritePolygon(polygon);
                _json.WriteEndArray();
                break;
            case MultiPolygon multi:
                _json.WriteString("type", "MultiPolygon");
                _json.WriteStartArray("coordinates");
                for (var i = 0; i < multi.NumGeometries; i++)
                {
                    _json.WriteStartArray();
                    WritePolygon((Polygon)multi.GetGeometryN(i));
                    _json.WriteEndArray();
                }

                _json.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"Only Polygon and MultiPolygon are written, got {geometry.GeometryType}.");
        }

        _json.WriteEndObject();
    }

    private void WritePolygon(Polygon polygon)
    {
        WriteRing(polygon.ExteriorRing.CoordinateSequence, counterClockwise: true);
        foreach (var hole in polygon.InteriorRings)
        {
            WriteRing(hole.CoordinateSequence, counterClockwise: false);
        }
    }

    private void WriteRing(CoordinateSequence ring, bool counterClockwise)
    {
        var reverse = Orientation.IsCCW(ring) != counterClockwise;
        _json.WriteStartArray();
        for (var k = 0; k < ring.Count; k++)
        {
            var i = reverse ? ring.Count - 1 - k : k;
            _json.WriteStartArray();
            _json.WriteNumberValue(ring.GetX(i));
            _json.WriteNumberValue(ring.GetY(i));
            _json.WriteEndArray();
        }

        _json.WriteEndArray();
    }
}
