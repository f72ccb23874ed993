using System.Collections.Concurrent;
using EcoSpatial.SpatialApi.Contracts;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Indicators;
using EcoSpatial.SpatialCore.Landuse;
using EcoSpatial.SpatialCore.Layers;
using EcoSpatial.SpatialCore.Overlay;
using NetTopologySuite.Geometries;
using Npgsql;

namespace EcoSpatial.SpatialApi.Indicators;

/// <summary>What the user asked: region (admin code prefix), a date, and the two ends of a change.</summary>
public sealed record IndicatorQuery(string? Region, string? AsOf, string? From, string? To, string? Since);

/// <summary>
/// Computes indicators from stored versions: resolves the versions in force, loads their features once, overlays
/// land use with zones once per version pair (in process, <see cref="ZoneOverlay"/>), and hands the figures to the
/// SpatialCore indicator units. Versions are immutable, so everything loaded or computed is cached for good.
/// </summary>
public sealed class IndicatorService(NpgsqlDataSource db)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<object?>>> cache = new();

    // The last version whose parcels (per class set) or overlay (per class set and zone version) was computed: the
    // basis for the next version's incremental update.
    private readonly ConcurrentDictionary<string, long> latest = new();

    /// <summary>Method text every response carries.</summary>
    private const string AreaMethod =
        "Overlay in lon/lat (NetTopologySuite OverlayNG, as PostGIS geometry); areas ellipsoidal on CGCS2000 with geodesic edges (as PostGIS ST_Area(geography)).";

    public Task<IndicatorResponse> ComputeAsync(string id, IndicatorQuery query, CancellationToken ct) => id switch
    {
        "redline-area-change" => RedlineAreaChangeAsync(query, ct),
        "reserve-integrity" => ReserveIntegrityAsync(query, ct),
        "forest-grass-coverage" => CoverageAsync(query, ct),
        "natural-land-share" => NaturalLandShareAsync(query, ct),
        "encroachment" => EncroachmentAsync(query, ct),
        "habitat-quality" => HabitatQualityAsync(query, ct),
        "construction-land-per-gdp" => ConstructionLandPerGdpAsync(query, ct),
        _ => throw new SpatialInputException(SpatialError.NotFound,
            $"Unknown indicator '{id}'; the indicators are {string.Join(", ", IndicatorCatalog.All.Select(i => i.Id))}."),
    };

    // ---- indicators ------------------------------------------------------------------------------------

    private async Task<IndicatorResponse> RedlineAreaChangeAsync(IndicatorQuery q, CancellationToken ct)
    {
        var info = RedlineAreaChange.Info;
        var (from, to) = await ChangeEndsAsync("redlines", q, ct);
        if (from is null || to is null)
        {
            return NoData(info, q, "redlines");
        }

        var (admin, units) = await UnitsAsync(q.Region, to.AsOf, ct);
        var change = await AreaChangeAsync("redlines", from, to, admin, units, r => r.Geom, ct);
        var result = RedlineAreaChange.Evaluate(Regional(change, q.Region), to.ApprovalRef);
        var c = result.Change;
        return Response(info, c.NetM2, result.Status, q, [from, to, .. Inputs(admin)],
            c.ByUnit.Cast<object>().ToList(),
            new
            {
                areaFromM2 = c.AreaFromM2, areaToM2 = c.AreaToM2, netM2 = c.NetM2, lostM2 = c.LostM2, gainedM2 = c.GainedM2,
                unapprovedLossM2 = result.UnapprovedLossM2, unapprovedLoss = result.UnapprovedLoss, toApprovalRef = to.ApprovalRef,
                lostFeatures = $"/api/changes/redlines?from={from.Id}&to={to.Id}",
            });
    }

    private async Task<IndicatorResponse> ReserveIntegrityAsync(IndicatorQuery q, CancellationToken ct)
    {
        var info = ReserveIntegrity.Info;
        var (from, to) = await ChangeEndsAsync("reserves", q, ct);
        if (from is null || to is null)
        {
            return NoData(info, q, "reserves");
        }

        var (admin, units) = await UnitsAsync(q.Region, to.AsOf, ct);
        var result = await CachedAsync($"reserve-integrity:{from.Id}:{to.Id}:{admin?.Id}:{q.Region}", async () =>
        {
            var before = (await ZonesAsync("reserves", from.Id, ct)).Select(ReserveZoneOf).ToList();
            var after = (await ZonesAsync("reserves", to.Id, ct)).Select(ReserveZoneOf).ToList();
            return ReserveIntegrity.Compute(before, after, units);
        });
        var (all, core) = (Regional(result.All, q.Region), Regional(result.Core, q.Region));
        var status = all.NetM2 >= 0 && core.NetM2 >= 0 && result.AttributeChanges.Count == 0 ? IndicatorStatus.Pass : IndicatorStatus.Fail;
        return Response(info, all.NetM2, status, q, [from, to, .. Inputs(admin)], all.ByUnit.Cast<object>().ToList(),
            new
            {
                areaFromM2 = all.AreaFromM2, areaToM2 = all.AreaToM2, netM2 = all.NetM2, lostM2 = all.LostM2, gainedM2 = all.GainedM2,
                coreAreaFromM2 = core.AreaFromM2, coreAreaToM2 = core.AreaToM2, coreNetM2 = core.NetM2, coreLostM2 = core.LostM2,
                attributeChanges = result.AttributeChanges,
            });
    }

    private async Task<IndicatorResponse> CoverageAsync(IndicatorQuery q, CancellationToken ct)
    {
        var info = ForestGrassCoverage.Info;
        if (await UnitClassAreasAsync(q, ParcelClassSet.ForestGrass, ct) is not var (landuse, admin, units, areas))
        {
            return NoData(info, q, "landuse or admin-units");
        }

        var covers = units.Select(u =>
        {
            var byCode = areas.GetValueOrDefault(u.Code) ?? [];
            return new UnitCover(u.Code, u.Name, u.Terrain, u.AreaM2,
                byCode.Where(kv => LandUseCodes.Forest.Contains(kv.Key)).Sum(kv => kv.Value),
                byCode.Where(kv => LandUseCodes.Grass.Contains(kv.Key)).Sum(kv => kv.Value));
        }).ToList();
        var result = ForestGrassCoverage.Compute(q.Region ?? "all", RegionName(q.Region, units), covers, new CoverageTargets());
        var r = result.Region;
        return Response(info, r.Percent, r.Status, q, [landuse, admin], result.Units.Cast<object>().ToList(),
            new { areaM2 = r.AreaM2, forestM2 = r.ForestM2, grassM2 = r.GrassM2, rate = r.Rate, terrain = r.Terrain, targetPercent = r.TargetPercent },
            target: r.TargetPercent is { } t ? $"≥ {t} % ({r.Terrain})" : info.TargetRule);
    }

    private async Task<IndicatorResponse> HabitatQualityAsync(IndicatorQuery q, CancellationToken ct)
    {
        var info = HabitatQuality.Info;
        if (await UnitClassAreasAsync(q, ParcelClassSet.All, ct) is not var (landuse, admin, units, areas))
        {
            return NoData(info, q, "landuse or admin-units");
        }

        var figures = units.Select(u => HabitatQuality.Compute(u.Code, u.Name, u.AreaM2, areas.GetValueOrDefault(u.Code) ?? [])).ToList();
        var regionAreas = units.SelectMany(u => areas.GetValueOrDefault(u.Code) ?? []).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value));
        var region = HabitatQuality.Compute(q.Region ?? "all", RegionName(q.Region, units), units.Sum(u => u.AreaM2), regionAreas);
        return Response(info, region.Index, IndicatorStatus.NotApplicable, q, [landuse, admin], figures.Cast<object>().ToList(),
            new { areaM2 = region.AreaM2, classAreasM2 = region.ClassAreasM2, unmappedM2 = region.UnmappedM2, aBio = HabitatQuality.ABio });
    }

    private async Task<IndicatorResponse> ConstructionLandPerGdpAsync(IndicatorQuery q, CancellationToken ct)
    {
        var info = ConstructionLandPerGdp.Info;
        var region = q.Region ?? throw new SpatialInputException(SpatialError.InvalidArgument,
            "construction-land-per-gdp needs region (the admin code its GDP was entered for).");
        var series = await db.GdpSeriesAsync(region, ct);
        int Year(string? text, int fallback) => text is null ? fallback
            : int.TryParse(text.Length >= 4 ? text[..4] : text, System.Globalization.CultureInfo.InvariantCulture, out var y) ? y
            : throw new SpatialInputException(SpatialError.InvalidArgument, $"'{text}' is not a year.");
        var toYear = Year(q.To ?? q.AsOf, series.Count > 0 ? series[^1].Year : DateTime.UtcNow.Year);
        var fromYear = Year(q.From, series.Where(g => g.Year < toYear).Select(g => g.Year).DefaultIfEmpty(toYear - 1).Max());
        var (gdpFrom, gdpTo) = (series.FirstOrDefault(g => g.Year == fromYear), series.FirstOrDefault(g => g.Year == toYear));
        if (gdpFrom is null || gdpTo is null || fromYear >= toYear)
        {
            return NoData(info, q, $"GDP for region {region} in {fromYear} and {toYear} (enter it with PUT /api/statistics/gdp/{region}/YEAR)");
        }

        async Task<(YearFigures Figures, LayerVersionRow Landuse, LayerVersionRow Admin)?> Figures(int year, GdpFigure gdp)
        {
            var date = new DateOnly(year, 12, 31);
            var landuse = await db.VersionInForceAsync("landuse", date, ct);
            var (admin, units) = await UnitsAsync(region, date, ct);
            if (landuse is null || admin is null)
            {
                return null;
            }

            var areas = await AreaByUnitAndCodeAsync(landuse.Id, admin.Id, ParcelClassSet.Construction, ct);
            var construction = units.SelectMany(u => areas.GetValueOrDefault(u.Code) ?? [])
                .Where(kv => LandUseCodes.IsConstruction(kv.Key)).Sum(kv => kv.Value);
            return (new YearFigures(year, construction, gdp.Gdp10kYuan), landuse, admin);
        }

        var (from, to) = (await Figures(fromYear, gdpFrom), await Figures(toYear, gdpTo));
        if (from is null || to is null)
        {
            return NoData(info, q, $"landuse or admin-units at the end of {fromYear} and {toYear}");
        }

        var result = ConstructionLandPerGdp.Compute(from.Value.Figures, to.Value.Figures);
        return Response(info, result.AnnualDecreasePercent, result.Status, q,
            [from.Value.Landuse, to.Value.Landuse, to.Value.Admin],
            [result.From, result.To],
            new
            {
                fromYear, toYear, constructionFromM2 = result.From.ConstructionM2, constructionToM2 = result.To.ConstructionM2,
                gdpFrom10kYuan = gdpFrom.Gdp10kYuan, gdpTo10kYuan = gdpTo.Gdp10kYuan, priceBase = gdpTo.PriceBase,
                m2Per10kYuanFrom = result.From.M2Per10kYuan, m2Per10kYuanTo = result.To.M2Per10kYuan,
                totalDecreaseRate = result.TotalDecreaseRate, annualDecreaseRate = result.AnnualDecreaseRate,
            });
    }

    /// <summary>The land use and admin units in force at <c>asOf</c>, the units of the region, and their area per class code of a set.</summary>
    private async Task<(LayerVersionRow Landuse, LayerVersionRow Admin, List<AdminUnit> Units, Dictionary<string, Dictionary<string, double>> Areas)?>
        UnitClassAreasAsync(IndicatorQuery q, ParcelClassSet set, CancellationToken ct)
    {
        var date = Date(q.AsOf);
        var landuse = await db.VersionInForceAsync("landuse", date, ct);
        var (admin, units) = await UnitsAsync(q.Region, date, ct);
        return landuse is null || admin is null ? null : (landuse, admin, units, await AreaByUnitAndCodeAsync(landuse.Id, admin.Id, set, ct));
    }

    /// <summary>Land-use area per admin unit code and class code (of a class set), from the overlay of land use with the units.</summary>
    private Task<Dictionary<string, Dictionary<string, double>>> AreaByUnitAndCodeAsync(long landuseId, long adminId, ParcelClassSet set, CancellationToken ct) =>
        CachedAsync($"unit-code-areas:{landuseId}:{set.Name}:{adminId}", async () =>
        {
            var parcels = (await ParcelsAsync(landuseId, set, ct)).Rows;
            var unitRows = await ZonesAsync("admin-units", adminId, ct);
            var result = new Dictionary<string, Dictionary<string, double>>();
            foreach (var piece in await OverlayAsync(landuseId, set, "admin-units", adminId, ct))
            {
                var unit = unitRows[piece.Zone].Name ?? "";
                var byCode = result.TryGetValue(unit, out var existing) ? existing : result[unit] = [];
                var code = parcels[piece.Parcel].ClassCode;
                byCode[code] = byCode.GetValueOrDefault(code) + piece.AreaM2;
            }

            return result;
        });

    private async Task<IndicatorResponse> NaturalLandShareAsync(IndicatorQuery q, CancellationToken ct)
    {
        var info = NaturalLandShare.Info;
        var current = await NaturalShareAsync(Date(q.AsOf), ct);
        if (current is null)
        {
            return NoData(info, q, "landuse or redlines");
        }

        // The baseline defaults to the oldest land-use version, like the other change indicators.
        var baselineDate = q.From is not null ? Date(q.From) : (await VersionSelector.OldestAsync(db, "landuse", ct))?.AsOf;
        var baseline = baselineDate is { } b && b < Date(q.AsOf) ? await NaturalShareAsync(b, ct) : null;
        var result = NaturalLandShare.Evaluate(current.Value.Share, baseline?.Share);
        var inputs = current.Value.Inputs.Concat(baseline?.Inputs ?? []).ToList();
        return Response(info, result.Current.Share * 100, result.Status, q, inputs, [],
            new
            {
                redlineAreaM2 = result.Current.RedlineAreaM2, naturalM2 = result.Current.NaturalM2, rate = result.Current.Share,
                baselineRate = result.Baseline?.Share, baselineNaturalM2 = result.Baseline?.NaturalM2, changeRate = result.ChangeShare,
            });
    }

    private async Task<IndicatorResponse> EncroachmentAsync(IndicatorQuery q, CancellationToken ct)
    {
        var info = Encroachment.Info;
        var overlaps = await OverlapsAsync(q, ct);
        if (overlaps is null)
        {
            return NoData(info, q, "landuse");
        }

        var (inputs, list) = overlaps.Value;
        var result = Encroachment.Evaluate(list.Select(o => o.Overlap));
        return Response(info, result.AreaM2, result.Status, q, inputs, result.ByAdminUnit.Cast<object>().ToList(),
            new
            {
                areaM2 = result.AreaM2,
                newAreaM2 = result.NewAreaM2,
                prohibitedAreaM2 = result.Pieces.Where(p => p.Severity == Severity.Prohibited).Sum(p => p.Overlap.OverlapM2),
                pieceCount = result.Pieces.Count,
                byZoneKind = result.ByZoneKind,
                pieces = result.Pieces.Select(p => new
                {
                    parcelCode = p.Overlap.ParcelCode, classCode = p.Overlap.ClassCode, zoneKind = p.Overlap.Kind,
                    zoneFeatureId = p.Overlap.ZoneFeatureId, zoneName = p.Overlap.ZoneName, adminCode = p.Overlap.AdminCode,
                    overlapM2 = p.Overlap.OverlapM2, isNew = p.Overlap.IsNew, rule = p.Rule, severity = p.Severity,
                }),
            });
    }

    // ---- shared steps ------------------------------------------------------------------------------------

    /// <summary>
    /// Computes every overlay the indicators read for a land-use version against the zone versions in force on
    /// <paramref name="zonesAsOf"/>: afterwards those indicators answer from memory, and the overlays of the next
    /// land-use version are updates of these (only changed parcels are overlaid).
    /// </summary>
    public async Task PrepareAsync(long landuseId, DateOnly zonesAsOf, CancellationToken ct)
    {
        foreach (var (set, layer) in OverlaysRead)
        {
            if (await db.VersionInForceAsync(layer, zonesAsOf, ct) is { } zones)
            {
                await OverlayAsync(landuseId, set, layer, zones.Id, ct);
            }
        }
    }

    /// <summary>The overlays the indicators read: which parcels, with which zone layer.</summary>
    private static readonly (ParcelClassSet Set, string ZoneLayer)[] OverlaysRead =
    [
        (ParcelClassSet.ForestGrass, "admin-units"), (ParcelClassSet.All, "admin-units"), (ParcelClassSet.Construction, "admin-units"),
        (ParcelClassSet.Construction, "redlines"), (ParcelClassSet.Construction, "reserves"), (ParcelClassSet.Construction, "water-source-zones"),
        (ParcelClassSet.Natural, "redlines"),
    ];

    /// <summary>The class sets whose parcels the indicators read.</summary>
    private static readonly ParcelClassSet[] ClassSets = [.. OverlaysRead.Select(o => o.Set).Distinct()];


    /// <summary>An overlap of a land-use parcel with a protected zone, with the geometries to draw it.</summary>
    public sealed record LocatedOverlap(ZoneOverlap Overlap, Geometry Parcel, Geometry Zone);

    /// <summary>Every overlap of the construction land in force at asOf with the protected zones in force then, with "new since" resolved.</summary>
    public async Task<(List<LayerVersionRow> Inputs, List<LocatedOverlap> Overlaps)?> OverlapsAsync(IndicatorQuery q, CancellationToken ct)
    {
        var date = Date(q.AsOf);
        var landuse = await db.VersionInForceAsync("landuse", date, ct);
        if (landuse is null)
        {
            return null;
        }

        var baseline = q.Since is null ? await VersionSelector.OldestAsync(db, "landuse", ct)
            : await VersionSelector.ResolveAsync(db, "landuse", q.Since, ct);
        var set = ParcelClassSet.Construction;
        var baselineConstruction = baseline is null || baseline.Id == landuse.Id ? null
            : await CachedAsync($"parcel-codes:{baseline.Id}:{set.Name}", async () =>
                Completed<Parcels>($"parcels:{baseline.Id}:{set.Name}") is { } held
                    ? held.Rows.Where(p => p.ParcelCode is not null).Select(p => p.ParcelCode!).ToHashSet(StringComparer.Ordinal)
                    : await db.ParcelCodesAsync(baseline.Id, set.Of(await ClassCodesAsync(baseline.Id, ct)), ct));
        var parcels = (await ParcelsAsync(landuse.Id, set, ct)).Rows;
        var inputs = new List<LayerVersionRow> { landuse };
        if (baseline is not null && baseline.Id != landuse.Id)
        {
            inputs.Add(baseline);
        }

        var overlaps = new List<LocatedOverlap>();
        foreach (var layer in new[] { "redlines", "reserves", "water-source-zones" })
        {
            var version = await db.VersionInForceAsync(layer, date, ct);
            if (version is null)
            {
                continue;
            }

            inputs.Add(version);
            var zones = await ZonesAsync(layer, version.Id, ct);
            foreach (var piece in await OverlayAsync(landuse.Id, set, layer, version.Id, ct))
            {
                var parcel = parcels[piece.Parcel];
                var zone = zones[piece.Zone];
                if (KindOf(layer, zone.Kind) is not { } kind || (q.Region is not null && !(parcel.AdminCode ?? "").StartsWith(q.Region, StringComparison.Ordinal)))
                {
                    continue;
                }

                var wasConstruction = parcel.ParcelCode is not null && baselineConstruction?.Contains(parcel.ParcelCode) == true;
                var isNew = baselineConstruction is not null && !wasConstruction;
                overlaps.Add(new LocatedOverlap(
                    new ZoneOverlap(parcel.ParcelCode, parcel.ClassCode, kind, zone.Id, zone.Name, parcel.AdminCode, piece.AreaM2, isNew),
                    parcel.Geom, zone.Geom));
            }
        }

        return (inputs, overlaps);
    }

    /// <summary>The area change of a layer between two versions, cached per version pair.</summary>
    public async Task<AreaChangeResult> AreaChangeAsync(
        string layer, LayerVersionRow from, LayerVersionRow to, LayerVersionRow? admin, IReadOnlyList<AdminUnit> units,
        Func<ZoneRow, Geometry> geometry, CancellationToken ct) =>
        await CachedAsync($"change:{layer}:{from.Id}:{to.Id}:{admin?.Id}:{string.Join(',', units.Select(u => u.Code))}", async () =>
            AreaChange.Compute(
                (await ZonesAsync(layer, from.Id, ct)).Select(geometry).ToList(),
                (await ZonesAsync(layer, to.Id, ct)).Select(geometry).ToList(),
                units));

    /// <summary>The two ends of a change: <c>from</c> (default: the oldest version) and <c>to</c> (default: current).</summary>
    public async Task<(LayerVersionRow? From, LayerVersionRow? To)> ChangeEndsAsync(string layer, IndicatorQuery q, CancellationToken ct)
    {
        var from = q.From is null ? await VersionSelector.OldestAsync(db, layer, ct) : await VersionSelector.ResolveAsync(db, layer, q.From, ct);
        var to = await VersionSelector.ResolveAsync(db, layer, q.To ?? q.AsOf, ct);
        return (from, to);
    }

    /// <summary>The admin units in force at <paramref name="date"/> whose code starts with <paramref name="region"/>.</summary>
    public async Task<(LayerVersionRow? Version, List<AdminUnit> Units)> UnitsAsync(string? region, DateOnly date, CancellationToken ct)
    {
        var admin = await db.VersionInForceAsync("admin-units", date, ct);
        if (admin is null)
        {
            return (null, []);
        }

        var units = (await ZonesAsync("admin-units", admin.Id, ct))
            .Where(z => z.Name is not null && (region is null || z.Name.StartsWith(region, StringComparison.Ordinal)))
            .Select(z => new AdminUnit(z.Name!, z.Extra ?? z.Name!, z.Kind, z.Geom, z.AreaM2))
            .ToList();
        if (region is not null && units.Count == 0)
        {
            throw new SpatialInputException(SpatialError.NotFound, $"No admin unit with a code starting '{region}' in the admin-units version {admin.Id}.");
        }

        return (admin, units);
    }

    private async Task<(NaturalShare Share, List<LayerVersionRow> Inputs)?> NaturalShareAsync(DateOnly date, CancellationToken ct)
    {
        var landuse = await db.VersionInForceAsync("landuse", date, ct);
        var redlines = await db.VersionInForceAsync("redlines", date, ct);
        if (landuse is null || redlines is null)
        {
            return null;
        }

        var pieces = await OverlayAsync(landuse.Id, ParcelClassSet.Natural, "redlines", redlines.Id, ct);
        var redlineArea = await CachedAsync($"union-area:{redlines.Id}", async () =>
            AreaChange.Area(AreaChange.Union((await ZonesAsync("redlines", redlines.Id, ct)).Select(z => z.Geom).ToList())));
        var natural = pieces.Sum(p => p.AreaM2);
        return (NaturalLandShare.Share(redlineArea, natural), [landuse, redlines]);
    }

    /// <summary>A land-use version's parcels in a class set; when carried over from another version's, where each came from.</summary>
    /// <param name="Rows">The parcels, in storage order.</param>
    /// <param name="From">The version whose parcels they were carried over from, if any.</param>
    /// <param name="Origins">With <paramref name="From"/>: per row, its index in that version's list, or -1 for a row read anew.</param>
    private sealed record Parcels(List<ParcelRow> Rows, long? From, int[]? Origins);

    /// <summary>
    /// The parcels of a land-use version in a class set. When the parcels of another version in the same set are held
    /// and both versions have feature keys, the list is carried over from them (<see cref="VersionChanges.Carry"/>):
    /// only the rows whose key the other version lacks are read.
    /// </summary>
    private Task<Parcels> ParcelsAsync(long versionId, ParcelClassSet set, CancellationToken ct) =>
        CachedAsync($"parcels:{versionId}:{set.Name}", async () =>
        {
            // Parcel and admin codes are read for construction land only: the encroachment pieces name them.
            var withCodes = ReferenceEquals(set, ParcelClassSet.Construction);
            var earlier = Basis<Parcels>($"parcels:{set.Name}", versionId, u => $"parcels:{u}:{set.Name}");
            Parcels parcels;
            if (earlier is { } e && await ChangesAsync(e.Version, versionId, ct) is { } changes)
            {
                var (rows, origins) = changes.Carry(e.Value.Rows, set, withCodes);
                parcels = new Parcels(rows, e.Version, origins);
            }
            else
            {
                parcels = new Parcels(await db.ParcelsAsync(versionId, set.Of(await ClassCodesAsync(versionId, ct)), withCodes, ct), null, null);
            }

            latest[$"parcels:{set.Name}"] = versionId;
            return parcels;
        });

    /// <summary>
    /// How version <paramref name="laterId"/>'s rows match <paramref name="earlierId"/>'s: as the importer stored it
    /// when the earlier version was the layer's previous one, else from both versions' keys; null when either has none.
    /// </summary>
    private Task<VersionChanges?> ChangesAsync(long earlierId, long laterId, CancellationToken ct) =>
        CachedAsync($"changes:{earlierId}:{laterId}", async () =>
        {
            var stored = await db.KeyMatchAsync(laterId, earlierId, ct);
            if (stored is null)
            {
                var (earlierKeys, laterKeys) = (KeysAsync(earlierId, ct), KeysAsync(laterId, ct));
                if (await earlierKeys is not { } earlier || await laterKeys is not { } later)
                {
                    return null;
                }

                stored = FeatureKeys.Match(earlier, later);
            }

            var (match, aligned) = (stored.Matches, stored.Aligned);
            var unmatched = Enumerable.Range(0, match.Length).Where(r => match[r] < 0).ToArray();

            // A changed row whose geometry is that of the earlier row in its place (a class or a code changed) takes
            // the geometry from the earlier version's parcels at hand.
            var held = ClassSets.Select(s => Completed<Parcels>($"parcels:{earlierId}:{s.Name}")?.Rows).OfType<List<ParcelRow>>().ToList();
            Geometry? Known(int at, Guid hash) =>
                held.Select(rows => At(rows, aligned[unmatched[at]])).FirstOrDefault(p => p?.GeomHash == hash)?.Geom;
            var rows = stored.Changed is { } changed
                ? await db.WithGeometriesAsync(laterId, [.. changed.Select((c, at) => ChangedParcel(c, Known(at, c.GeometryHash))).OfType<ParcelRow>()], ct)
                : await db.ParcelsAtAsync(laterId, [.. unmatched.Select(r => stored.FeatureIndexes[r])], Known, ct);
            return new VersionChanges(stored, rows);
        });

    /// <summary>A changed land-use row as the importer described it (its geometry, if known), or null without a class code.</summary>
    private static ParcelRow? ChangedParcel(ChangedFeature feature, Geometry? geometry)
    {
        string? Value(string column) => feature.Values[LandusePosition[column]] as string;
        return Value("class_code") is { } classCode
            ? new ParcelRow(feature.FeatureIndex, Value("parcel_code"), classCode, Value("admin_code"), geometry!, feature.AreaM2, feature.GeometryHash)
            : null;
    }

    /// <summary>Column → position among a land-use row's typed values.</summary>
    private static readonly Dictionary<string, int> LandusePosition =
        LayerCatalog.Landuse.Fields.Select((f, i) => (f.Column, i)).ToDictionary(p => p.Column, p => p.i);

    /// <summary>The row at a position in a list ordered by position, or null.</summary>
    private static ParcelRow? At(List<ParcelRow> rows, int featureIndex)
    {
        var (low, high) = (0, rows.Count - 1);
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            var found = rows[middle].FeatureIndex;
            if (found == featureIndex)
            {
                return rows[middle];
            }

            (low, high) = found < featureIndex ? (middle + 1, high) : (low, middle - 1);
        }

        return null;
    }

    /// <summary>The keys of a version's features, or null when it was imported without them.</summary>
    private Task<FeatureKeys?> KeysAsync(long versionId, CancellationToken ct) =>
        CachedAsync($"keys:{versionId}", () => db.FeatureKeysAsync(versionId, ct));

    /// <summary>The distinct class codes of a land-use version.</summary>
    private Task<List<string>> ClassCodesAsync(long versionId, CancellationToken ct) =>
        CachedAsync($"class-codes:{versionId}", () => db.ClassCodesAsync(versionId, ct));

    public Task<List<ZoneRow>> ZonesAsync(string layer, long versionId, CancellationToken ct) =>
        CachedAsync($"zones:{layer}:{versionId}", () => layer switch
        {
            "admin-units" => db.AdminUnitsAsync(versionId, ct),
            "redlines" => db.RedlinesAsync(versionId, ct),
            "reserves" => db.ReservesAsync(versionId, ct),
            "water-source-zones" => db.WaterSourceZonesAsync(versionId, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer, "not a zone layer"),
        });

    /// <summary>
    /// The overlay of a land-use version's parcels in a class set with a zone-layer version, computed once. When the
    /// parcels were carried over from another land-use version whose overlay with the same zones is at hand, only the
    /// parcels read anew are overlaid (<see cref="ZoneOverlay.Update"/>): a new survey that changes a few per cent of
    /// the parcels costs a few per cent of the work.
    /// </summary>
    private Task<IReadOnlyList<OverlayPiece>> OverlayAsync(long landuseId, ParcelClassSet set, string zoneLayer, long zoneVersionId, CancellationToken ct) =>
        CachedAsync($"overlay:{landuseId}:{set.Name}:{zoneLayer}:{zoneVersionId}", async () =>
        {
            var parcels = await ParcelsAsync(landuseId, set, ct);
            var features = await FeaturesAsync(landuseId, set, ct);
            var zones = (await ZonesAsync(zoneLayer, zoneVersionId, ct)).Select(z => new OverlayFeature(z.Id, z.Geom, z.AreaM2)).ToList();
            var registry = $"overlay:{set.Name}:{zoneLayer}:{zoneVersionId}";
            var earlier = Basis<IReadOnlyList<OverlayPiece>>(registry, landuseId, u => $"overlay:{u}:{set.Name}:{zoneLayer}:{zoneVersionId}");
            var pieces = earlier is { } e && parcels.From == e.Version
                ? ZoneOverlay.Update(features, parcels.Origins!, e.Value, zones)
                : ZoneOverlay.Compute(features, zones);
            latest[registry] = landuseId;
            return pieces;
        });

    /// <summary>The parcels of a version in a class set as overlay inputs, made once for all the zone layers.</summary>
    private Task<List<OverlayFeature>> FeaturesAsync(long landuseId, ParcelClassSet set, CancellationToken ct) =>
        CachedAsync($"features:{landuseId}:{set.Name}", async () =>
            (await ParcelsAsync(landuseId, set, ct)).Rows.Select(p => new OverlayFeature(p.FeatureIndex, p.Geom, p.AreaM2)).ToList());

    /// <summary>The finished result of the latest other version recorded under <paramref name="registry"/>, if any.</summary>
    private (long Version, T Value)? Basis<T>(string registry, long versionId, Func<long, string> key) where T : class =>
        latest.TryGetValue(registry, out var u) && u != versionId && Completed<T>(key(u)) is { } value ? (u, value) : null;

    /// <summary>A cached value that has finished computing, or null.</summary>
    private T? Completed<T>(string key) where T : class =>
        cache.TryGetValue(key, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully ? lazy.Value.Result as T : null;

    private async Task<T> CachedAsync<T>(string key, Func<Task<T>> compute)
    {
        var lazy = cache.GetOrAdd(key, _ => new Lazy<Task<object?>>(async () => await compute()));
        try
        {
            return (T)(await lazy.Value)!; // null only where T is nullable
        }
        catch
        {
            cache.TryRemove(key, out _); // a failed computation is not cached
            throw;
        }
    }

    private static ZoneKind? KindOf(string layer, string? kind) => layer switch
    {
        "redlines" => ZoneKind.Redline,
        "reserves" when kind is not null && (kind.Contains("核心", StringComparison.Ordinal) || kind.Contains("缓冲", StringComparison.Ordinal)) => ZoneKind.ReserveCore,
        "water-source-zones" when kind?.Contains("一级", StringComparison.Ordinal) == true => ZoneKind.WaterLevel1,
        "water-source-zones" when kind?.Contains("二级", StringComparison.Ordinal) == true => ZoneKind.WaterLevel2,
        _ => null,
    };

    private static ReserveZone ReserveZoneOf(ZoneRow z) => new(z.Name, z.Extra, z.Kind, z.Level, z.Geom);

    /// <summary>With a region, the totals are the sums over its units; without, the layer's own totals.</summary>
    private static AreaChangeResult Regional(AreaChangeResult change, string? region) => region is null ? change : change with
    {
        AreaFromM2 = change.ByUnit.Sum(u => u.AreaFromM2),
        AreaToM2 = change.ByUnit.Sum(u => u.AreaToM2),
        NetM2 = change.ByUnit.Sum(u => u.NetM2),
        LostM2 = change.ByUnit.Sum(u => u.LostM2),
        GainedM2 = change.ByUnit.Sum(u => u.GainedM2),
    };

    private static string RegionName(string? region, List<AdminUnit> units) =>
        units.FirstOrDefault(u => u.Code == region)?.Name ?? (region is null ? "all units" : $"units under {region}");

    private static DateOnly Date(string? text) => text is null ? DateOnly.FromDateTime(DateTime.UtcNow)
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d
        : throw new SpatialInputException(SpatialError.InvalidArgument, $"'{text}' is not a date in the form YYYY-MM-DD.");

    private static IEnumerable<LayerVersionRow> Inputs(LayerVersionRow? version) => version is null ? [] : [version];

    private static IndicatorResponse Response(
        IndicatorInfo info, double? value, IndicatorStatus status, IndicatorQuery q, IEnumerable<LayerVersionRow> inputs,
        IReadOnlyList<object> breakdown, object? details, string? target = null) =>
        new(info.Id, info.NameZh, value, info.Unit, target ?? info.TargetRule, status, q.Region,
            inputs.Select(InputVersion.From).ToList(), $"{info.Formula}. {AreaMethod}", DateTimeOffset.UtcNow, breakdown, details);

    private static IndicatorResponse NoData(IndicatorInfo info, IndicatorQuery q, string missing) =>
        new(info.Id, info.NameZh, null, info.Unit, info.TargetRule, IndicatorStatus.NoData, q.Region, [],
            $"No version of {missing} is in force for this query.", DateTimeOffset.UtcNow, [], null);
}
