-- An empty staging table shaped like the canonical table, for a file whose records may replace
-- records already loaded.
CREATE OR REPLACE TEMP TABLE {{.stage}} AS FROM {{.table}} LIMIT 0
