using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace EcoSpatial.SpatialApi.Ogc;

/// <summary>
/// The HTML encoding of the OGC API (conformance class <c>html</c>): plain pages with the same content and links
/// as the JSON, for people browsing the service. Every value is HTML-encoded.
/// </summary>
public static class OgcHtml
{
    public static IResult Page(string title, Action<StringBuilder> body)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title))
            .Append("</title><style>body{font-family:system-ui,sans-serif;margin:2em;max-width:80em}")
            .Append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}</style></head><body>")
            .Append("<p><a href=\"/ogc?f=html\">EcoSpatial OGC API</a> · <a href=\"/ogc/collections?f=html\">collections</a></p>")
            .Append("<h1>").Append(E(title)).Append("</h1>");
        body(html);
        html.Append("</body></html>");
        return TypedResults.Content(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>A list of links (rel, title, type).</summary>
    public static void Links(StringBuilder html, IEnumerable<OgcLink> links)
    {
        html.Append("<ul>");
        foreach (var link in links)
        {
            html.Append("<li><a href=\"").Append(E(link.Href)).Append("\">").Append(E(link.Title ?? link.Rel)).Append("</a> <small>(")
                .Append(E(link.Rel)).Append(", ").Append(E(link.Type)).Append(")</small></li>");
        }

        html.Append("</ul>");
    }

    /// <summary>A table with a header row and rows of cells (already plain text; encoded here).</summary>
    public static void Table(StringBuilder html, IEnumerable<string> header, IEnumerable<IEnumerable<(string Text, string? Href)>> rows)
    {
        html.Append("<table><tr>");
        foreach (var h in header)
        {
            html.Append("<th>").Append(E(h)).Append("</th>");
        }

        html.Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var (text, href) in row)
            {
                html.Append("<td>");
                if (href is null)
                {
                    html.Append(E(text));
                }
                else
                {
                    html.Append("<a href=\"").Append(E(href)).Append("\">").Append(E(text)).Append("</a>");
                }

                html.Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</table>");
    }

    public static string E(string text) => HtmlEncoder.Default.Encode(text);

    public static string Number(double value) => value.ToString("G10", CultureInfo.InvariantCulture);
}
