using System.Security.Cryptography;
using System.Text;

namespace EcoSpatial.SpatialApi.Problems;

/// <summary>
/// Guards write endpoints: the request must carry <c>X-Api-Key</c> equal to the configured editor key
/// (<c>ECO_EDITOR_KEY</c>). Without a configured key every write is refused.
/// </summary>
public static class EditorKey
{
    public const string ConfigKey = "ECO_EDITOR_KEY";
    public const string Header = "X-Api-Key";

    /// <summary>Adds the editor-key check to an endpoint.</summary>
    public static TBuilder RequireEditorKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var expected = http.RequestServices.GetRequiredService<IConfiguration>()[ConfigKey];
            if (string.IsNullOrEmpty(expected))
            {
                return ProblemCatalog.Result("writes-disabled", $"No editor key is configured ({ConfigKey}); this service is read-only.");
            }

            var given = http.Request.Headers[Header].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            {
                return ProblemCatalog.Result("unauthorized", $"Send the editor API key in the {Header} header.");
            }

            return await next(context);
        });
}
