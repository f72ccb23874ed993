using System.Globalization;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Layers;

namespace EcoSpatial.SpatialApi.Import;

/// <summary>What a user asks to import: the same for the CLI, the API and the demo loader.</summary>
/// <param name="Layer">The target layer.</param>
/// <param name="AsOf">The date the data describe (the survey or approval date).</param>
/// <param name="Label">A human label for the version.</param>
/// <param name="ApprovalRef">The approval document that covers this version, if any.</param>
/// <param name="SourceFileName">The file name as the user gave it.</param>
public sealed record VersionRequest(LayerKind Layer, DateOnly AsOf, string Label, string? ApprovalRef, string SourceFileName)
{
    /// <summary>Checks the user's raw arguments and builds a request; throws a one-line explanation when one is wrong.</summary>
    /// <exception cref="SpatialInputException">Unknown layer, or a date that is not YYYY-MM-DD.</exception>
    public static VersionRequest Parse(string layer, string? asOf, string? label, string? approvalRef, string sourceFileName)
    {
        var kind = LayerCatalog.Find(layer) ?? throw new SpatialInputException(SpatialError.NotFound,
            $"Unknown layer '{layer}'; the layers are {string.Join(", ", LayerCatalog.All.Select(l => l.Id))}.");
        if (string.IsNullOrWhiteSpace(asOf))
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, "The as-of date is required (YYYY-MM-DD).");
        }

        if (!DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            throw new SpatialInputException(SpatialError.InvalidArgument, $"The as-of date '{asOf}' is not a date in the form YYYY-MM-DD.");
        }

        var name = Path.GetFileName(sourceFileName);
        return new VersionRequest(
            kind,
            date,
            string.IsNullOrWhiteSpace(label) ? $"{kind.Id} {date:yyyy-MM-dd}" : label.Trim(),
            string.IsNullOrWhiteSpace(approvalRef) ? null : approvalRef.Trim(),
            string.IsNullOrEmpty(name) ? "upload" : name);
    }
}
