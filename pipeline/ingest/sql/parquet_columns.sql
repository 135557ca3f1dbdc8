-- The columns of a Parquet file.
SELECT name FROM parquet_schema($path) WHERE name <> 'duckdb_schema'
