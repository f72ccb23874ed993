-- docs/scaling/partition-count.sql
-- What 2,800 county partitions cost the planner (empty partitions: planning does not depend on rows).
-- Run on the scratch database after partition-proof.sql (or alone):
--   psql -h 127.0.0.1 -p 55432 -U postgres -d eco_scaling_scratch -X -v ON_ERROR_STOP=1 -f docs/scaling/partition-count.sql
\timing on
SET jit = off;
CREATE EXTENSION IF NOT EXISTS postgis;
DROP TABLE IF EXISTS lu2800, lu128;
CREATE TABLE lu2800 (
  id bigint NOT NULL, class_code text, version_id bigint NOT NULL, feature_index integer NOT NULL,
  geom geometry(MultiPolygon, 4490) NOT NULL, area_m2 double precision NOT NULL, county_code text NOT NULL,
  PRIMARY KEY (county_code, id)) PARTITION BY LIST (county_code);
CREATE INDEX ON lu2800 (version_id, feature_index);
CREATE INDEX ON lu2800 USING gist (geom);
\echo '== 2,800 LIST partitions, one per county (codes 100001..102800, synthetic)'
DO $$ BEGIN
  FOR i IN 1..2800 LOOP
    EXECUTE format('CREATE TABLE lu2800_%s PARTITION OF lu2800 FOR VALUES IN (%L)', 100000 + i, (100000 + i)::text);
  END LOOP;
END $$;
CREATE TABLE lu128 (LIKE lu2800, PRIMARY KEY (county_code, id)) PARTITION BY HASH (county_code);
CREATE INDEX ON lu128 (version_id, feature_index);
CREATE INDEX ON lu128 USING gist (geom);
\echo '== 128 HASH partitions'
DO $$ BEGIN
  FOR i IN 0..127 LOOP
    EXECUTE format('CREATE TABLE lu128_%s PARTITION OF lu128 FOR VALUES WITH (MODULUS 128, REMAINDER %s)', i, i);
  END LOOP;
END $$;
ANALYZE lu2800; ANALYZE lu128;
-- Each EXPLAIN is run 3 times; the Planning Time lines are what matter.
\echo '== county-scoped (pruned at plan time): LIST 2800'
EXPLAIN (SUMMARY ON, COSTS OFF) SELECT class_code, sum(area_m2) FROM lu2800 WHERE version_id = 1 AND county_code = '101234' GROUP BY 1;
EXPLAIN (SUMMARY ON, COSTS OFF) SELECT class_code, sum(area_m2) FROM lu2800 WHERE version_id = 1 AND county_code = '101234' GROUP BY 1;
EXPLAIN (SUMMARY ON, COSTS OFF) SELECT class_code, sum(area_m2) FROM lu2800 WHERE version_id = 1 AND county_code = '101234' GROUP BY 1;
\echo '== county-scoped (pruned at plan time): HASH 128'
EXPLAIN (SUMMARY ON, COSTS OFF) SELECT class_code, sum(area_m2) FROM lu128 WHERE version_id = 1 AND county_code = '101234' GROUP BY 1;
EXPLAIN (SUMMARY ON, COSTS OFF) SELECT class_code, sum(area_m2) FROM lu128 WHERE version_id = 1 AND county_code = '101234' GROUP BY 1;
EXPLAIN (SUMMARY ON, COSTS OFF) SELECT class_code, sum(area_m2) FROM lu128 WHERE version_id = 1 AND county_code = '101234' GROUP BY 1;
\echo '== bbox page without county (no pruning): LIST 2800 -- plan summary only'
\o /dev/null
EXPLAIN (SUMMARY ON, COSTS OFF) SELECT id FROM lu2800 t WHERE version_id = 1 AND ST_Intersects(geom, ST_MakeEnvelope(113.30, 30.30, 113.34, 30.34, 4490)) ORDER BY feature_index LIMIT 1001;
\o
SELECT 1 AS warm;
CREATE TEMP TABLE plan_times (t text, ms numeric);
DO $$
DECLARE r record; line text; q text;
BEGIN
  FOREACH q IN ARRAY ARRAY['lu2800', 'lu2800', 'lu2800', 'lu128', 'lu128', 'lu128'] LOOP
    FOR line IN EXECUTE format('EXPLAIN (SUMMARY ON, COSTS OFF) SELECT id FROM %I t WHERE version_id = 1 AND ST_Intersects(geom, ST_MakeEnvelope(113.30, 30.30, 113.34, 30.34, 4490)) ORDER BY feature_index LIMIT 1001', q) LOOP
      IF line LIKE 'Planning Time%' THEN
        INSERT INTO plan_times VALUES (q, substring(line FROM '([0-9.]+) ms')::numeric);
      END IF;
    END LOOP;
  END LOOP;
END $$;
\echo '== planning time of the unpruned bbox page (3 runs each)'
SELECT t, array_agg(ms ORDER BY ms) AS planning_ms FROM plan_times GROUP BY t ORDER BY t;
\echo '== the same page with a parameterised county (generic plan: pruned at execution, Subplans Removed)'
PREPARE p2800(text) AS SELECT id FROM lu2800 t WHERE version_id = 1 AND county_code = $1 AND ST_Intersects(geom, ST_MakeEnvelope(113.30, 30.30, 113.34, 30.34, 4490)) ORDER BY feature_index LIMIT 1001;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE p2800('101234');
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) EXECUTE p2800('101234');
RESET plan_cache_mode;
SELECT count(*) AS partitions_2800 FROM pg_inherits WHERE inhparent = 'lu2800'::regclass;
SELECT count(*) AS relations_in_db FROM pg_class;
