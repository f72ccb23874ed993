using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <summary>
    /// The keys of each version's features (<c>SpatialCore.Import.FeatureKeys</c>), written by the importer in the
    /// version's transaction: one value per version, 20 bytes per feature. The indicators match a new land-use version's
    /// keys with an older one's and read only the rows that changed. Stored uncompressed (the keys are random bytes),
    /// append-only. With them, the match of the version's keys with the layer's previous version's
    /// (<c>SpatialCore.Import.KeyMatch</c>, 8 bytes per feature) and what the unmatched features say (<c>changed</c>:
    /// position, geometry hash, area, typed values), which spare the indicators reading and matching keys, and reading
    /// changed rows but for their geometry, for the usual update. Versions imported before this migration have none;
    /// the indicators then read every row, as before.
    /// What the indicators read of a land-use row besides its geometry moves to the index on (version_id,
    /// feature_index), so that the rows a new version changed are read by position from the index alone; the index
    /// on (version_id, class_code) is left plain (the class reads fetch each row's geometry from the table anyway).
    /// The EF model still describes the position index without its INCLUDE columns; nothing in the model reads them.
    /// </summary>
    [DbContext(typeof(EcoDbContext))]
    [Migration("20261130000000_VersionFeatureKeys")]
    public partial class VersionFeatureKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE TABLE version_feature_keys (
                  version_id bigint PRIMARY KEY REFERENCES layer_versions (id),
                  keys bytea NOT NULL,
                  base_version_id bigint REFERENCES layer_versions (id),
                  match bytea,
                  changed bytea,
                  CHECK ((base_version_id IS NULL) = (match IS NULL) AND (match IS NULL) = (changed IS NULL))
                );
                ALTER TABLE version_feature_keys ALTER COLUMN keys SET STORAGE EXTERNAL;
                ALTER TABLE version_feature_keys ALTER COLUMN match SET STORAGE EXTERNAL;
                CREATE TRIGGER version_feature_keys_append_only BEFORE UPDATE OR DELETE ON version_feature_keys
                  FOR EACH ROW EXECUTE FUNCTION eco_refuse_change();
                CREATE TRIGGER version_feature_keys_no_truncate BEFORE TRUNCATE ON version_feature_keys
                  FOR EACH STATEMENT EXECUTE FUNCTION eco_refuse_change();
                DROP INDEX ix_landuse_version_id_class_code;
                CREATE INDEX ix_landuse_version_id_class_code ON landuse (version_id, class_code);
                DROP INDEX ix_landuse_version_id_feature_index;
                CREATE UNIQUE INDEX ix_landuse_version_id_feature_index ON landuse (version_id, feature_index)
                  INCLUDE (class_code, geom_hash, area_m2, parcel_code, admin_code);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TABLE version_feature_keys;
                DROP INDEX ix_landuse_version_id_feature_index;
                CREATE UNIQUE INDEX ix_landuse_version_id_feature_index ON landuse (version_id, feature_index);
                DROP INDEX ix_landuse_version_id_class_code;
                CREATE INDEX ix_landuse_version_id_class_code ON landuse (version_id, class_code)
                  INCLUDE (id, geom_hash, area_m2, parcel_code, admin_code);
                """);
        }
    }
}
