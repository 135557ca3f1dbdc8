-- The schema of a Parquet file, in order: the root, then each column followed by its nested
-- fields (num_children says how many each element has directly).
SELECT name, coalesce(num_children, 0) FROM parquet_schema($path)
