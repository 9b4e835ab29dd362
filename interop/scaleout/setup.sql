-- The shared pool of ScaleOutIT (README "Scaling out"): three addresses, so the test exhausts it.
-- Loaded after the stock schemas mods-config/sql/main/postgresql/schema.sql and
-- mods-config/sql/ippool/postgresql/schema.sql. Addresses never used have expiry_time in the past.
INSERT INTO radippool (pool_name, framedipaddress, expiry_time)
SELECT 'coati', ('10.99.99.' || n)::inet, 'now'::timestamp(0) - '1 hour'::interval
FROM generate_series(10, 12) AS n;

-- The NAS-Identifier of each gateway in radacct and radpostauth: the stock queries write it
-- through their "class" hook (README "Scaling out" shows the three lines of queries.conf).
ALTER TABLE radacct ADD COLUMN nasidentifier text NOT NULL DEFAULT '';
ALTER TABLE radpostauth ADD COLUMN nasidentifier text NOT NULL DEFAULT '';
