using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <summary>
    /// What the indicators read from land use: <c>geom_hash</c>, the md5 of each parcel's EWKB computed by PostGIS as
    /// the row is stored (equal hashes mean equal geometries, so a new version's unchanged parcels reuse the overlay
    /// of the last one), and an index on (version_id, class_code) so that an indicator reads only its classes of one
    /// version instead of scanning every version. The index carries what the indicators read besides the geometry,
    /// so that comparing a new version with the last one is an index-only scan.
    /// </summary>
    [DbContext(typeof(EcoDbContext))]
    [Migration("20261129190000_LanduseIndicatorReads")]
    public partial class LanduseIndicatorReads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE landuse ADD COLUMN geom_hash uuid GENERATED ALWAYS AS (md5(ST_AsEWKB(geom))::uuid) STORED;
                CREATE INDEX ix_landuse_version_id_class_code ON landuse (version_id, class_code)
                  INCLUDE (id, geom_hash, area_m2, parcel_code, admin_code);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ix_landuse_version_id_class_code;
                ALTER TABLE landuse DROP COLUMN geom_hash;
                """);
        }
    }
}
