using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <summary>
    /// Feature ids are no longer drawn from a sequence per row: the importer writes each feature's id, its version's id
    /// × 1,000,000,000 + its position (<see cref="SpatialCore.Layers.FeatureIds"/>). The id columns lose their
    /// defaults and the sequences go. Stored features keep their ids; the migration refuses to run if a sequence has
    /// reached 1,000,000,000, where the old ids could meet the new ones.
    /// </summary>
    [DbContext(typeof(EcoDbContext))]
    [Migration("20261130020000_FeatureIdsFromVersion")]
    public partial class FeatureIdsFromVersion : Migration
    {
        private static readonly string[] Tables = ["redlines", "reserves", "water_source_zones", "landuse", "admin_units"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var t in Tables)
            {
                migrationBuilder.Sql($"""
                    DO $$
                    BEGIN
                      IF (SELECT last_value FROM {t}_ids) >= 1000000000 THEN
                        RAISE EXCEPTION '{t}: sequence ids have reached 1,000,000,000 and would meet the version-based ids';
                      END IF;
                    END $$;
                    ALTER TABLE {t} ALTER COLUMN id DROP DEFAULT;
                    DROP SEQUENCE {t}_ids;
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var t in Tables)
            {
                migrationBuilder.Sql($"""
                    CREATE SEQUENCE {t}_ids;
                    SELECT setval('{t}_ids', COALESCE((SELECT max(id) FROM {t}), 0) + 1, false);
                    ALTER TABLE {t} ALTER COLUMN id SET DEFAULT nextval('{t}_ids');
                    ALTER SEQUENCE {t}_ids OWNED BY {t}.id;
                    """);
            }
        }
    }
}
