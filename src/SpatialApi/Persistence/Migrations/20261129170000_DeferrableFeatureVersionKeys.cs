using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <summary>
    /// Makes the feature → version foreign keys deferrable (still checked immediately unless a transaction defers
    /// them), so a streaming import can COPY its features first and insert the version row, whose feature count,
    /// area and report are known only at the end, in the same transaction.
    /// </summary>
    [DbContext(typeof(EcoDbContext))]
    [Migration("20261129170000_DeferrableFeatureVersionKeys")]
    public partial class DeferrableFeatureVersionKeys : Migration
    {
        private static readonly string[] Tables = ["redlines", "reserves", "water_source_zones", "landuse", "admin_units"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql(
                    $"ALTER TABLE {table} ALTER CONSTRAINT fk_{table}_layer_versions_version_id DEFERRABLE INITIALLY IMMEDIATE;");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"ALTER TABLE {table} ALTER CONSTRAINT fk_{table}_layer_versions_version_id NOT DEFERRABLE;");
            }
        }
    }
}
