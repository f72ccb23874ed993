using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <summary>
    /// Periodic checks: their definitions (editable; deleting one only marks it), and the ledger of their runs, which
    /// is append-only like the layer versions. A run is two rows, never an updated one: <c>check_run_starts</c> when it
    /// begins and <c>check_runs</c> (the ledger record, at most one per start) when it ends; a start with no record is
    /// running, or was interrupted and is recorded as <c>error</c> by the next start. Every webhook delivery attempt is
    /// a row of <c>check_alert_deliveries</c>. The tables are read and written with SQL (Checks/CheckStore.cs,
    /// Checks/CheckLedger.cs), not through the EF model.
    /// </summary>
    [DbContext(typeof(EcoDbContext))]
    [Migration("20261129180000_Checks")]
    public partial class Checks : Migration
    {
        private static readonly string[] LedgerTables = ["check_run_starts", "check_runs", "check_alert_deliveries"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE checks (
                  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
                  revision integer NOT NULL,
                  name text NOT NULL,
                  kind text NOT NULL,
                  parameters jsonb NOT NULL,
                  schedule text,
                  time_zone text,
                  webhooks jsonb NOT NULL,
                  enabled boolean NOT NULL,
                  created_at timestamptz NOT NULL,
                  updated_at timestamptz NOT NULL,
                  schedule_since timestamptz NOT NULL,
                  layers_seen bigint NOT NULL,
                  deleted_at timestamptz
                );

                CREATE TABLE check_run_starts (
                  id bigserial PRIMARY KEY,
                  check_id text NOT NULL REFERENCES checks (id),
                  trigger text NOT NULL,
                  scheduled_for timestamptz,
                  started_at timestamptz NOT NULL,
                  definition jsonb NOT NULL,
                  layers_seen bigint NOT NULL,
                  runner text NOT NULL
                );
                CREATE INDEX ix_check_run_starts_check_id ON check_run_starts (check_id, id);

                CREATE TABLE check_runs (
                  id bigserial PRIMARY KEY,
                  start_id bigint NOT NULL UNIQUE REFERENCES check_run_starts (id),
                  check_id text NOT NULL REFERENCES checks (id),
                  trigger text NOT NULL,
                  scheduled_for timestamptz,
                  started_at timestamptz NOT NULL,
                  finished_at timestamptz NOT NULL,
                  status text NOT NULL CHECK (status IN ('pass', 'fail', 'error')),
                  message text NOT NULL,
                  inputs jsonb NOT NULL,
                  figures jsonb,
                  definition jsonb NOT NULL
                );
                CREATE INDEX ix_check_runs_check_id ON check_runs (check_id, id);

                CREATE TABLE check_alert_deliveries (
                  id bigserial PRIMARY KEY,
                  run_id bigint NOT NULL REFERENCES check_runs (id),
                  check_id text NOT NULL REFERENCES checks (id),
                  event text NOT NULL,
                  webhook integer NOT NULL,
                  target text NOT NULL,
                  attempt integer NOT NULL,
                  attempted_at timestamptz NOT NULL,
                  duration_ms double precision NOT NULL,
                  status_code integer,
                  error text,
                  delivered boolean NOT NULL
                );
                CREATE INDEX ix_check_alert_deliveries_run_id ON check_alert_deliveries (run_id, id);
                """);
            foreach (var table in LedgerTables)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                      FOR EACH ROW EXECUTE FUNCTION eco_refuse_change();
                    CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                      FOR EACH STATEMENT EXECUTE FUNCTION eco_refuse_change();
                    """);
            }

            // A check that has runs is never removed (DELETE /api/checks/{id} marks it deleted); the ledger refers to it.
            migrationBuilder.Sql("""
                CREATE TRIGGER checks_no_truncate BEFORE TRUNCATE ON checks
                  FOR EACH STATEMENT EXECUTE FUNCTION eco_refuse_change();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE check_alert_deliveries, check_runs, check_run_starts, checks;");
        }
    }
}
