using System.Globalization;
using System.Text;
using System.Text.Json;
using EcoSpatial.SpatialApi.Contracts;

namespace EcoSpatial.SpatialApi.Indicators;

/// <summary>
/// An indicator as CSV (<c>GET /api/indicators/{id}?f=csv</c>): one row per breakdown entry (per admin unit), its
/// fields flattened to columns (nested objects as <c>parent.child</c>, lists as JSON), after the indicator's id and
/// region; without a breakdown, one row with the value, unit, target and status. UTF-8 with a byte-order mark so that
/// spreadsheet programs read the Chinese names.
/// </summary>
public static class IndicatorCsv
{
    public static string Write(IndicatorResponse indicator, JsonSerializerOptions options)
    {
        var rows = indicator.Breakdown.Count > 0
            ? indicator.Breakdown.Select(b => Flatten(JsonSerializer.SerializeToElement(b, b.GetType(), options))).ToList()
            : [Flatten(JsonSerializer.SerializeToElement(new { indicator.Value, indicator.Unit, indicator.Target, indicator.Status }, options))];
        var columns = rows.SelectMany(r => r.Keys).Distinct().ToList();
        var csv = new StringBuilder("\uFEFF");
        Line(csv, ["indicator", "region", .. columns]);
        foreach (var row in rows)
        {
            Line(csv, [indicator.Id, indicator.Region ?? "", .. columns.Select(c => row.GetValueOrDefault(c, ""))]);
        }

        return csv.ToString();
    }

    private static Dictionary<string, string> Flatten(JsonElement element)
    {
        var cells = new Dictionary<string, string>();
        void Visit(JsonElement e, string prefix)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    Visit(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}.{p.Name}");
                }
            }
            else
            {
                cells[prefix.Length == 0 ? "value" : prefix] = e.ValueKind switch
                {
                    JsonValueKind.String => e.GetString() ?? "",
                    JsonValueKind.Null or JsonValueKind.Undefined => "",
                    JsonValueKind.Number => e.TryGetDouble(out var d) ? d.ToString("R", CultureInfo.InvariantCulture) : e.GetRawText(),
                    _ => e.GetRawText(),
                };
            }
        }

        Visit(element, "");
        return cells;
    }

    private static void Line(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.AppendJoin(',', cells.Select(Cell)).Append("\r\n");
    }

    /// <summary>RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with an apostrophe.</summary>
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '@' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
