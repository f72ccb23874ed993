using EcoSpatial.SpatialCore;
using EcoSpatial.SpatialCore.Layers;
using Microsoft.EntityFrameworkCore;

namespace EcoSpatial.SpatialApi.Persistence;

/// <summary>
/// The schema: layer versions, one typed feature table per layer, and the audit log. Migrations live in
/// <c>Persistence/Migrations</c> and are applied at start; the immutability triggers are part of them.
/// </summary>
public sealed class EcoDbContext(DbContextOptions<EcoDbContext> options) : DbContext(options)
{
    public DbSet<LayerVersionRow> LayerVersions => Set<LayerVersionRow>();
    public DbSet<RedlineRow> Redlines => Set<RedlineRow>();
    public DbSet<ReserveRow> Reserves => Set<ReserveRow>();
    public DbSet<WaterSourceZoneRow> WaterSourceZones => Set<WaterSourceZoneRow>();
    public DbSet<LanduseRow> Landuse => Set<LanduseRow>();
    public DbSet<AdminUnitRow> AdminUnits => Set<AdminUnitRow>();
    public DbSet<AuditRow> AuditLog => Set<AuditRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasPostgresExtension("postgis");

        modelBuilder.Entity<LayerVersionRow>(e =>
        {
            e.ToTable("layer_versions");
            e.Property(v => v.Report).HasColumnType("jsonb");
            e.Property(v => v.SourceSha256).HasMaxLength(64).IsFixedLength();
            e.HasIndex(v => new { v.Layer, v.AsOf });
        });

        MapFeatures<RedlineRow>(modelBuilder, LayerCatalog.Redlines);
        MapFeatures<ReserveRow>(modelBuilder, LayerCatalog.Reserves);
        MapFeatures<WaterSourceZoneRow>(modelBuilder, LayerCatalog.WaterSourceZones);
        MapFeatures<LanduseRow>(modelBuilder, LayerCatalog.Landuse);
        MapFeatures<AdminUnitRow>(modelBuilder, LayerCatalog.AdminUnits);

        modelBuilder.Entity<AuditRow>(e =>
        {
            e.ToTable("audit_log");
            e.Property(a => a.Details).HasColumnType("jsonb");
        });
    }

    private static void MapFeatures<TRow>(ModelBuilder modelBuilder, LayerKind layer)
        where TRow : FeatureRow => modelBuilder.Entity<TRow>(e =>
        {
            e.ToTable(layer.Table);
            e.Property(f => f.Geom).HasColumnType($"geometry(MultiPolygon, {Srid.Cgcs2000})");
            e.Property(f => f.Attributes).HasColumnType("json");
            e.HasIndex(f => f.Geom).HasMethod("gist");
            e.HasIndex(f => new { f.VersionId, f.FeatureIndex }).IsUnique();
            e.HasOne<LayerVersionRow>().WithMany().HasForeignKey(f => f.VersionId).OnDelete(DeleteBehavior.Restrict);
        });
}
