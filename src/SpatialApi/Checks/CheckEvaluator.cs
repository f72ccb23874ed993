using System.Globalization;
using System.Text.Json;
using EcoSpatial.SpatialApi.Contracts;
using EcoSpatial.SpatialApi.Indicators;
using EcoSpatial.SpatialCore.Indicators;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>
/// The result of evaluating a check: verdict, one-line message, versions read and the figures behind it (named with
/// their units, e.g. <c>netM2</c>, <c>valuePercent</c>).
/// </summary>
public sealed record CheckOutcome(CheckStatus Status, string Message, IReadOnlyList<InputVersion> Inputs, object? Figures);

/// <summary>
/// Judges a check from the indicators (<see cref="IndicatorService"/>); no geometry is computed here. A missing input
/// (no version in force, unknown baseline) makes the run an <c>error</c>: the check could not say pass or fail.
/// </summary>
public static class CheckEvaluator
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static Task<CheckOutcome> EvaluateAsync(CheckDefinition check, IndicatorService indicators, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        return check.Kind switch
        {
            CheckKinds.RedlineAreaNotDecreasing => RedlineAsync(check.Parameters, indicators, ct),
            CheckKinds.ReserveCoreNotDecreasing => ReserveCoreAsync(check.Parameters, indicators, ct),
            CheckKinds.NoNewEncroachment => EncroachmentAsync(check.Parameters, indicators, ct),
            CheckKinds.CoverageAtLeast => CoverageAsync(check.Parameters, indicators, ct),
            _ => Task.FromResult(new CheckOutcome(CheckStatus.Error, $"unknown kind '{check.Kind}'", [], null)),
        };
    }

    /// <summary>Fails when the red-line area fell by more than the tolerance since the baseline; reports unapproved loss hidden by gains.</summary>
    private static async Task<CheckOutcome> RedlineAsync(CheckParameters p, IndicatorService indicators, CancellationToken ct)
    {
        var response = await indicators.ComputeAsync("redline-area-change", new IndicatorQuery(p.Region, null, p.Baseline, null, null), ct);
        if (NoData(response) is { } missing)
        {
            return missing;
        }

        var d = Details(response);
        var (net, lost, gained, unapproved) = (d.Num("netM2"), d.Num("lostM2"), d.Num("gainedM2"), d.Num("unapprovedLossM2"));
        var tolerance = p.ToleranceM2 ?? 0;
        var (from, to) = Ends(response, "redlines");
        var figures = new
        {
            baselineVersion = from, currentVersion = to, areaFromM2 = d.Num("areaFromM2"), areaToM2 = d.Num("areaToM2"),
            netM2 = net, lostM2 = lost, gainedM2 = gained, unapprovedLossM2 = unapproved, toleranceM2 = tolerance,
        };
        var change = string.Create(C, $"red-line area {Signed(net)} m² since baseline version {from} (current {to}): lost {lost:F2} m², gained {gained:F2} m²");
        var hidden = unapproved > 0 ? string.Create(C, $"; {unapproved:F2} m² lost without an approval reference on version {to}") : "";
        if (net < -tolerance)
        {
            return new(CheckStatus.Fail, $"FAIL {change}{hidden}", response.Inputs, figures);
        }

        var note = unapproved > 0 && net >= 0 ? string.Create(C, $"; WARNING: {unapproved:F2} m² of unapproved loss is hidden by gains") : hidden;
        return new(CheckStatus.Pass, $"pass {change}{note}", response.Inputs, figures);
    }

    /// <summary>Fails when the core zones (核心保护区) of the nature reserves shrank by more than the tolerance since the baseline.</summary>
    private static async Task<CheckOutcome> ReserveCoreAsync(CheckParameters p, IndicatorService indicators, CancellationToken ct)
    {
        var response = await indicators.ComputeAsync("reserve-integrity", new IndicatorQuery(p.Region, null, p.Baseline, null, null), ct);
        if (NoData(response) is { } missing)
        {
            return missing;
        }

        var d = Details(response);
        var coreNet = d.Num("coreNetM2");
        var tolerance = p.ToleranceM2 ?? 0;
        var attributeChanges = d.Element.TryGetProperty("attributeChanges", out var changes) && changes.ValueKind == JsonValueKind.Array
            ? changes.GetArrayLength() : 0;
        var (from, to) = Ends(response, "reserves");
        var figures = new
        {
            baselineVersion = from, currentVersion = to, coreAreaFromM2 = d.Num("coreAreaFromM2"), coreAreaToM2 = d.Num("coreAreaToM2"),
            coreNetM2 = coreNet, coreLostM2 = d.Num("coreLostM2"), netM2 = d.Num("netM2"), attributeChanges, toleranceM2 = tolerance,
        };
        var text = string.Create(C, $"reserve core-zone area {Signed(coreNet)} m² since baseline version {from} (current {to}); {attributeChanges} zoning/attribute change(s)");
        return coreNet < -tolerance
            ? new(CheckStatus.Fail, $"FAIL {text}", response.Inputs, figures)
            : new(CheckStatus.Pass, $"pass {text}", response.Inputs, figures);
    }

    /// <summary>Fails when construction land that was not construction in the baseline lies in the chosen protected zones.</summary>
    private static async Task<CheckOutcome> EncroachmentAsync(CheckParameters p, IndicatorService indicators, CancellationToken ct)
    {
        var response = await indicators.ComputeAsync("encroachment", new IndicatorQuery(p.Region, null, null, null, p.Baseline), ct);
        if (NoData(response) is { } missing)
        {
            return missing;
        }

        var kinds = CheckKinds.ZonesOf(p).Select(k => JsonNamingPolicy.KebabCaseLower.ConvertName(k.ToString())).ToHashSet();
        var d = Details(response);
        var pieces = d.Element.TryGetProperty("pieces", out var list) ? list.EnumerateArray()
            .Where(piece => piece.GetProperty("isNew").GetBoolean() && kinds.Contains(piece.GetProperty("zoneKind").GetString() ?? ""))
            .Select(piece => new
            {
                parcelCode = piece.TryGetProperty("parcelCode", out var code) ? code.GetString() : null,
                zoneKind = piece.GetProperty("zoneKind").GetString(),
                zoneName = piece.TryGetProperty("zoneName", out var name) ? name.GetString() : null,
                overlapM2 = piece.GetProperty("overlapM2").GetDouble(),
                severity = piece.GetProperty("severity").GetString(),
            }).ToList() : [];
        var area = pieces.Sum(piece => piece.overlapM2);
        var tolerance = p.ToleranceM2 ?? 0;
        var figures = new
        {
            newAreaM2 = area, newPieces = pieces.Count, zoneKinds = kinds.Order(StringComparer.Ordinal).ToList(), toleranceM2 = tolerance,
            pieces = pieces.OrderByDescending(piece => piece.overlapM2).Take(50).ToList(),
        };
        var text = string.Create(C, $"{pieces.Count} new construction piece(s), {area:F2} m², in {string.Join(", ", figures.zoneKinds)} since landuse baseline {p.Baseline}");
        return area > tolerance
            ? new(CheckStatus.Fail, $"FAIL {text}", response.Inputs, figures)
            : new(CheckStatus.Pass, $"pass {text}", response.Inputs, figures);
    }

    /// <summary>Fails when the coverage indicator is below the threshold (or its own target) in any of the regions.</summary>
    private static async Task<CheckOutcome> CoverageAsync(CheckParameters p, IndicatorService indicators, CancellationToken ct)
    {
        var indicator = p.Indicator ?? "forest-grass-coverage";
        var regions = p.Regions is { Count: > 0 } r ? r.Select(x => (string?)x).ToList() : [null];
        var inputs = new List<InputVersion>();
        var results = new List<object>();
        var failed = new List<string>();
        foreach (var region in regions)
        {
            var response = await indicators.ComputeAsync(indicator, new IndicatorQuery(region, null, null, null, null), ct);
            if (NoData(response) is { } missing)
            {
                return missing;
            }

            inputs.AddRange(response.Inputs.Where(i => !inputs.Contains(i)));
            var value = response.Value ?? double.NaN;
            var target = p.Threshold ?? (Details(response).Element.TryGetProperty("targetPercent", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null);
            var pass = target is null || value >= target;
            results.Add(new { region = region ?? "all", valuePercent = value, targetPercent = target, status = pass ? "pass" : "fail" });
            if (!pass)
            {
                failed.Add(string.Create(C, $"{region ?? "all"} {value:F2} % < {target:F2} %"));
            }
        }

        var figures = new { indicator, thresholdPercent = p.Threshold, regions = results };
        return failed.Count > 0
            ? new(CheckStatus.Fail, $"FAIL {indicator} below target: {string.Join("; ", failed)}", inputs, figures)
            : new(CheckStatus.Pass, string.Create(C, $"pass {indicator} at or above target in {regions.Count} region(s)"), inputs, figures);
    }

    private static CheckOutcome? NoData(IndicatorResponse response) => response.Status == IndicatorStatus.NoData
        ? new CheckOutcome(CheckStatus.Error, $"could not run: {response.Method}", response.Inputs, null)
        : null;

    private static (long? From, long? To) Ends(IndicatorResponse response, string layer)
    {
        var versions = response.Inputs.Where(i => i.Layer == layer).ToList();
        return (versions.FirstOrDefault()?.VersionId, versions.Skip(1).FirstOrDefault()?.VersionId);
    }

    private static string Signed(double value) => value.ToString("+0.00;-0.00;0.00", C);

    private static DetailsReader Details(IndicatorResponse response) =>
        new(JsonSerializer.SerializeToElement(response.Details, CheckJson.Options));

    /// <summary>Reads the figures out of an indicator's details (an anonymous object, so read as JSON).</summary>
    private readonly record struct DetailsReader(JsonElement Element)
    {
        public double Num(string name) =>
            Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
    }
}
