-- The DuckDB type of each column of a Parquet file, in order.
SELECT column_type FROM (DESCRIBE SELECT * FROM read_parquet($path))
