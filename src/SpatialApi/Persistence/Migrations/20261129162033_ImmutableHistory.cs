using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <summary>
    /// Layer versions, their features and the audit log are append-only: the database itself refuses UPDATE,
    /// DELETE and TRUNCATE on them, whatever client connects.
    /// </summary>
    public partial class ImmutableHistory : Migration
    {
        private static readonly string[] Tables =
            ["layer_versions", "redlines", "reserves", "water_source_zones", "landuse", "admin_units", "audit_log"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION eco_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  RAISE EXCEPTION 'EcoSpatial: % is append-only; % is refused (versions are immutable)', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'insufficient_privilege';
                END $$;
                """);
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
                      FOR EACH ROW EXECUTE FUNCTION eco_refuse_change();
                    CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                      FOR EACH STATEMENT EXECUTE FUNCTION eco_refuse_change();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER {table}_append_only ON {table};
                    DROP TRIGGER {table}_no_truncate ON {table};
                    """);
            }

            migrationBuilder.Sql("DROP FUNCTION eco_refuse_change();");
        }
    }
}
