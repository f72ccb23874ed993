using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using EcoSpatial.SpatialCore.Errors;
using Npgsql;
using NpgsqlTypes;

namespace EcoSpatial.SpatialApi.Checks;

/// <summary>How checks, runs and alerts are written as JSON (columns, API, webhooks): web names, no nulls, kebab enums.</summary>
public static class CheckJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerOptions.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // names such as 生态保护红线 stay readable, as in the rest of the API
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);
}

/// <summary>What <see cref="CheckStore.CreateAsync"/> found.</summary>
public enum CreateOutcome
{
    Created,
    Exists,
    WasDeleted,
}

/// <summary>
/// Check definitions (table <c>checks</c>): the only editable part of checks. Deleting a check marks it, so its
/// ledger keeps pointing at it and its id is not reused.
/// </summary>
public sealed class CheckStore(NpgsqlDataSource db)
{
    private const string Columns = """
        id, revision, name, kind, parameters::text, schedule, time_zone, webhooks::text, enabled, created_at, updated_at,
        schedule_since, layers_seen
        """;

    /// <summary>
    /// How many versions the given layers have: what a new definition has "seen" (the scheduler runs a check when the
    /// count grows; counts, unlike ids drawn at the start of an import, grow in commit order).
    /// </summary>
    private const string LayersSeenSql = "(SELECT count(*) FROM layer_versions WHERE layer = ANY(@layers))";

    /// <summary>Every check not deleted, by id.</summary>
    public async Task<List<CheckDefinition>> ListAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM checks WHERE deleted_at IS NULL ORDER BY id");
        return await ReadAsync(command, ct);
    }

    /// <summary>The check with this id, or null when there is none or it was deleted.</summary>
    public async Task<CheckDefinition?> FindAsync(string id, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"SELECT {Columns} FROM checks WHERE id = $1 AND deleted_at IS NULL");
        command.Parameters.Add(new() { Value = id });
        return (await ReadAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>True when a check with this id exists or existed (deleted checks keep their ledger).</summary>
    public async Task<bool> KnownAsync(string id, CancellationToken ct)
    {
        await using var command = db.CreateCommand("SELECT EXISTS (SELECT 1 FROM checks WHERE id = $1)");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>The check with this id, or a NotFound error.</summary>
    public async Task<CheckDefinition> GetAsync(string id, CancellationToken ct) =>
        await FindAsync(id, ct) ?? throw new SpatialInputException(SpatialError.NotFound, $"No check '{id}'.");

    /// <summary>Stores a new definition unless the id is taken (also by a deleted check); audited as <c>check-create</c>.</summary>
    public async Task<(CreateOutcome Outcome, CheckDefinition? Check)> CreateAsync(CheckDefinition check, string actor, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            WITH c AS (
              INSERT INTO checks (id, revision, name, kind, parameters, schedule, time_zone, webhooks, enabled,
                                  created_at, updated_at, schedule_since, layers_seen)
              VALUES (@id, 1, @name, @kind, @parameters::jsonb, @schedule, @zone, @webhooks::jsonb, @enabled, now(), now(), now(), {LayersSeenSql})
              ON CONFLICT (id) DO NOTHING
              RETURNING *),
            audit AS ({AuditSql("check-create")})
            SELECT {Columns} FROM c
            """);
        Bind(command, check);
        command.Parameters.AddWithValue("actor", actor);
        if ((await ReadAsync(command, ct)).SingleOrDefault() is { } created)
        {
            return (CreateOutcome.Created, created);
        }

        await using var deleted = db.CreateCommand("SELECT deleted_at IS NOT NULL FROM checks WHERE id = $1");
        deleted.Parameters.Add(new() { Value = check.Id });
        return (await deleted.ExecuteScalarAsync(ct) is true ? CreateOutcome.WasDeleted : CreateOutcome.Exists, null);
    }

    /// <summary>
    /// Replaces a definition (revision + 1). A changed schedule counts from now, so no run is "missed" by the change;
    /// the imports already made (of the layers the new definition reads) count as seen.
    /// </summary>
    public async Task<CheckDefinition?> ReplaceAsync(CheckDefinition check, string actor, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            WITH c AS (
              UPDATE checks SET revision = revision + 1, name = @name, kind = @kind, parameters = @parameters::jsonb,
                  schedule_since = CASE WHEN schedule IS DISTINCT FROM @schedule OR time_zone IS DISTINCT FROM @zone
                                        THEN now() ELSE schedule_since END,
                  schedule = @schedule, time_zone = @zone, webhooks = @webhooks::jsonb, enabled = @enabled, updated_at = now(),
                  layers_seen = {LayersSeenSql}
              WHERE id = @id AND deleted_at IS NULL
              RETURNING *),
            audit AS ({AuditSql("check-replace")})
            SELECT {Columns} FROM c
            """);
        Bind(command, check);
        command.Parameters.AddWithValue("actor", actor);
        return (await ReadAsync(command, ct)).SingleOrDefault();
    }

    /// <summary>Marks a check deleted; false when there was none. Audited as <c>check-delete</c>.</summary>
    public async Task<bool> DeleteAsync(string id, string actor, CancellationToken ct)
    {
        await using var command = db.CreateCommand($"""
            WITH c AS (UPDATE checks SET deleted_at = now() WHERE id = @id AND deleted_at IS NULL RETURNING *),
            audit AS ({AuditSql("check-delete")})
            SELECT count(*) FROM c
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("actor", actor);
        return await command.ExecuteScalarAsync(ct) is 1L;
    }

    /// <summary>
    /// The audit-trail row of a definition change, in the same statement as the change (CTE <c>c</c>). Webhooks are
    /// counted, not written: their URLs may hold secrets.
    /// </summary>
    private static string AuditSql(string action) => $"""
        INSERT INTO audit_log (at, actor, action, details)
        SELECT now(), @actor, '{action}', jsonb_build_object(
          'check', c.id, 'revision', c.revision, 'name', c.name, 'kind', c.kind, 'parameters', c.parameters,
          'schedule', c.schedule, 'timeZone', c.time_zone, 'enabled', c.enabled, 'webhooks', jsonb_array_length(c.webhooks))
        FROM c
        """;

    private static void Bind(NpgsqlCommand command, CheckDefinition check)
    {
        command.Parameters.AddWithValue("id", check.Id);
        command.Parameters.AddWithValue("name", check.Name);
        command.Parameters.AddWithValue("kind", check.Kind);
        command.Parameters.AddWithValue("parameters", CheckJson.Write(check.Parameters));
        command.Parameters.Add(new NpgsqlParameter("schedule", NpgsqlDbType.Text) { Value = (object?)check.Schedule ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("zone", NpgsqlDbType.Text) { Value = (object?)check.TimeZone ?? DBNull.Value });
        command.Parameters.AddWithValue("webhooks", CheckJson.Write(check.Webhooks));
        command.Parameters.AddWithValue("enabled", check.Enabled);
        command.Parameters.AddWithValue("layers", check.Layers.ToArray());
    }

    private static async Task<List<CheckDefinition>> ReadAsync(NpgsqlCommand command, CancellationToken ct)
    {
        var checks = new List<CheckDefinition>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            checks.Add(new CheckDefinition(
                reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3),
                JsonSerializer.Deserialize<CheckParameters>(reader.GetString(4), CheckJson.Options)!,
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(7), CheckJson.Options)!, reader.GetBoolean(8),
                reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10),
                reader.GetFieldValue<DateTimeOffset>(11), reader.GetInt64(12)));
        }

        return checks;
    }
}
