using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <summary>
    /// The database holds every feature's id to what it says, <c>id = version_id × 1,000,000,000 + feature_index</c>
    /// (<see cref="SpatialCore.Layers.FeatureIds"/>), so a lookup by the position an id names cannot find another
    /// feature. Each version's bare table is made with the constraint (<c>LIKE … INCLUDING CONSTRAINTS</c>), so the
    /// COPY checks each row and the attach has nothing to scan for it.
    /// </summary>
    [DbContext(typeof(EcoDbContext))]
    [Migration("20261130050000_FeatureIdsChecked")]
    public partial class FeatureIdsChecked : Migration
    {
        private static readonly string[] Tables = ["redlines", "reserves", "water_source_zones", "landuse", "admin_units"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var t in Tables)
            {
                migrationBuilder.Sql($"ALTER TABLE {t} ADD CONSTRAINT ck_{t}_id_names_position CHECK (id = version_id * 1000000000 + feature_index);");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var t in Tables)
            {
                migrationBuilder.Sql($"ALTER TABLE {t} DROP CONSTRAINT ck_{t}_id_names_position;");
            }
        }
    }
}
