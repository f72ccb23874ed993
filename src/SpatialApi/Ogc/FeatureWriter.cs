using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using EcoSpatial.SpatialCore.Layers;
using Npgsql;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>What a written page ended with: how many features, whether more follow, and the last feature_index (the cursor).</summary>
public sealed record PageEnd(int NumberReturned, bool HasMore, int? LastIndex);

/// <summary>
/// Writes GeoJSON features from the rows of <see cref="FeatureQueries"/> straight to the response as they arrive:
/// the geometry text PostGIS made is copied as is, the properties are written typed. Memory stays flat whatever the
/// page size: the JSON writer (over the response's pipe) hands its bytes on every 64 KiB, and the
/// flush waits while the client is slower than PostGIS.
/// </summary>
public static class FeatureWriter
{
    /// <summary>Writer options: Chinese text written as UTF-8, not escaped (the output is JSON, never embedded in HTML).</summary>
    public static JsonWriterOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const int FlushBytes = 64 * 1024;

    /// <summary>Writes up to <paramref name="limit"/> rows as features into the open <c>features</c> array.</summary>
    public static async Task<PageEnd> WriteFeaturesAsync(
        Utf8JsonWriter json, PipeWriter body, NpgsqlDataReader reader, LayerKind layer, IReadOnlyList<string> properties,
        int limit, CancellationToken ct)
    {
        var types = PropertyTypes(layer, properties);
        var names = properties.Select(p => JsonEncodedText.Encode(p, Options.Encoder)).ToArray();
        var flushed = json.BytesCommitted;
        var count = 0;
        int? last = null;
        while (await reader.ReadAsync(ct))
        {
            if (count == limit)
            {
                return new PageEnd(count, true, last);
            }

            last = reader.GetInt32(1);
            WriteFeature(json, reader, names, types);
            count++;

            // Over a pipe the writer commits every few KiB by itself (BytesPending stays small): count what was
            // written since the last flush, and flush (send, and wait while the client is behind) every 64 KiB.
            if (json.BytesCommitted + json.BytesPending - flushed > FlushBytes)
            {
                json.Flush();
                await body.FlushAsync(ct);
                flushed = json.BytesCommitted;
            }
        }

        return new PageEnd(count, false, last);
    }

    /// <summary>Writes the current row as one feature object.</summary>
    public static void WriteFeature(
        Utf8JsonWriter json, NpgsqlDataReader reader, IReadOnlyList<string> properties, FieldType[] types, Action<Utf8JsonWriter>? more = null) =>
        WriteFeature(json, reader, [.. properties.Select(p => JsonEncodedText.Encode(p, Options.Encoder))], types, more);

    /// <summary>Writes the current row as one feature object; property names pre-encoded.</summary>
    public static void WriteFeature(
        Utf8JsonWriter json, NpgsqlDataReader reader, JsonEncodedText[] properties, FieldType[] types, Action<Utf8JsonWriter>? more = null)
    {
        json.WriteStartObject();
        json.WriteString("type"u8, "Feature"u8);
        json.WriteNumber("id"u8, reader.GetInt64(0));
        json.WritePropertyName("geometry"u8);
        json.WriteRawValue(reader.GetFieldValue<byte[]>(2), skipInputValidation: true); // PostGIS's UTF-8, copied as is
        json.WriteStartObject("properties"u8);
        for (var i = 0; i < properties.Length; i++)
        {
            var column = i + 3;
            json.WritePropertyName(properties[i]);
            if (reader.IsDBNull(column))
            {
                json.WriteNullValue();
            }
            else if (types[i] == FieldType.Number)
            {
                json.WriteNumberValue(reader.GetDouble(column));
            }
            else
            {
                json.WriteStringValue(reader.GetFieldValue<byte[]>(column)); // UTF-8 straight from the wire
            }
        }

        json.WriteEndObject();
        more?.Invoke(json);
        json.WriteEndObject();
    }

    /// <summary>The type of each property, in order (<see cref="FeatureQueries.AreaProperty"/> is a number).</summary>
    public static FieldType[] PropertyTypes(LayerKind layer, IReadOnlyList<string> properties) =>
        [.. properties.Select(p => layer.Fields.FirstOrDefault(f => f.Column == p)?.Type ?? FieldType.Number)];
}
