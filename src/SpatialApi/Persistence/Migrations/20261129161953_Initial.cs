using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EcoSpatial.SpatialApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:postgis", ",,");

            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "text", nullable: false),
                    action = table.Column<string>(type: "text", nullable: false),
                    layer = table.Column<string>(type: "text", nullable: true),
                    version_id = table.Column<long>(type: "bigint", nullable: true),
                    details = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_audit_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "layer_versions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    layer = table.Column<string>(type: "text", nullable: false),
                    label = table.Column<string>(type: "text", nullable: false),
                    as_of = table.Column<DateOnly>(type: "date", nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    source_file_name = table.Column<string>(type: "text", nullable: false),
                    source_sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    source_crs = table.Column<string>(type: "text", nullable: false),
                    feature_count = table.Column<int>(type: "integer", nullable: false),
                    area_m2 = table.Column<double>(type: "double precision", nullable: false),
                    approval_ref = table.Column<string>(type: "text", nullable: true),
                    report = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_layer_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "admin_units",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "text", nullable: true),
                    name = table.Column<string>(type: "text", nullable: true),
                    level = table.Column<string>(type: "text", nullable: true),
                    terrain = table.Column<string>(type: "text", nullable: true),
                    version_id = table.Column<long>(type: "bigint", nullable: false),
                    feature_index = table.Column<int>(type: "integer", nullable: false),
                    source_id = table.Column<string>(type: "text", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon, 4490)", nullable: false),
                    area_m2 = table.Column<double>(type: "double precision", nullable: false),
                    attributes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_admin_units", x => x.id);
                    table.ForeignKey(
                        name: "fk_admin_units_layer_versions_version_id",
                        column: x => x.version_id,
                        principalTable: "layer_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "landuse",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    parcel_code = table.Column<string>(type: "text", nullable: true),
                    class_code = table.Column<string>(type: "text", nullable: true),
                    class_name = table.Column<string>(type: "text", nullable: true),
                    admin_code = table.Column<string>(type: "text", nullable: true),
                    official_area_m2 = table.Column<double>(type: "double precision", nullable: true),
                    version_id = table.Column<long>(type: "bigint", nullable: false),
                    feature_index = table.Column<int>(type: "integer", nullable: false),
                    source_id = table.Column<string>(type: "text", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon, 4490)", nullable: false),
                    area_m2 = table.Column<double>(type: "double precision", nullable: false),
                    attributes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_landuse", x => x.id);
                    table.ForeignKey(
                        name: "fk_landuse_layer_versions_version_id",
                        column: x => x.version_id,
                        principalTable: "layer_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "redlines",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    code = table.Column<string>(type: "text", nullable: true),
                    name = table.Column<string>(type: "text", nullable: true),
                    function = table.Column<string>(type: "text", nullable: true),
                    version_id = table.Column<long>(type: "bigint", nullable: false),
                    feature_index = table.Column<int>(type: "integer", nullable: false),
                    source_id = table.Column<string>(type: "text", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon, 4490)", nullable: false),
                    area_m2 = table.Column<double>(type: "double precision", nullable: false),
                    attributes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_redlines", x => x.id);
                    table.ForeignKey(
                        name: "fk_redlines_layer_versions_version_id",
                        column: x => x.version_id,
                        principalTable: "layer_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "reserves",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    name = table.Column<string>(type: "text", nullable: true),
                    category = table.Column<string>(type: "text", nullable: true),
                    zone = table.Column<string>(type: "text", nullable: true),
                    level = table.Column<string>(type: "text", nullable: true),
                    version_id = table.Column<long>(type: "bigint", nullable: false),
                    feature_index = table.Column<int>(type: "integer", nullable: false),
                    source_id = table.Column<string>(type: "text", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon, 4490)", nullable: false),
                    area_m2 = table.Column<double>(type: "double precision", nullable: false),
                    attributes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reserves", x => x.id);
                    table.ForeignKey(
                        name: "fk_reserves_layer_versions_version_id",
                        column: x => x.version_id,
                        principalTable: "layer_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "water_source_zones",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    source_name = table.Column<string>(type: "text", nullable: true),
                    level = table.Column<string>(type: "text", nullable: true),
                    source_type = table.Column<string>(type: "text", nullable: true),
                    version_id = table.Column<long>(type: "bigint", nullable: false),
                    feature_index = table.Column<int>(type: "integer", nullable: false),
                    source_id = table.Column<string>(type: "text", nullable: true),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon, 4490)", nullable: false),
                    area_m2 = table.Column<double>(type: "double precision", nullable: false),
                    attributes = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_water_source_zones", x => x.id);
                    table.ForeignKey(
                        name: "fk_water_source_zones_layer_versions_version_id",
                        column: x => x.version_id,
                        principalTable: "layer_versions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_admin_units_geom",
                table: "admin_units",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_admin_units_version_id_feature_index",
                table: "admin_units",
                columns: new[] { "version_id", "feature_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_landuse_geom",
                table: "landuse",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_landuse_version_id_feature_index",
                table: "landuse",
                columns: new[] { "version_id", "feature_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_layer_versions_layer_as_of",
                table: "layer_versions",
                columns: new[] { "layer", "as_of" });

            migrationBuilder.CreateIndex(
                name: "ix_redlines_geom",
                table: "redlines",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_redlines_version_id_feature_index",
                table: "redlines",
                columns: new[] { "version_id", "feature_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reserves_geom",
                table: "reserves",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_reserves_version_id_feature_index",
                table: "reserves",
                columns: new[] { "version_id", "feature_index" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_water_source_zones_geom",
                table: "water_source_zones",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_water_source_zones_version_id_feature_index",
                table: "water_source_zones",
                columns: new[] { "version_id", "feature_index" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "admin_units");

            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "landuse");

            migrationBuilder.DropTable(
                name: "redlines");

            migrationBuilder.DropTable(
                name: "reserves");

            migrationBuilder.DropTable(
                name: "water_source_zones");

            migrationBuilder.DropTable(
                name: "layer_versions");
        }
    }
}
