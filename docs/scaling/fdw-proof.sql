-- docs/scaling/fdw-proof.sql
-- Partitions on another server with PostgreSQL's own postgres_fdw (in Debian's postgresql-15): what is pushed to the
-- remote node and what comes back to the coordinator. The "remote node" here is another database on the same
-- cluster, reached over TCP, standing in for another machine.
--   createdb -h 127.0.0.1 -p 55432 -U postgres eco_scaling_shard      # the remote node
--   createdb -h 127.0.0.1 -p 55432 -U postgres eco_scaling_scratch    # the coordinator
--   psql -h 127.0.0.1 -p 55432 -U postgres -d eco_scaling_shard   -X -v ON_ERROR_STOP=1 -v role=shard -f docs/scaling/fdw-proof.sql
--   psql -h 127.0.0.1 -p 55432 -U postgres -d eco_scaling_scratch -X -v ON_ERROR_STOP=1 -v role=coordinator -f docs/scaling/fdw-proof.sql
--   dropdb … eco_scaling_scratch; dropdb … eco_scaling_shard
\timing off
SET jit = off;
CREATE EXTENSION IF NOT EXISTS postgis;
SELECT :'role' = 'shard' AS is_shard \gset

-- Two counties per node, 80 x 80 parcels of 0.002 deg each, as in partition-proof.sql; zones copied to every node
-- (what Citus calls a reference table).
CREATE TABLE zones (id int PRIMARY KEY, geom geometry(MultiPolygon, 4490) NOT NULL);
SELECT setseed(0.17);
INSERT INTO zones
SELECT i, ST_Multi(ST_Buffer(ST_SetSRID(ST_MakePoint(113.0 + random() * 0.64, 30.0 + random() * 0.32), 4490), 0.01 + random() * 0.03, 8))
FROM generate_series(1, 32) i;
CREATE INDEX ON zones USING gist (geom);

CREATE FUNCTION make_county(tbl text, county int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format($f$
    CREATE TABLE %I (id bigint NOT NULL, class_code text, version_id bigint NOT NULL, feature_index int NOT NULL,
                     geom geometry(MultiPolygon, 4490) NOT NULL, area_m2 double precision NOT NULL, county_code text NOT NULL)$f$, tbl);
  EXECUTE format($f$
    INSERT INTO %I
    SELECT %s * 10000 + py * 80 + px, (ARRAY['0101','0103','0201','0301','0305','0404','0702','1001','1101','1104'])[1 + ((px * 7 + py * 3) %% 10)],
           1, py * 80 + px, g, ST_Area(g::geography), %L
    FROM generate_series(0, 79) py, generate_series(0, 79) px,
         LATERAL (SELECT ST_Multi(ST_MakeEnvelope(113.0 + %s * 0.16 + px * 0.002, 30.0 + py * 0.002,
                                                  113.0 + %s * 0.16 + (px + 1) * 0.002, 30.0 + (py + 1) * 0.002, 4490)) g) x$f$,
    tbl, county, '4200' || lpad(county::text, 2, '0'), county - 1, county - 1);
  EXECUTE format('CREATE INDEX ON %I USING gist (geom)', tbl);
  EXECUTE format('ANALYZE %I', tbl);
END $$;

\if :is_shard
SELECT make_county('landuse_420003', 3), make_county('landuse_420004', 4);
SELECT count(*) AS remote_parcels FROM (SELECT 1 FROM landuse_420003 UNION ALL SELECT 1 FROM landuse_420004) x;
\else
CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host '127.0.0.1', port '55432', dbname 'eco_scaling_shard', extensions 'postgis', use_remote_estimate 'true');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user 'postgres');

CREATE TABLE landuse (id bigint NOT NULL, class_code text, version_id bigint NOT NULL, feature_index int NOT NULL,
                      geom geometry(MultiPolygon, 4490) NOT NULL, area_m2 double precision NOT NULL, county_code text NOT NULL)
  PARTITION BY LIST (county_code);
SELECT make_county('landuse_420001', 1), make_county('landuse_420002', 2);
ALTER TABLE landuse ATTACH PARTITION landuse_420001 FOR VALUES IN ('420001');
ALTER TABLE landuse ATTACH PARTITION landuse_420002 FOR VALUES IN ('420002');
CREATE FOREIGN TABLE landuse_420003 PARTITION OF landuse FOR VALUES IN ('420003') SERVER shard1 OPTIONS (table_name 'landuse_420003');
CREATE FOREIGN TABLE landuse_420004 PARTITION OF landuse FOR VALUES IN ('420004') SERVER shard1 OPTIONS (table_name 'landuse_420004');
CREATE FOREIGN TABLE zones_shard1 (id int, geom geometry(MultiPolygon, 4490)) SERVER shard1 OPTIONS (table_name 'zones');
ANALYZE landuse;
SELECT tableoid::regclass AS partition, count(*) FROM landuse GROUP BY 1 ORDER BY 1;

\echo '== 1. county class-area sums for a county on the remote node: pruned to the foreign partition, aggregate pushed down'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT class_code, sum(area_m2) FROM landuse WHERE version_id = 1 AND county_code = '420003' GROUP BY 1;
SELECT class_code, round(sum(area_m2)) FROM landuse WHERE version_id = 1 AND county_code = '420003' GROUP BY 1 ORDER BY 1 LIMIT 3;

\echo '== 1b. the same with enable_partitionwise_aggregate = on: only a partial aggregate, on the coordinator'
SET enable_partitionwise_aggregate = on;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT class_code, sum(area_m2) FROM landuse WHERE version_id = 1 AND county_code = '420003' GROUP BY 1;
\echo '== 1c. grouped by the partition key as well (county_code, class_code): the whole aggregate goes to the remote node'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT county_code, class_code, sum(area_m2) FROM landuse WHERE version_id = 1 AND county_code = '420003' GROUP BY 1, 2;
RESET enable_partitionwise_aggregate;

\echo '== 2. county overlay with the zones, through the partitioned table: the zones are sent one by one, parcels come back'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT sum(CASE WHEN ST_Covers(z.geom, l.geom) THEN l.area_m2 ELSE ST_Area(ST_Intersection(z.geom, l.geom)::geography) END)
FROM zones_shard1 z JOIN landuse l ON ST_Intersects(z.geom, l.geom)
WHERE l.version_id = 1 AND l.county_code = '420003' AND l.class_code IN ('0301','0305','0404');
\echo '== 2b. the same overlay naming the county partition itself: join and aggregate run on the remote node'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT sum(CASE WHEN ST_Covers(z.geom, l.geom) THEN l.area_m2 ELSE ST_Area(ST_Intersection(z.geom, l.geom)::geography) END)
FROM zones_shard1 z JOIN landuse_420003 l ON ST_Intersects(z.geom, l.geom)
WHERE l.version_id = 1 AND l.class_code IN ('0301','0305','0404');
\echo '   the same figure three ways (through the parent, through the partition, local zones copy):'
SELECT 'partition named' AS how, sum(CASE WHEN ST_Covers(z.geom, l.geom) THEN l.area_m2 ELSE ST_Area(ST_Intersection(z.geom, l.geom)::geography) END)
FROM zones_shard1 z JOIN landuse_420003 l ON ST_Intersects(z.geom, l.geom)
WHERE l.version_id = 1 AND l.class_code IN ('0301','0305','0404');
SELECT 'through the parent' AS how, sum(CASE WHEN ST_Covers(z.geom, l.geom) THEN l.area_m2 ELSE ST_Area(ST_Intersection(z.geom, l.geom)::geography) END)
FROM zones_shard1 z JOIN landuse l ON ST_Intersects(z.geom, l.geom)
WHERE l.version_id = 1 AND l.county_code = '420003' AND l.class_code IN ('0301','0305','0404')
UNION ALL
SELECT 'local zones', sum(CASE WHEN ST_Covers(z.geom, l.geom) THEN l.area_m2 ELSE ST_Area(ST_Intersection(z.geom, l.geom)::geography) END)
FROM zones z JOIN landuse l ON ST_Intersects(z.geom, l.geom)
WHERE l.version_id = 1 AND l.county_code = '420003' AND l.class_code IN ('0301','0305','0404');

\echo '== 3. per-county sums for all counties (GROUP BY the partition key), partitionwise aggregate on'
SET enable_partitionwise_aggregate = on;
EXPLAIN (VERBOSE, COSTS OFF)
SELECT county_code, sum(area_m2) FROM landuse WHERE version_id = 1 GROUP BY county_code;

\echo '== 4. a tile over two counties, one local and one remote: ST_AsMVT runs on the coordinator over rows fetched from the remote node'
EXPLAIN (VERBOSE, COSTS OFF)
WITH bounds AS (SELECT ST_TileEnvelope(12, 3336, 1692) AS env)
SELECT length(ST_AsMVT(m, 'landuse', 4096, 'geom', 'id')) FROM (
  SELECT t.id, ST_AsMVTGeom(ST_Transform(t.geom, 3857), b.env, 4096, 64, true) AS geom, t.class_code
  FROM landuse t, bounds b
  WHERE t.version_id = 1 AND t.geom && ST_Transform(b.env, 4490)) m;
WITH bounds AS (SELECT ST_TileEnvelope(12, 3336, 1692) AS env)
SELECT ST_AsText(ST_Transform(env, 4490)) AS tile_in_4490 FROM bounds;

\echo '== 5. ST_Union of construction land over all counties: the union runs on the coordinator'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT ST_Area(ST_Union(geom)::geography) FROM landuse WHERE version_id = 1 AND class_code = '0702';
\echo '   ... and grouped by county (partitionwise): pushed to each node'
EXPLAIN (VERBOSE, COSTS OFF)
SELECT county_code, ST_Area(ST_Union(geom)::geography) FROM landuse WHERE version_id = 1 AND class_code = '0702' GROUP BY county_code;
\endif
