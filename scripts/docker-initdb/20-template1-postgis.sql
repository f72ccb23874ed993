-- Run once by the postgis/postgis image when its data volume is new (after its own 10_postgis.sh,
-- which installs PostGIS only in POSTGRES_DB and template_postgis). Like ./eco's own cluster,
-- every database created later (tests create their own) then has PostGIS.
\connect template1
CREATE EXTENSION IF NOT EXISTS postgis;
