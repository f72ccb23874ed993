using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <summary>
    /// Each feature's original attributes (<c>attributes</c>) are kept as <c>json</c>, not <c>jsonb</c>: exactly as the
    /// importer wrote them, in the source's field order (jsonb sorts keys), and checked for syntax only when stored
    /// (building jsonb was a quarter of the database's work in a COPY: 0.25 s per 100,000 parcels). No query reads
    /// inside them; the typed columns are what the service filters and serves.
    /// </summary>
    [DbContext(typeof(EcoDbContext))]
    [Migration("20261129213000_SourceAttributesAsJson")]
    public partial class SourceAttributesAsJson : Migration
    {
        private static readonly string[] Tables = ["redlines", "reserves", "water_source_zones", "landuse", "admin_units"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} ALTER COLUMN attributes TYPE json USING attributes::json;");
            }

            // The rewrite leaves the tables' visibility maps empty, and nothing else would fill them soon (no row is
            // inserted or deleted): until a VACUUM, the indicators' index-only reads fetch every heap page (1.02 s
            // instead of 0.7 s for an incremental update at 1,000,000 parcels).
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"VACUUM (ANALYZE) {table};", suppressTransaction: true);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} ALTER COLUMN attributes TYPE jsonb USING attributes::jsonb;");
            }
        }
    }
}
