using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using EcoSpatial.SpatialApi.Persistence;
using EcoSpatial.SpatialCore.Errors;
using EcoSpatial.SpatialCore.Import;
using EcoSpatial.SpatialCore.Layers;
using Npgsql;

namespace EcoSpatial.SpatialApi.Import;

/// <summary>How far an import has got: features read from the source and stored so far, and the total when known.</summary>
/// <param name="Read">Features read from the source.</param>
/// <param name="Stored">Features written to the database.</param>
/// <param name="Total">Features in the source, when the format says so up front.</param>
public readonly record struct ImportProgress(int Read, int Stored, int? Total);

/// <summary>
/// Imports one source file as a new version of a layer, in one transaction: all its features (binary COPY), the
/// version row and the audit record appear together or not at all. A refused import is audited too.
/// </summary>
/// <remarks>
/// The import streams: one thread reads the source and COPYs features to PostGIS while the thread pool converts,
/// validates and measures the next thousand-odd (<see cref="LayerPreparation"/>), in order, so memory holds that many
/// features whatever the file's size (and 20 bytes per feature of <see cref="FeatureKeys"/>). The features go to a bare
/// table of their own, made in the transaction; the version row, whose count, area and report are known only at the
/// end, is inserted next (its id drawn first) with the features' keys; then the table is attached as the version's
/// partition of the layer's table (<c>{table}_v{id}</c>), which builds its indexes in bulk.
/// </remarks>
public static class VersionImporter
{
    private const int ProgressEvery = 5000;

    /// <summary>Reads, checks and stores <paramref name="path"/> with no options; returns the new version.</summary>
    /// <exception cref="SpatialInputException">The file was refused; nothing was stored.</exception>
    public static Task<LayerVersionRow> ImportAsync(
        NpgsqlDataSource db, VersionRequest request, string path, string actor, CancellationToken ct) =>
        ImportAsync(db, request, path, actor, ImportOptions.None, null, ct);

    /// <summary>Reads, checks and stores <paramref name="path"/>; returns the new version.</summary>
    /// <exception cref="SpatialInputException">The file was refused; nothing was stored.</exception>
    public static async Task<LayerVersionRow> ImportAsync(
        NpgsqlDataSource db, VersionRequest request, string path, string actor, ImportOptions options,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        // The file is hashed and opened (a zip's members inflated, its headers checked) on the thread pool while the
        // previous version's keys are read; the transaction begins once the file has been opened (a refused file
        // never begins one).
        var hashing = Task.Run(async () =>
        {
            await using var hashed = File.OpenRead(path);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(hashed, ct));
        }, ct);
        var opening = Task.Run(() => Open(request.Layer, path, options), ct);
        try
        {
            return await SaveAsync(db, request, opening, hashing, actor, progress, ct);
        }
        catch (SpatialInputException refused)
        {
            await AuditRefusalAsync(db, request, actor, refused, ct);
            throw;
        }
        finally
        {
            // Both are done with the file before its copy is deleted; a failure of theirs has been thrown above, or
            // does not matter once the import has failed for another reason.
            await Task.WhenAll(hashing, opening).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (opening.IsCompletedSuccessfully)
            {
                opening.Result.Source.Dispose();
            }
        }
    }

    /// <summary>The source and its preparation; the source is disposed if the preparation refuses it.</summary>
    private static (IFeatureSource Source, LayerPreparation Preparation) Open(LayerKind layer, string path, ImportOptions options)
    {
        var source = FeatureSources.Open(path, options.Member);
        try
        {
            return (source, new LayerPreparation(layer, source, options));
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    private static async Task<LayerVersionRow> SaveAsync(NpgsqlDataSource db, VersionRequest request,
        Task<(IFeatureSource Source, LayerPreparation Preparation)> opening, Task<string> hashing, string actor,
        IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var (baseId, baseKeys) = await PreviousKeysAsync(db, request.Layer.Id, ct);
        var (_, preparation) = await opening;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        long versionId;
        await using (var next = new NpgsqlCommand(
            "SELECT nextval(pg_get_serial_sequence('layer_versions', 'id'))", connection, transaction))
        {
            versionId = (long)(await next.ExecuteScalarAsync(ct))!;
        }

        var table = request.Layer.Table;
        var partition = string.Create(CultureInfo.InvariantCulture, $"{table}_v{versionId}");
        // The CHECK, true of every row written, spares the attach a scan to prove the partition bound; the layer
        // table's own CHECKs (the id a row's position gives it) come along and are checked row by row by the COPY.
        await ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE {partition} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CHECK (version_id = {versionId}))"), ct);
        var keys = new FeatureKeys.Builder(baseKeys);
        var stored = await CopyFeaturesAsync(connection, request.Layer, partition, preparation, versionId, keys, progress, ct);
        var report = preparation.Report();
        var version = new LayerVersionRow
        {
            Id = versionId,
            Layer = request.Layer.Id,
            Label = request.Label,
            AsOf = request.AsOf,
            SourceFileName = request.SourceFileName,
            SourceSha256 = await hashing,
            SourceCrs = report.SourceCrs,
            FeatureCount = stored,
            AreaM2 = report.AreaM2,
            ApprovalRef = request.ApprovalRef,
            Report = JsonSerializer.Serialize(report, JsonSerializerOptions.Web),
        };
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO layer_versions (id, layer, label, as_of, imported_at, source_file_name, source_sha256, source_crs,
                                        feature_count, area_m2, approval_ref, report)
            VALUES ($1, $2, $3, $4, now(), $5, $6, $7, $8, $9, $10, $11::jsonb)
            RETURNING imported_at
            """, connection, transaction))
        {
            insert.Parameters.Add(new() { Value = version.Id });
            insert.Parameters.Add(new() { Value = version.Layer });
            insert.Parameters.Add(new() { Value = version.Label });
            insert.Parameters.Add(new() { Value = version.AsOf });
            insert.Parameters.Add(new() { Value = version.SourceFileName });
            insert.Parameters.Add(new() { Value = version.SourceSha256 });
            insert.Parameters.Add(new() { Value = version.SourceCrs });
            insert.Parameters.Add(new() { Value = version.FeatureCount });
            insert.Parameters.Add(new() { Value = version.AreaM2 });
            insert.Parameters.Add(new() { Value = (object?)version.ApprovalRef ?? DBNull.Value });
            insert.Parameters.Add(new() { Value = version.Report });
            await using var reader = await insert.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            version.ImportedAt = reader.GetFieldValue<DateTimeOffset>(0);
        }

        await StoreKeysAsync(connection, transaction, versionId, keys, baseId, ct);

        // The partition is attached once the version row it refers to exists; attaching builds its indexes in bulk
        // and checks its rows against the partition bound and the foreign key.
        await ExecuteAsync(connection, transaction, string.Create(CultureInfo.InvariantCulture, $"""
            ALTER TABLE {table} ATTACH PARTITION {partition} FOR VALUES IN ({versionId});
            CREATE TRIGGER {partition}_no_truncate BEFORE TRUNCATE ON {partition}
              FOR EACH STATEMENT EXECUTE FUNCTION eco_refuse_change();
            """), ct);
        await AuditAsync(connection, transaction, actor, "import", request.Layer.Id, version.Id, new
        {
            version.Label,
            asOf = version.AsOf,
            version.SourceFileName,
            version.SourceSha256,
            version.FeatureCount,
            version.AreaM2,
            version.ApprovalRef,
        }, ct);
        await transaction.CommitAsync(ct);
        return version;
    }

    /// <summary>The layer's previous version (the last imported) and its feature keys, when it has them.</summary>
    private static async Task<(long? Id, FeatureKeys? Keys)> PreviousKeysAsync(NpgsqlDataSource db, string layer, CancellationToken ct)
    {
        await using var previous = db.CreateCommand("SELECT max(id) FROM layer_versions WHERE layer = $1");
        previous.Parameters.Add(new() { Value = layer });
        return await previous.ExecuteScalarAsync(ct) is long id && await db.FeatureKeysAsync(id, ct) is { } keys ? (id, keys) : (null, null);
    }

    /// <summary>
    /// Stores the version's feature keys and, against the layer's previous version, their match and what the
    /// unmatched features say: the update the indicators will most often make, worked out as the features streamed.
    /// </summary>
    private static async Task StoreKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long versionId,
        FeatureKeys.Builder keys, long? baseId, CancellationToken ct)
    {
        var match = keys.BuildMatch();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO version_feature_keys (version_id, keys, base_version_id, match, changed) VALUES ($1, $2, $3, $4, $5)",
            connection, transaction);
        insert.Parameters.Add(new() { Value = versionId });
        insert.Parameters.Add(new() { Value = keys.Build().ToBytes() });
        insert.Parameters.Add(new() { Value = match is null ? DBNull.Value : baseId!.Value });
        insert.Parameters.Add(new() { Value = match is null ? DBNull.Value : match.ToBytes() });
        insert.Parameters.Add(new() { Value = match is null ? DBNull.Value : ChangedFeature.ToBytes(match.Changed!) });
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Binary COPY of the prepared features into the version's own bare partition, made in this transaction (FREEZE:
    /// rows are written frozen and visible, no index is maintained per row). Returns the number of rows written; their
    /// keys are added to <paramref name="keys"/>.
    /// </summary>
    /// <remarks>
    /// The COPY runs on a thread of its own, writing synchronously: it enumerates
    /// <see cref="LayerPreparation.Features"/>, which has the next batches of features prepared on the thread pool
    /// while a row is written. A dozen values a row, a hundred thousand rows: an awaited
    /// write per value and a queue between two threads per feature cost more CPU than blocking this one thread
    /// while the socket is full.
    /// </remarks>
    private static async Task<int> CopyFeaturesAsync(NpgsqlConnection connection, LayerKind layer, string partition,
        LayerPreparation preparation, long versionId, FeatureKeys.Builder keys, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var typed = string.Concat(layer.Fields.Select(f => ", " + f.Column));
        var copy = $"COPY {partition} (id, version_id, feature_index, source_id, geom, area_m2, geom_hash, attributes{typed}) FROM STDIN (FORMAT BINARY, FREEZE)";
        var columns = (short)(8 + layer.Fields.Count);
        var stored = await Task.Factory.StartNew(
            () => Copy(connection, copy, columns, preparation, versionId, keys, progress, ct),
            ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        progress?.Report(new ImportProgress(preparation.Read, stored, preparation.Count));
        return stored;
    }

    /// <summary>
    /// The COPY itself, synchronous, in the binary format written by <see cref="BinaryCopyWriter"/>. An exception (a
    /// refused file, cancellation) cancels the COPY, and the transaction it is in is not committed.
    /// </summary>
    private static int Copy(NpgsqlConnection connection, string copy, short columns, LayerPreparation preparation, long versionId,
        FeatureKeys.Builder keys, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var stored = 0;
        using var stream = connection.BeginRawBinaryCopy(copy);
        try
        {
            var writer = new BinaryCopyWriter(stream);
            foreach (var feature in preparation.Features())
            {
                ct.ThrowIfCancellationRequested();
                writer.StartRow(columns);
                writer.Write(FeatureIds.Of(versionId, feature.Index));
                writer.Write(versionId);
                writer.Write(feature.Index);
                if (feature.SourceId is { } sourceId)
                {
                    writer.Write(sourceId);
                }
                else
                {
                    writer.WriteNull();
                }

                writer.Write(feature.Ewkb); // PostGIS reads EWKB as the geometry's binary form
                writer.Write(feature.AreaM2);
                writer.Write(feature.GeometryHash);
                writer.Write(feature.PropertiesJson); // UTF-8, the json type's binary form
                foreach (var value in feature.Values)
                {
                    switch (value)
                    {
                        case double number:
                            writer.Write(number);
                            break;
                        case string text:
                            writer.Write(text);
                            break;
                        default:
                            writer.WriteNull();
                            break;
                    }
                }

                keys.Add(feature.Index, feature.Key, feature.GeometryHash, feature.AreaM2, feature.Values);
                if (++stored % ProgressEvery == 0)
                {
                    progress?.Report(new ImportProgress(preparation.Read, stored, preparation.Count));
                }
            }

            writer.Complete();
        }
        catch
        {
            stream.Cancel();
            throw;
        }

        return stored;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task AuditRefusalAsync(
        NpgsqlDataSource db, VersionRequest request, string actor, SpatialInputException refused, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await AuditAsync(connection, null, actor, "import-refused", request.Layer.Id, null,
            new { request.SourceFileName, error = refused.Error.ToString(), refused.Message }, ct);
    }

    private static async Task AuditAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string actor,
        string action, string layer, long? versionId, object details, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO audit_log (at, actor, action, layer, version_id, details) VALUES (now(), $1, $2, $3, $4, $5::jsonb)",
            connection, transaction);
        command.Parameters.Add(new() { Value = actor });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = layer });
        command.Parameters.Add(new() { Value = (object?)versionId ?? DBNull.Value });
        command.Parameters.Add(new() { Value = JsonSerializer.Serialize(details, JsonSerializerOptions.Web) });
        await command.ExecuteNonQueryAsync(ct);
    }
}
