-- The rows a Parquet file holds, by its own metadata.
SELECT coalesce(sum(num_rows), 0) FROM parquet_file_metadata($path)
